"""Data for bench/scale.py: N disputes bulk-inserted into a migrated SQLite database.

Spread over many buyers, sellers and orders, with events and photo rows, all from one
seeded random generator so that every run builds the same database.
"""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 8

DESCRIPTIONS = (
    "It stopped working after two days and will not switch on again.",
    "The box was crushed and the item inside is cracked along one side.",
    "I received a different colour from the one in my order.",
    "Two of the parts listed on the box were missing.",
)
REASONS = ("doesnt_work", "damaged", "wrong_item", "missing_parts")
TITLES = ("Kettle", "Desk chair", "Phone case", "Headphones", "Backpack", "Lamp", "Mug")


def generate(db_path: Path, n: int) -> dict[str, int]:
    """N disputes (with orders, items, events and photo rows) for other buyers and
    sellers, bulk-inserted in one transaction. Returns rows added per table."""
    from sqlalchemy import create_engine, func, insert, select

    from dispute_portal.models import (
        Dispute,
        DisputeEvent,
        DisputeItem,
        DisputeState,
        EvidencePhoto,
        Order,
        OrderItem,
        Outcome,
        Remedy,
        Resolution,
        Role,
        User,
    )
    from dispute_portal.models.disputes import new_reference

    S = DisputeState
    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(microsecond=0)
    day = timedelta(days=1)
    n_buyers, n_sellers = max(100, n // 2), max(20, n // 200)
    rows: dict[type, list[dict]] = {
        t: [] for t in (User, Order, OrderItem, Dispute, DisputeItem, DisputeEvent, EvidencePhoto)
    }
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as db:
        next_id = {t: 1 + (db.scalar(select(func.max(t.id))) or 0) for t in rows}

        def add(table, **values) -> int:
            values["id"] = next_id[table]
            next_id[table] += 1
            rows[table].append(values)
            return values["id"]

        def user(kind: Role, i: int) -> int:
            return add(
                User,
                email=f"scale-{kind.value}-{i}@example.com",
                display_name=f"{kind.value.title()} {i}",
                role=kind,
                password_hash="!",  # never signs in
                active=True,
                session_version=1,
            )

        buyers = [user(Role.BUYER, i) for i in range(n_buyers)]
        sellers = [user(Role.SELLER, i) for i in range(n_sellers)]

        def event(dispute_id, actor, action, before, after, when) -> None:
            add(
                DisputeEvent,
                dispute_id=dispute_id,
                actor_id=actor,
                action=action,
                from_state=before,
                to_state=after,
                detail="",
                created_at=when,
            )

        for k in range(n):
            buyer, seller = rng.choice(buyers), rng.choice(sellers)
            age = rng.uniform(0, 730)  # two years of disputes
            created = now - age * day
            placed = created - rng.uniform(5, 25) * day
            order = add(
                Order,
                order_number=f"S{k}",
                buyer_id=buyer,
                seller_id=seller,
                currency="GBP",
                placed_at=placed,
                delivered_at=placed + 3 * day,
            )
            items = [
                add(
                    OrderItem,
                    order_id=order,
                    title=rng.choice(TITLES),
                    quantity=1,
                    unit_price_minor=rng.randrange(500, 20000),
                )
                for _ in range(rng.randint(1, 3))
            ]
            d = dict(
                reference=new_reference(),
                order_id=order,
                buyer_id=buyer,
                reason=rng.choice(REASONS),
                description=rng.choice(DESCRIPTIONS),
                remedy=Remedy.FULL_REFUND,
                will_return_item=False,
                created_at=created,
                updated_at=created,
                seller_did_not_respond=False,
            )
            submitted = created + rng.uniform(0, 0.2) * day
            # Recent disputes are open (every deadline still ahead, so no page view fires
            # a timer); older ones have ended.
            if age < 3 and rng.random() < 0.3:
                d.update(state=S.DRAFT)
            elif age < 25:
                d.update(submitted_at=submitted, seller_response_due_at=submitted + 5 * day)
                if age < 5:
                    d.update(state=S.AWAITING_SELLER, deadline_at=submitted + 5 * day)
                    d.update(waiting_on=Role.SELLER)
                elif rng.random() < 0.5:
                    d.update(state=S.NEGOTIATING, deadline_at=now + rng.uniform(0.5, 3) * day)
                    d.update(waiting_on=Role.BUYER)
                else:
                    review = now - rng.uniform(0, min(age - 3, 20)) * day
                    d.update(state=S.UNDER_REVIEW, review_started_at=review)
                    d.update(deadline_at=review + 7 * day, waiting_on=Role.REVIEWER)
            elif rng.random() < 0.8:
                closed = min(now - day, created + rng.uniform(3, 40) * day)
                d.update(state=S.CLOSED, submitted_at=submitted, closed_at=closed)
                d.update(deadline_at=closed + 30 * day)  # the appeal window
                if rng.random() < 0.35:  # decided by a reviewer
                    d.update(review_started_at=submitted + 6 * day, outcome=Outcome.DECIDED)
                    d.update(resolution=rng.choice(list(Resolution)))
                    d.update(decision_reason="Photos show the damage described.")
                else:
                    d.update(outcome=Outcome.AGREED, resolution=Resolution.FULL_REFUND)
            else:
                d.update(state=S.WITHDRAWN, submitted_at=submitted, closed_at=submitted + day)
            dispute = add(Dispute, **d)
            add(DisputeItem, dispute_id=dispute, order_item_id=items[0], quantity=1)
            state = d["state"]
            if state != S.DRAFT:
                event(dispute, buyer, "submit", "draft", "awaiting_seller", submitted)
            if state in (S.NEGOTIATING, S.CLOSED):
                event(dispute, seller, "offer", "awaiting_seller", "negotiating", submitted + day)
            if d.get("review_started_at"):
                when = d["review_started_at"]
                event(dispute, seller, "reject", "awaiting_seller", "negotiating", when - day)
                event(dispute, buyer, "escalate", "negotiating", "under_review", when)
            if state == S.CLOSED:
                event(dispute, None, "decide", "under_review", "closed", d["closed_at"])
            if state == S.WITHDRAWN:
                event(dispute, buyer, "withdraw", "awaiting_seller", "withdrawn", d["closed_at"])
            for p in range(rng.randint(0, 2) if state == S.DRAFT else rng.randint(1, 4)):
                add(
                    EvidencePhoto,
                    public_id=f"scale{dispute}x{p}",
                    dispute_id=dispute,
                    uploader_id=buyer,
                    original_filename=f"IMG_{p:04d}.jpg",
                    caption="",
                    width=2048,
                    height=1536,
                    byte_size=rng.randrange(300_000, 900_000),
                    sha256=f"{rng.getrandbits(256):064x}",
                    fingerprint=f"{rng.getrandbits(256):064x}",
                    quality_warnings="",
                    created_at=created,
                )
        for table, values in rows.items():  # parents before children
            # executemany needs one set of keys: what a row left out is NULL.
            keys = set().union(*values)
            db.execute(insert(table), [dict.fromkeys(keys) | row for row in values])
    engine.dispose()
    return {table.__tablename__: len(values) for table, values in rows.items()}
