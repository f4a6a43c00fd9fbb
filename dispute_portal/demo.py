"""Demo accounts and orders, so a first run has something to click through."""

from datetime import timedelta

from sqlalchemy import func, select

from . import clock
from .demo_disputes import load_demo_disputes
from .extensions import db
from .models import Order, OrderItem, Role, User
from .passwords import hash_password

DEMO_USERS = (
    ("buyer@example.com", "buyer-pass-1", "Alex Buyer", Role.BUYER),
    ("buyer2@example.com", "buyer-pass-2", "Sam Second", Role.BUYER),
    ("seller@example.com", "seller-pass-1", "Demo Shop", Role.SELLER),
    ("reviewer@example.com", "reviewer-pass-1", "Robin Reviewer", Role.REVIEWER),
)

# (buyer, order number, days since delivery or None if not delivered, items)
DEMO_ORDERS = (
    ("buyer@example.com", "1001", 3, [("Ceramic coffee mug", 1, 1250)]),
    (
        "buyer@example.com",
        "1002",
        10,
        [("Running shoes", 1, 6500), ("Sports socks, 3 pack", 2, 999), ("Water bottle", 1, 1400)],
    ),
    ("buyer@example.com", "1003", 20, [("Wireless headphones", 1, 8999)]),
    ("buyer@example.com", "1004", 45, [("Winter coat", 1, 11000)]),
    ("buyer@example.com", "1005", None, [("Desk lamp", 1, 3400)]),
    ("buyer2@example.com", "2001", 5, [("Phone case", 1, 1500)]),
    # These four have demo disputes (demo_disputes.py): the others stay dispute-free.
    ("buyer@example.com", "1006", 6, [("Bluetooth speaker", 1, 4500)]),
    ("buyer@example.com", "1007", 8, [("Yoga mat", 1, 2800)]),
    ("buyer@example.com", "1008", 12, [("Brass table lamp", 1, 5200)]),
    ("buyer@example.com", "1009", 25, [("Hiking backpack", 1, 7400)]),
)


def load_demo_data() -> bool:
    """Create the demo data in an empty database. Returns False if users exist already."""
    if db.session.scalar(select(func.count()).select_from(User)):
        return False
    users = {}
    for email, password, name, role in DEMO_USERS:
        users[email] = User(
            email=email, display_name=name, role=role, password_hash=hash_password(password)
        )
        db.session.add(users[email])
    now = clock.now()
    for buyer_email, number, delivered_days_ago, items in DEMO_ORDERS:
        delivered = None if delivered_days_ago is None else now - timedelta(delivered_days_ago)
        order = Order(
            order_number=number,
            buyer=users[buyer_email],
            seller=users["seller@example.com"],
            currency="GBP",
            placed_at=(delivered or now) - timedelta(days=4),
            delivered_at=delivered,
        )
        for title, quantity, unit_price in items:
            order.items.append(
                OrderItem(title=title, quantity=quantity, unit_price_minor=unit_price)
            )
        db.session.add(order)
    db.session.commit()
    load_demo_disputes(users)
    return True
