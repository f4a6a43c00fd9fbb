"""Your orders and the work queues read a fixed number of queries however many orders or
disputes there are, and pick each page of the queue from an index."""

import re

from lifecycle_helpers import S, dispute_in, page, user
from sql_statements import statements_for, statements_sent

from dispute_portal.extensions import db
from dispute_portal.models import Order, OrderItem, Role, User, utcnow

from conftest import sqlite_only


def add_orders(app, count: int, seller_email=None) -> list[str]:
    """count delivered orders for the demo buyer, each with two items; from one new seller
    each, or from seller_email. Returns their numbers."""
    numbers = []
    with app.app_context():
        buyer = user("buyer@example.com")
        for n in range(count):
            seller = (
                user(seller_email)
                if seller_email
                else User(
                    email=f"shop{n}@example.com",
                    display_name=f"Shop {n}",
                    role=Role.SELLER,
                    password_hash="-",
                )
            )
            items = [
                OrderItem(title=f"Thing {n}.{i}", quantity=1, unit_price_minor=500) for i in (1, 2)
            ]
            numbers.append(f"90{n}")
            db.session.add(
                Order(
                    order_number=numbers[-1],
                    buyer=buyer,
                    seller=seller,
                    currency="GBP",
                    placed_at=utcnow(),
                    delivered_at=utcnow(),
                    items=items,
                )
            )
        db.session.commit()
    return numbers


def test_your_orders_reads_the_same_queries_however_many_orders(app, clients):
    before = statements_for(app, clients["buyer"], "/orders")
    add_orders(app, 5)  # from five new sellers
    assert statements_for(app, clients["buyer"], "/orders") == before
    assert "Shop 4" in page(clients["buyer"], "/orders")


def test_reviewer_queue_reads_the_same_queries_however_many_disputes(app, clients):
    dispute_in(app, S.UNDER_REVIEW)
    before = statements_for(app, clients["reviewer"], "/disputes")
    for number in add_orders(app, 4, seller_email="seller@example.com"):
        dispute_in(app, S.UNDER_REVIEW, order_number=number)  # each on an order of its own
    assert statements_for(app, clients["reviewer"], "/disputes") == before
    assert "<td>903</td>" in page(clients["reviewer"], "/disputes")


@sqlite_only
def test_reviewer_queue_chooses_its_page_from_an_index_holding_every_filtered_column(app, clients):
    """Open work and finished disputes are picked from an index alone; only the rows shown
    are then read from the table, however many disputes there are (bench/scale.py)."""
    dispute_in(app, S.UNDER_REVIEW)
    sent = statements_sent(app, clients["reviewer"], "/disputes")
    queues = [(sql, params) for sql, params in sent if "FROM disputes" in sql]
    assert len(queues) == 2  # open work by deadline, recently finished by last change
    with app.app_context():
        cursor = db.engine.raw_connection().cursor()
        for sql, params in queues:
            plan = " ".join(row[3] for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            index = re.search(r"USING (?:COVERING )?INDEX (\w+)", plan).group(1)
            held = {row[2] for row in cursor.execute(f"PRAGMA index_info({index})")}
            (definition,) = cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name = ?", (index,)
            ).fetchone()
            if "WHERE review_started_at IS NOT NULL" in definition:
                held.add("review_started_at")  # a partial index holds only those rows
            assert {"state", "review_started_at"} <= held, (index, plan)
        cursor.close()
