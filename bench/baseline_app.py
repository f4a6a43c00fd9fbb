"""The baseline of bench/server.py: a bare Flask view that reads ten rows from SQLite and
renders a small template, run by the same gunicorn.conf.py as the portal.

    BENCH_BASELINE_DB=/tmp/x.sqlite gunicorn --config gunicorn.conf.py \
        --pythonpath bench baseline_app:app
"""

import os
import sqlite3
from contextlib import closing

from flask import Flask, render_template
from jinja2 import DictLoader

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baseline – Items</title></head>
<body><h1>Items</h1>
<ul>{% for id, title, price in rows %}
  <li><a href="/items/{{ id }}">{{ title }}</a> {{ "%.2f"|format(price / 100) }}</li>
{% endfor %}</ul></body></html>
"""

app = Flask(__name__)
app.jinja_loader = DictLoader({"items.html": PAGE})


def create_database(path: str) -> None:
    """Twenty rows in one table: what the view reads."""
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT, price INTEGER)")
        db.executemany(
            "INSERT INTO items (title, price) VALUES (?, ?)",
            [(f"Item number {n}", 199 * n) for n in range(1, 21)],
        )


@app.get("/")
def items():
    with closing(sqlite3.connect(os.environ["BENCH_BASELINE_DB"])) as db:
        rows = db.execute("SELECT id, title, price FROM items ORDER BY id LIMIT 10").fetchall()
    return render_template("items.html", rows=rows)
