"""Demo disputes in several states, so a newcomer can see each screen of the lifecycle.

Each is built through lifecycle.perform at times in the past, so its history and
deadlines are what they would be had people really done these things.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from . import clock
from .extensions import db
from .lifecycle import Action, perform
from .models import Dispute, DisputeItem, Order, Remedy, User

A = Action
# (order, reason, what happened, remedy, [(days ago, who, action, inputs)])
DEMO_DISPUTES = (
    (
        "1006",
        "doesnt_work",
        "It does not switch on, even after a full charge.",
        [
            (1, "buyer", A.SUBMIT, {}),
        ],
    ),
    (
        "1007",
        "damaged",
        "One corner of the mat was torn when it arrived.",
        [
            (2, "buyer", A.SUBMIT, {}),
            (1, "seller", A.OFFER, {"kind": "partial_refund", "amount": 800}),
        ],
    ),
    (
        "1008",
        "wrong_item",
        "I ordered the brass lamp and received a white one.",
        [
            (9, "buyer", A.SUBMIT, {}),
            (8, "seller", A.REJECT, {"reason": "Our records show the brass lamp was packed."}),
            (7, "buyer", A.ESCALATE, {}),
        ],
    ),
    (
        "1009",
        "missing_parts",
        "The rain cover was missing from the box.",
        [
            (20, "buyer", A.SUBMIT, {}),
            (19, "seller", A.OFFER, {"kind": "partial_refund", "amount": 1000}),
            (18, "buyer", A.ACCEPT_OFFER, {}),
        ],
    ),
)


def load_demo_disputes(users: dict[str, User]) -> None:
    now, config = clock.now(), current_app.config
    people = {
        "buyer": users["buyer@example.com"],
        "seller": users["seller@example.com"],
    }
    for number, reason, description, steps in DEMO_DISPUTES:
        order = db.session.scalar(select(Order).where(Order.order_number == number))
        dispute = Dispute(
            order=order,
            buyer=people["buyer"],
            reason=reason,
            description=description,
            remedy=Remedy.FULL_REFUND,
            will_return_item=False,
            created_at=now - timedelta(days=steps[0][0]),
        )
        dispute.items.append(DisputeItem(order_item=order.items[0], quantity=1))
        db.session.add(dispute)
        db.session.commit()
        for days_ago, who, action, inputs in steps:
            if action == A.SUBMIT:
                inputs = {"check": lambda _draft: None}  # demo answers need no photos
            when = now - timedelta(days=days_ago)
            perform(dispute, people[who], action, when, config, **inputs)
