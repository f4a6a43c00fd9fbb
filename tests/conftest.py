"""Fixtures: an app on a fresh copy of a migrated database, with the demo data loaded.

SQLite by default. With ``DISPUTE_PORTAL_TEST_DATABASE_URL`` set to a PostgreSQL server
(``make test-postgres`` starts one), each test gets its own database, made from a
template database that the migrations built once.
"""

import itertools
import os
import shutil

import pytest
from dispute_journey import Journey
from flask_migrate import upgrade
from lifecycle_helpers import signed_in_clients
from sqlalchemy import create_engine, make_url

from dispute_portal import create_app
from dispute_portal.demo import load_demo_data
from dispute_portal.extensions import db

POSTGRES_URL = os.environ.get("DISPUTE_PORTAL_TEST_DATABASE_URL")
on_postgres = pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL: make test-postgres")
sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="checks SQLite-only behaviour")
_database_numbers = itertools.count()
_extra_apps = []


def _postgres_admin(statement: str) -> None:
    """CREATE/DROP DATABASE cannot run in a transaction: autocommit on the server's own db."""
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(statement)
    engine.dispose()


def _postgres_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _test_config(tmp_path, database_file):
    uri = database_file if "://" in str(database_file) else f"sqlite:///{database_file}"
    return {
        "TESTING": True,
        "SECRET_KEY": "test-only-secret",
        "SQLALCHEMY_DATABASE_URI": uri,
        "EVIDENCE_FOLDER": str(tmp_path / "evidence"),
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
    }


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """Run the migrations once; each test gets its own copy of the result."""
    folder = tmp_path_factory.mktemp("template")
    database = folder / "template.sqlite"
    if POSTGRES_URL:
        _postgres_admin(f"DROP DATABASE IF EXISTS test_template_{os.getpid()} WITH (FORCE)")
        _postgres_admin(f"CREATE DATABASE test_template_{os.getpid()}")
        database = _postgres_url(f"test_template_{os.getpid()}")
    app = create_app(_test_config(folder, database))
    with app.app_context():
        upgrade()
        load_demo_data()
        db.engine.dispose()
    yield database
    if POSTGRES_URL:
        _postgres_admin(f"DROP DATABASE test_template_{os.getpid()} WITH (FORCE)")


@pytest.fixture
def database_uri(tmp_path, migrated_database):
    """A fresh copy of the migrated demo database, as a URI for SQLALCHEMY_DATABASE_URI."""
    if POSTGRES_URL:
        name = f"test_{os.getpid()}_{next(_database_numbers)}"
        _postgres_admin(f"CREATE DATABASE {name} TEMPLATE test_template_{os.getpid()}")
        yield _postgres_url(name)
        _close_extra_apps()
        _postgres_admin(f"DROP DATABASE {name} WITH (FORCE)")
    else:
        shutil.copy(migrated_database, tmp_path / "portal.sqlite")
        yield f"sqlite:///{tmp_path / 'portal.sqlite'}"


def make_test_app(tmp_path, database_uri, **overrides):
    """Another app on the given database: a second gunicorn worker, say."""
    app = create_app({**_test_config(tmp_path, database_uri), **overrides})
    _extra_apps.append(app)
    return app


def _close_extra_apps():
    """Close the connections of apps that tests made: an open one warns when collected."""
    while _extra_apps:
        with _extra_apps.pop().app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def close_extra_apps():
    yield
    _close_extra_apps()


@pytest.fixture
def app(tmp_path, database_uri):
    app = create_app(_test_config(tmp_path, database_uri))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def sign_in(self, email="buyer@example.com", password="buyer-pass-1"):
        return self._client.post("/sign-in", data={"email": email, "password": password})

    def sign_out(self):
        return self._client.post("/sign-out")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def journey(app, client, auth):
    auth.sign_in()
    return Journey(app, client)


@pytest.fixture
def clients(app):
    """A signed-in test client per person, keyed by email name: buyer, buyer2, seller,
    seller2, reviewer."""
    return signed_in_clients(app)
