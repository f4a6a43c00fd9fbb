"""Build disputes in any lifecycle state through lifecycle.perform, with a frozen clock."""

from datetime import timedelta

from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.lifecycle import SYSTEM, Action, perform
from dispute_portal.models import (
    Dispute,
    DisputeItem,
    DisputeState,
    Order,
    Remedy,
    Role,
    User,
    utcnow,
)
from dispute_portal.passwords import hash_password

S, A = DisputeState, Action
ROLES = (Role.BUYER, Role.SELLER, Role.REVIEWER, SYSTEM)
EMAILS = {
    Role.BUYER: "buyer@example.com",
    Role.SELLER: "seller@example.com",
    Role.REVIEWER: "reviewer@example.com",
}
PASSWORDS = {
    "buyer@example.com": "buyer-pass-1",
    "buyer2@example.com": "buyer-pass-2",
    "seller@example.com": "seller-pass-1",
    "reviewer@example.com": "reviewer-pass-1",
    "seller2@example.com": "seller-pass-2",
}
# Valid inputs for every action that takes any (what a form would post).
INPUTS = {
    A.SUBMIT: {"check": lambda dispute: None},
    A.OFFER: {"kind": "partial_refund", "amount": 1000},
    A.REJECT: {"reason": "The item was fine when it left us."},
    A.COUNTER: {"amount": 2000},
    A.NOTE: {"text": "Internal: looks like courier damage."},
    A.REQUEST_INFO: {"party": "buyer", "question": "Send a photo of the label?"},
    A.REPLY: {"answer": "Here is the label."},
    A.DECIDE: {"decision": "partial_refund", "amount": 500, "reason": "Half the damage shown."},
    A.ADD_TRACKING: {"tracking": "TRK-123"},
    A.APPEAL: {"reason": "The reviewer missed the second photo."},
}


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def actor(role):
    return None if role == SYSTEM else user(EMAILS[role])


def add_second_seller() -> User:
    """Another seller, with an order of their own (for the 404 tests)."""
    seller = User(
        email="seller2@example.com",
        display_name="Other Shop",
        role=Role.SELLER,
        password_hash=hash_password("seller-pass-2"),
    )
    db.session.add(seller)
    db.session.commit()
    return seller


def act(dispute, role, action, now, config, **inputs):
    return perform(dispute, actor(role), action, now, config, **(INPUTS.get(action, {}) | inputs))


def new_dispute(
    app, state, turn=None, will_return=False, remedy=Remedy.FULL_REFUND, order_number="1003"
) -> Dispute:
    """A dispute on order 1003 (one item, £89.99) or another of the buyer's orders from
    the demo seller, in `state`, submitted at CLOCK_NOW.

    turn: in negotiating, whose move it is; in needs_info, who was asked.
    """
    config, t0 = app.config, app.config["CLOCK_NOW"]
    order = db.session.scalar(select(Order).where(Order.order_number == order_number))
    dispute = Dispute(
        order=order,
        buyer=user(EMAILS[Role.BUYER]),
        reason="damaged",
        description="The screen arrived cracked in two places.",
        remedy=remedy,
        refund_amount_minor=3000 if remedy == Remedy.PARTIAL_REFUND else None,
        will_return_item=will_return,
    )
    dispute.items.append(DisputeItem(order_item=order.items[0], quantity=1))
    db.session.add(dispute)
    db.session.commit()
    if state == S.DRAFT:
        return dispute
    step = lambda role, action, **kw: act(dispute, role, action, t0, config, **kw)  # noqa: E731
    step(Role.BUYER, A.SUBMIT)
    if state == S.NEGOTIATING:
        step(Role.SELLER, A.OFFER)
        if turn == Role.SELLER:
            step(Role.BUYER, A.COUNTER)
    elif state in (S.UNDER_REVIEW, S.NEEDS_INFO):
        step(Role.SELLER, A.REJECT)
        step(Role.BUYER, A.ESCALATE)
        if state == S.NEEDS_INFO:
            party = turn if turn in (Role.BUYER, Role.SELLER) else Role.BUYER
            step(Role.REVIEWER, A.REQUEST_INFO, party=str(party))
    elif state in (S.AWAITING_RETURN, S.RETURN_IN_TRANSIT, S.CLOSED):
        dispute.will_return_item = state != S.CLOSED
        db.session.commit()
        step(Role.SELLER, A.ACCEPT)
        if state == S.RETURN_IN_TRANSIT:
            step(Role.BUYER, A.ADD_TRACKING)
    elif state == S.WITHDRAWN:
        step(Role.BUYER, A.WITHDRAW)
    elif state == S.RESOLVED:  # never a resting state: only forced here, to test refusals
        dispute.state = S.RESOLVED
        db.session.commit()
    assert dispute.state == state, (dispute.state, state)
    return dispute


def later(app, **delta):
    """Move the frozen clock forward."""
    app.config["CLOCK_NOW"] = app.config["CLOCK_NOW"] + timedelta(**delta)


def signed_in_clients(app) -> dict:
    """A signed-in test client per person (incl. a second seller), keyed by email name."""
    app.config["CLOCK_NOW"] = utcnow()
    with app.app_context():
        add_second_seller()
    clients = {}
    for email, password in PASSWORDS.items():
        clients[email.split("@")[0]] = client = app.test_client()
        client.post("/sign-in", data={"email": email, "password": password})
    return clients


def dispute_in(app, state, **kwargs) -> str:
    with app.app_context():
        return new_dispute(app, state, **kwargs).reference


def state_of(app, reference) -> Dispute:
    with app.app_context():
        dispute = db.session.scalar(select(Dispute).where(Dispute.reference == reference))
        db.session.expunge(dispute)
        return dispute


def do(client, reference, action, **data):
    """Post an action page's form."""
    return client.post(f"/disputes/{reference}/do/{action}", data=data)


def page(client, url) -> str:
    return client.get(url).get_data(as_text=True)
