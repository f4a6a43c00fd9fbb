"""A buyer's dispute while it is still a draft: its answers, one step at a time.

Every answer is saved as soon as the buyer continues, so nothing typed is ever lost.
"""

from sqlalchemy import select

from .database import begin_write
from .extensions import db
from .models import Dispute, DisputeEvent, DisputeItem, DisputeState, Order, Remedy, User
from .reasons import get_reason

STEPS = ("items", "reason", "description", "remedy", "return", "photos")


def find_draft(order: Order, buyer: User) -> Dispute | None:
    return db.session.scalar(
        select(Dispute).where(
            Dispute.order_id == order.id,
            Dispute.buyer_id == buyer.id,
            Dispute.state == DisputeState.DRAFT,
        )
    )


def start_or_resume_draft(order: Order, buyer: User, free_item_ids: set[int]) -> Dispute:
    """One draft per buyer and order: starting twice resumes the first."""
    begin_write()
    draft = find_draft(order, buyer)
    if draft is None:
        draft = Dispute(order=order, buyer=buyer)
        db.session.add(draft)
        free_items = [item for item in order.items if item.id in free_item_ids]
        if len(free_items) == 1 and free_items[0].quantity == 1:
            # Nothing to choose: the one item is what the dispute is about.
            draft.items.append(DisputeItem(order_item=free_items[0], quantity=1))
        db.session.flush()
        db.session.add(
            DisputeEvent(
                dispute_id=draft.id,
                actor_id=buyer.id,
                action="draft_started",
                to_state=DisputeState.DRAFT.value,
            )
        )
    db.session.commit()
    return draft


def steps_for(dispute: Dispute) -> list[str]:
    """The steps this draft needs, in order: some depend on the order and the reason."""
    steps = list(STEPS)
    order_items = dispute.order.items
    if len(order_items) == 1 and order_items[0].quantity == 1:
        steps.remove("items")
    reason = get_reason(dispute.reason)
    if reason is not None and not reason.item_arrived:
        steps.remove("return")
    return steps


def is_answered(dispute: Dispute, step: str) -> bool:
    reason = get_reason(dispute.reason)
    match step:
        case "items":
            return bool(dispute.items)
        case "reason":
            return reason is not None
        case "description":
            return bool(dispute.description)
        case "remedy":
            if dispute.remedy == Remedy.PARTIAL_REFUND:
                amount = dispute.refund_amount_minor or 0
                return 0 < amount <= dispute.claimed_minor
            return dispute.remedy is not None
        case "return":
            return dispute.will_return_item is not None
        case "photos":
            return not (reason and reason.photos_required) or bool(dispute.photos)
    raise ValueError(f"unknown step {step!r}")


def first_unanswered(dispute: Dispute) -> str | None:
    return next((s for s in steps_for(dispute) if not is_answered(dispute, s)), None)


def step_after(dispute: Dispute, step: str, changing: bool) -> str:
    """Where Continue leads: the next step, or back to the check page after a change."""
    if changing:
        return first_unanswered(dispute) or "check"
    steps = steps_for(dispute)
    later = steps[steps.index(step) + 1 :] if step in steps else []
    return later[0] if later else "check"


def save_items(dispute: Dispute, quantities: dict[int, int]) -> None:
    begin_write()
    dispute.items.clear()
    db.session.flush()
    for item in dispute.order.items:
        if quantities.get(item.id):
            dispute.items.append(DisputeItem(order_item=item, quantity=quantities[item.id]))
    if dispute.remedy == Remedy.PARTIAL_REFUND and not is_answered(dispute, "remedy"):
        dispute.refund_amount_minor = None  # the amount no longer fits: ask again
    db.session.commit()


def save_answers(dispute: Dispute, **answers) -> None:
    """Save one step's answers (reason, description, remedy, refund, return)."""
    begin_write()
    for name, value in answers.items():
        setattr(dispute, name, value)
    reason = get_reason(dispute.reason)
    if reason is not None and not reason.item_arrived:
        dispute.will_return_item = None  # nothing arrived, so nothing to return
    if dispute.remedy != Remedy.PARTIAL_REFUND:
        dispute.refund_amount_minor = None
    db.session.commit()
