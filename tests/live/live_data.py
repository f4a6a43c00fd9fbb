"""The live server's database, read and seeded from outside the server: rows of one SQL
statement, order and photo ids, and extra buyers with orders for `make soak`."""

from pathlib import Path

from portal_server import flask


def query(database_uri: str, sql: str, **params) -> list[tuple]:
    """Rows of one read-only SQL statement, on a connection of its own."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_uri)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def order_ids(database_uri: str, numbers: list[str]) -> dict[str, int]:
    rows = query(database_uri, "SELECT order_number, id FROM orders")
    found = {number: order_id for number, order_id in rows}
    return {number: found[number] for number in numbers}


def photo_ids(database_uri: str, reference: str) -> set[str]:
    sql = (
        "SELECT p.public_id FROM evidence_photos p JOIN disputes d ON d.id = p.dispute_id "
        "WHERE d.reference = :reference"
    )
    return {row[0] for row in query(database_uri, sql, reference=reference)}


def add_buyers(env: dict, count: int, tmp: Path) -> list[tuple[str, str, str]]:
    """`count` buyers, each with one delivered order (numbers 7001...) from
    seller@example.com: users written straight into the database before the server
    starts, orders through `flask import-orders`. Returns (email, password, number)."""
    from datetime import UTC, datetime, timedelta

    from dispute_portal import create_app
    from dispute_portal.extensions import db
    from dispute_portal.models import Role, User
    from dispute_portal.passwords import hash_password

    buyers = [(f"soak{n}@example.com", f"soak-pass-{n:04d}", str(7001 + n)) for n in range(count)]
    config = {
        "SECRET_KEY": "live-seeding-only",
        "SQLALCHEMY_DATABASE_URI": env["DISPUTE_PORTAL_SQLALCHEMY_DATABASE_URI"],
        "EVIDENCE_FOLDER": env["DISPUTE_PORTAL_EVIDENCE_FOLDER"],
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
    }
    app = create_app(config)
    with app.app_context():
        for email, password, _number in buyers:
            db.session.add(
                User(
                    email=email,
                    display_name=email.split("@")[0],
                    role=Role.BUYER,
                    password_hash=hash_password(password),
                )
            )
        db.session.commit()
        db.engine.dispose()
    delivered = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    placed = delivered - timedelta(days=3)
    rows = [
        "order_number,buyer_email,seller_email,currency,placed_at,delivered_at,"
        "item_title,quantity,unit_price"
    ]
    for email, _password, number in buyers:
        rows.append(
            f"{number},{email},seller@example.com,GBP,{placed.isoformat()},"
            f"{delivered.isoformat()},Soak test kettle,1,29.99"
        )
    csv = tmp / "soak_orders.csv"
    csv.write_text("\n".join(rows) + "\n")
    flask(env, "import-orders", str(csv))
    return buyers
