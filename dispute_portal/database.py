"""Database settings that make one small server safe under concurrent requests.

SQLite gets its pragmas and ``BEGIN IMMEDIATE``; PostgreSQL needs none of them, and
``begin_write`` takes a transaction-level advisory lock there instead.
"""

from flask import Flask
from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from .extensions import db


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    busy_timeout = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


# Any fixed number: every writer of this portal asks PostgreSQL for the same lock.
WRITE_LOCK_KEY = 7_160_427


def begin_write() -> None:
    """Start a write transaction that takes the write lock before it reads.

    A deferred transaction that reads and then writes can fail with "database is locked"
    when another writer got there first; BEGIN IMMEDIATE waits for the lock instead.
    """
    db.session.commit()  # end any read transaction this request already opened
    connection = db.session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    if connection.dialect.name == "postgresql":
        # One writer at a time, as on SQLite: what it reads next is what it may change.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def render_migration_type(type_: str, obj, _autogen_context):
    """Write our column types into migrations as the plain SQL types they store."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{type(obj.impl).__name__}()"
    return False


@event.listens_for(Session, "before_flush")
def _drop_nul_characters(session: Session, _flush_context, _instances) -> None:
    """PostgreSQL refuses text containing NUL (SQLite keeps it): a filename or a field
    someone sends with one is stored without it, the same on both."""
    for obj in (*session.new, *session.dirty):
        for attr in inspect(obj).mapper.column_attrs:
            value = getattr(obj, attr.key, None)
            if isinstance(value, str) and "\x00" in value:
                setattr(obj, attr.key, value.replace("\x00", ""))
