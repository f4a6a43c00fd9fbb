"""Pages read a fixed number of queries, however much a dispute or a buyer holds: what a
template shows is loaded with the page, never with one more query per row."""

import re

import pytest
from lifecycle_helpers import S, dispute_in, page, signed_in_clients, user
from sqlalchemy import event
from test_conversation import post_message

from dispute_portal.extensions import db
from dispute_portal.models import Order, OrderItem, Role, User, utcnow

from conftest import make_photo, sqlite_only


@pytest.fixture
def clients(app):
    return signed_in_clients(app)


def statements_sent(app, client, url) -> list[tuple[str, tuple]]:
    """The SQL statements (and their parameters) one GET of url sends to the database."""
    with app.app_context():
        engine = db.engine
    sent = []

    def keep(_conn, _cursor, statement, parameters, *_args):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return sent


def statements_for(app, client, url) -> int:
    return len(statements_sent(app, client, url))


@pytest.mark.parametrize(
    ("state", "page_of", "reader"),
    [
        (S.AWAITING_SELLER, "/disputes/{}", "buyer"),  # the dispute's own page
        (S.UNDER_REVIEW, "/review/{}", "reviewer"),  # the reviewer's case
    ],
)
def test_dispute_pages_read_the_same_queries_however_long_the_thread(
    app, clients, state, page_of, reader
):
    reference = dispute_in(app, state)
    url = page_of.format(reference)
    post_message(clients["seller"], reference, "As packed.", ("a.png", make_photo("PNG", seed=1)))
    before = statements_for(app, clients[reader], url)
    for n in range(3):
        photo = (f"b{n}.png", make_photo("PNG", seed=10 + n))
        assert post_message(clients["buyer"], reference, f"Message {n}", photo).status_code == 303
    assert statements_for(app, clients[reader], url) == before
    assert page(clients[reader], url).count("Message ") >= 3


def test_your_orders_reads_the_same_queries_however_many_orders(app, clients):
    before = statements_for(app, clients["buyer"], "/orders")
    with app.app_context():
        buyer = user("buyer@example.com")
        for n in range(5):  # each from a seller of its own, with two items
            seller = User(
                email=f"shop{n}@example.com",
                display_name=f"Shop {n}",
                role=Role.SELLER,
                password_hash="-",
            )
            items = [
                OrderItem(title=f"Thing {n}.{i}", quantity=1, unit_price_minor=500) for i in (1, 2)
            ]
            db.session.add(
                Order(
                    order_number=f"90{n}",
                    buyer=buyer,
                    seller=seller,
                    currency="GBP",
                    placed_at=utcnow(),
                    delivered_at=utcnow(),
                    items=items,
                )
            )
        db.session.commit()
    assert statements_for(app, clients["buyer"], "/orders") == before
    assert "Shop 4" in page(clients["buyer"], "/orders")


def test_reviewer_queue_reads_the_same_queries_however_many_disputes(app, clients):
    dispute_in(app, S.UNDER_REVIEW)
    before = statements_for(app, clients["reviewer"], "/disputes")
    for _ in range(4):
        dispute_in(app, S.UNDER_REVIEW)
    assert statements_for(app, clients["reviewer"], "/disputes") == before


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
