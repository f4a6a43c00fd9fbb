import json

import pytest
from sqlalchemy import func, select

from dispute_portal.extensions import db
from dispute_portal.models import Order

HEADER = (
    "order_number,buyer_email,seller_email,currency,placed_at,delivered_at,"
    "item_title,quantity,unit_price\n"
)
GOOD = HEADER + (
    "A-1,buyer@example.com,seller@example.com,EUR,2026-11-01T10:00:00Z,2026-11-05,Lamp,1,24.90\n"
    "A-1,buyer@example.com,seller@example.com,EUR,2026-11-01T10:00:00Z,2026-11-05,Bulb,3,2.5\n"
    "A-2,buyer2@example.com,seller@example.com,JPY,2026-11-02,,Tea,2,1200\n"
)


def _import(runner, tmp_path, text, *options, name="orders.csv"):
    path = tmp_path / name
    path.write_text(text)
    return runner.invoke(args=["import-orders", str(path), *options])


def _order(app, number):
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_number == number))
        return order, [(i.title, i.quantity, i.unit_price_minor) for i in order.items]


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Order))


def test_a_good_file_imports_orders_with_items_in_minor_units(app, runner, tmp_path):
    result = _import(runner, tmp_path, GOOD)
    assert result.exit_code == 0, result.output
    assert "Imported: 2 create, 0 update, 0 unchanged." in result.output
    order, items = _order(app, "A-1")
    assert items == [("Lamp", 1, 2490), ("Bulb", 3, 250)]
    assert order.currency == "EUR" and order.delivered_at.day == 5
    assert _order(app, "A-2")[1] == [("Tea", 2, 1200)]
    assert _order(app, "A-2")[0].delivered_at is None


def test_reimporting_the_same_file_changes_nothing(app, runner, tmp_path):
    _import(runner, tmp_path, GOOD)
    before = _count(app)
    again = _import(runner, tmp_path, GOOD)
    assert again.exit_code == 0
    assert "Imported: 0 create, 0 update, 2 unchanged." in again.output
    assert _count(app) == before


def test_a_changed_order_is_updated_in_place(app, runner, tmp_path):
    _import(runner, tmp_path, GOOD)
    changed = GOOD.replace("Tea,2,1200", "Tea,3,1200")
    result = _import(runner, tmp_path, changed)
    assert "Update order A-2 (1 item(s))" in result.output
    assert _order(app, "A-2")[1] == [("Tea", 3, 1200)]


def test_dry_run_prints_what_would_change_and_changes_nothing(app, runner, tmp_path):
    before = _count(app)
    result = _import(runner, tmp_path, GOOD, "--dry-run")
    assert result.exit_code == 0
    assert "Would create order A-1 (2 item(s))" in result.output
    assert "Dry run, nothing changed" in result.output
    assert _count(app) == before


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("A-3,nobody@example.com,seller@example.com,EUR,2026-11-01,,Pen,1,1", "no buyer with"),
        ("A-3,buyer@example.com,buyer@example.com,EUR,2026-11-01,,Pen,1,1", "no seller with"),
        ("A-3,buyer@example.com,seller@example.com,ZZZ,2026-11-01,,Pen,1,1", "not an ISO 4217"),
        ("A-3,buyer@example.com,seller@example.com,EUR,yesterday,,Pen,1,1", "placed_at"),
        ("A-3,buyer@example.com,seller@example.com,EUR,2026-11-01,,Pen,0,1", "quantity '0'"),
        ("A-3,buyer@example.com,seller@example.com,EUR,2026-11-01,,Pen,1,1.234", "decimal places"),
        ("A-3,buyer@example.com,seller@example.com,EUR,2026-11-01,,Pen,1,-5", "negative"),
        ("A-1,buyer@example.com,seller@example.com,USD,2026-11-01,,Pen,1,1", "differs from line 2"),
    ],
)
def test_a_bad_row_is_reported_by_line_and_nothing_is_imported(
    app, runner, tmp_path, bad_line, message
):
    before = _count(app)
    result = _import(runner, tmp_path, GOOD + bad_line + "\n")
    assert result.exit_code == 1
    assert "orders.csv: line 5:" in result.output
    assert message in result.output
    assert "nothing was imported" in result.output
    assert _count(app) == before


def test_missing_columns_are_named(runner, tmp_path):
    result = _import(runner, tmp_path, "order_number,buyer_email\nA,b@example.com\n")
    assert result.exit_code == 1
    assert "line 1: missing column(s) seller_email, currency" in result.output


def test_an_order_with_a_dispute_cannot_change(app, runner, tmp_path, journey):
    journey.start("1001")
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_number == "1001"))
        row = f"1001,buyer@example.com,seller@example.com,{order.currency},2026-01-01,,Pen,1,1\n"
    result = _import(runner, tmp_path, HEADER + row)
    assert result.exit_code == 1
    assert "line 2: order 1001 has a dispute" in result.output


def test_json_orders_import_the_same_way(app, runner, tmp_path):
    orders = [
        {"order_number": "J-1", "buyer_email": "buyer@example.com",
         "seller_email": "seller@example.com", "currency": "GBP", "placed_at": "2026-11-01",
         "delivered_at": None, "items": [{"title": "Mug", "quantity": 2, "unit_price": "7.5"}]},
    ]  # fmt: skip
    result = _import(runner, tmp_path, json.dumps(orders), name="orders.json")
    assert result.exit_code == 0, result.output
    assert _order(app, "J-1")[1] == [("Mug", 2, 750)]
    orders[0]["items"][0]["quantity"] = "two"
    bad = _import(runner, tmp_path, json.dumps(orders), name="orders.json")
    assert bad.exit_code == 1 and "order 1, item 1: quantity 'two'" in bad.output
