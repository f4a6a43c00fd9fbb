"""Live fixtures: the portal under a real gunicorn on 127.0.0.1, on a fresh copy of the
tests' migrated demo database (PostgreSQL when DISPUTE_PORTAL_TEST_DATABASE_URL is set,
as under tests/with_postgres.sh), with an empty evidence folder; stopped by its PID.

Each test records what it tried and what passed in ``figures``; the table is printed at
the end of the run (pytest's terminal summary), so `make test` shows it without -s.
"""

import os
import shutil
import sys

import pytest
from portal_server import server_env
from sqlalchemy import create_engine, make_url

from .live_portal import gunicorn

POSTGRES_URL = os.environ.get("DISPUTE_PORTAL_TEST_DATABASE_URL")
FIGURES: list[tuple[str, int, int, str]] = []


def _require_linux_proc() -> None:
    if not sys.platform.startswith("linux") or not os.path.isdir("/proc/self/fd"):
        pytest.skip("the live tests read gunicorn's workers from /proc (Linux only)")


def _postgres_admin(statement: str) -> None:
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(statement)
    engine.dispose()


@pytest.fixture(scope="session")
def live_database(tmp_path_factory, migrated_database):
    """A copy of the migrated demo database of its own, as a SQLAlchemy URI."""
    if POSTGRES_URL:
        name = f"live_{os.getpid()}"
        _postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _postgres_admin(f"CREATE DATABASE {name} TEMPLATE test_template_{os.getpid()}")
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        _postgres_admin(f"DROP DATABASE {name} WITH (FORCE)")
        return
    folder = tmp_path_factory.mktemp("live_db")
    shutil.copy(migrated_database, folder / "portal.sqlite")
    yield f"sqlite:///{folder / 'portal.sqlite'}"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, live_database):
    """gunicorn (2 gthread workers, the repo's gunicorn.conf.py) on a free port."""
    _require_linux_proc()
    instance = tmp_path_factory.mktemp("live_instance")
    # A generous lock wait: twenty racing writers on a loaded 2-core machine.
    env = server_env(instance, live_database, workers=2, SQLITE_BUSY_TIMEOUT_MS=30000)
    with gunicorn(env) as server:
        yield server


@pytest.fixture
def figures():
    """record(check, tried, passed, note): one line of the table printed at the end."""

    def record(check: str, tried: int, passed: int, note: str = "") -> None:
        FIGURES.append((check, tried, passed, note))

    return record


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("live gunicorn checks")
    write(f"{'check':<52} {'tried':>5} {'passed':>6}  note")
    for check, tried, passed, note in FIGURES:
        write(f"{check:<52} {tried:>5} {passed:>6}  {note}")
