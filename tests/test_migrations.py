from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from dispute_portal.extensions import db

from conftest import sqlite_only


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


@sqlite_only
def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_every_table_is_created_by_the_migrations(app):
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables


def test_text_is_stored_without_nul_characters_on_every_database(app, journey):
    journey.start("1001")
    journey.post("description", {"description": "Arrived broken\x00 in two pieces, sadly."})
    from dispute_journey import get_dispute

    assert get_dispute(app, journey.reference).description == "Arrived broken in two pieces, sadly."
