"""Orders and their items from a shop's export, idempotent by order number per seller.

CSV: one row per item, columns as in COLUMNS (docs/deploy.md). JSON: a list of orders,
each with the same fields and an "items" list of {title, quantity, unit_price}.
A file with any bad row changes nothing.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from babel.numbers import is_currency
from sqlalchemy import delete, func, select

from .database import begin_write
from .extensions import db
from .models import Dispute, Order, OrderItem, Role, User
from .money import AmountError, parse_amount

COLUMNS = ("order_number", "buyer_email", "seller_email", "currency", "placed_at",
           "delivered_at", "item_title", "quantity", "unit_price")  # fmt: skip
ORDER_FIELDS = COLUMNS[:6]


class BadRow(ValueError):
    pass


@dataclass
class ImportedOrder:
    where: str
    fields: dict
    buyer: User
    seller: User
    placed_at: datetime
    delivered_at: datetime | None
    items: list[tuple[str, int, int]] = field(default_factory=list)


def read_rows(text: str, fmt: str) -> list[tuple[str, dict]]:
    """(where, row) pairs: "line 3" for CSV, "order 2, item 1" for JSON."""
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise BadRow(f"line 1: missing column(s) {', '.join(missing)}")
        return [(f"line {reader.line_num}", row) for row in reader]
    try:
        orders = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadRow(f"line {error.lineno}: not JSON ({error.msg})") from None
    if not isinstance(orders, list) or not all(isinstance(o, dict) for o in orders):
        raise BadRow("the JSON must be a list of orders")
    rows = []
    for n, order in enumerate(orders, 1):
        for m, item in enumerate(order.get("items") or [{}], 1):
            row = {key: order.get(key) for key in ORDER_FIELDS}
            row.update(item_title=item.get("title"), quantity=item.get("quantity"))
            row.update(unit_price=item.get("unit_price"))
            rows.append(
                (f"order {n}, item {m}", {k: "" if v is None else str(v) for k, v in row.items()})
            )
    return rows


def _time(text: str, column: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise BadRow(f"{column} {text!r} is not a date like 2026-03-01T14:30:00Z") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _user(email: str, role: Role, column: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None or user.role != role:
        raise BadRow(f"{column}: there is no {role.value} with the email address {email!r}")
    return user


def _parse(where: str, row: dict, orders: dict) -> None:
    row = {k: (row.get(k) or "").strip() for k in COLUMNS}
    if not 0 < len(row["order_number"]) <= 64:
        raise BadRow("order_number must be 1 to 64 characters")
    currency = row["currency"].upper()
    if not is_currency(currency):
        raise BadRow(f"currency {row['currency']!r} is not an ISO 4217 code like EUR")
    seller = _user(row["seller_email"], Role.SELLER, "seller_email")
    key = (seller.id, row["order_number"])
    fields = {k: row[k] for k in ORDER_FIELDS} | {"currency": currency}
    if key in orders and orders[key].fields != fields:
        raise BadRow(f"order {row['order_number']} differs from {orders[key].where}")
    if key not in orders:
        placed = _time(row["placed_at"], "placed_at")
        delivered = _time(row["delivered_at"], "delivered_at") if row["delivered_at"] else None
        if delivered and delivered < placed:
            raise BadRow("delivered_at is before placed_at")
        buyer = _user(row["buyer_email"], Role.BUYER, "buyer_email")
        orders[key] = ImportedOrder(where, fields, buyer, seller, placed, delivered)
    if not 0 < len(row["item_title"]) <= 200:
        raise BadRow("item_title must be 1 to 200 characters")
    if not row["quantity"].isdigit() or int(row["quantity"]) < 1:
        raise BadRow(f"quantity {row['quantity']!r} is not a whole number of at least 1")
    try:
        if "-" in row["unit_price"]:
            raise AmountError("a price cannot be negative")
        price = parse_amount(row["unit_price"], currency)
    except AmountError as error:
        raise BadRow(f"unit_price {row['unit_price']!r}: {error}") from None
    orders[key].items.append((row["item_title"], int(row["quantity"]), price))


def _plan_one(order: ImportedOrder) -> tuple[str, Order | None]:
    existing = db.session.scalar(
        select(Order).where(
            Order.seller_id == order.seller.id, Order.order_number == order.fields["order_number"]
        )
    )
    if existing is None:
        return "create", None
    same = (
        (existing.buyer_id, existing.currency, existing.placed_at, existing.delivered_at)
        == (order.buyer.id, order.fields["currency"], order.placed_at, order.delivered_at)
    ) and [(i.title, i.quantity, i.unit_price_minor) for i in existing.items] == order.items
    if same:
        return "unchanged", existing
    if db.session.scalar(select(Dispute.id).where(Dispute.order_id == existing.id).limit(1)):
        raise BadRow(f"order {existing.order_number} has a dispute: it can no longer change")
    return "update", existing


def plan_import(rows: list[tuple[str, dict]]) -> tuple[list, list[str]]:
    """[(action, imported, existing)] and the problems, each "where: reason"."""
    orders, problems, plan = {}, [], []
    for where, row in rows:
        try:
            _parse(where, row, orders)
        except BadRow as error:
            problems.append(f"{where}: {error}")
    for order in [] if problems else orders.values():
        try:
            action, existing = _plan_one(order)
            plan.append((action, order, existing))
        except BadRow as error:
            problems.append(f"{order.where}: {error}")
    return plan, problems


def apply_import(plan: list) -> None:
    """Write every created or changed order in one transaction."""
    begin_write()
    for action, order, existing in plan:
        if action == "unchanged":
            continue
        values = {
            "buyer_id": order.buyer.id,
            "currency": order.fields["currency"],
            "placed_at": order.placed_at,
            "delivered_at": order.delivered_at,
        }
        if existing is None:
            number = order.fields["order_number"]
            existing = Order(order_number=number, seller_id=order.seller.id, **values)
            db.session.add(existing)
        else:
            db.session.execute(delete(OrderItem).where(OrderItem.order_id == existing.id))
            for name, value in values.items():
                setattr(existing, name, value)
        db.session.flush()
        for title, quantity, price in order.items:
            item = OrderItem(title=title, quantity=quantity, unit_price_minor=price)
            item.order_id = existing.id
            db.session.add(item)
    db.session.commit()
