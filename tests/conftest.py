"""Fixtures: an app on a fresh copy of a migrated database, with the demo data loaded.

SQLite by default. With ``DISPUTE_PORTAL_TEST_DATABASE_URL`` set to a PostgreSQL server
(``make test-postgres`` starts one), each test gets its own database, made from a
template database that the migrations built once.
"""

import io
import itertools
import os
import random
import re
import shutil

import pytest
from flask_migrate import upgrade
from PIL import Image
from sqlalchemy import create_engine, make_url, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from dispute_portal import create_app
from dispute_portal.demo import load_demo_data
from dispute_portal.extensions import db
from dispute_portal.models import Dispute, Order

DISPUTE_URL = re.compile(r"/disputes/(D-[0-9A-Z]{5}-[0-9A-Z]{5})/")


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


def order_id(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Order.id).where(Order.order_number == number))


def get_dispute(app, reference: str) -> Dispute:
    with app.app_context():
        dispute = db.session.scalar(select(Dispute).where(Dispute.reference == reference))
        db.session.expunge_all()
        return dispute


def make_photo(fmt: str = "JPEG", size=(1200, 900), seed: int = 1) -> bytes:
    """A photo-like image: noisy enough to look sharp, bright enough to look lit."""
    rng = random.Random(seed)
    small = Image.new("RGB", (size[0] // 8, size[1] // 8))
    small.putdata(
        [
            (rng.randrange(80, 255), rng.randrange(80, 255), rng.randrange(80, 255))
            for _ in range(small.width * small.height)
        ]
    )
    image = small.resize(size, Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


class Journey:
    """Walks the dispute form the way a buyer does, one page at a time."""

    def __init__(self, app, client):
        self.app, self.client = app, client
        self.reference = None

    def start(self, number: str = "1002"):
        response = self.client.post(f"/orders/{order_id(self.app, number)}/dispute")
        self.reference = DISPUTE_URL.search(response.location).group(1)
        return response

    def url(self, step: str) -> str:
        return f"/disputes/{self.reference}/{step}"

    def post(self, step: str, data=None, **kwargs):
        return self.client.post(self.url(step), data=data or {}, **kwargs)

    def upload(self, *photos, action="upload", next=""):
        fields = MultiDict([("action", action), ("next", next)])
        for name, data in photos:
            fields.add("photos", FileStorage(io.BytesIO(data), name, "photos"))
        # Encoded in memory: the test client would otherwise spool big bodies to
        # temporary files that it never closes.
        boundary, body = encode_multipart(fields)
        return self.post("photos", body, content_type=f"multipart/form-data; boundary={boundary}")

    def complete(self, number: str = "1002", reason: str = "damaged"):
        """Answer every question with valid answers, ready to submit."""
        self.start(number)
        if number == "1002":
            self.post("items", {"item": [self._item_id(number, 0)]})
        self.post("reason", {"reason": reason})
        self.post("description", {"description": "The box was crushed and the item cracked."})
        self.post("remedy", {"remedy": "full_refund"})
        if reason in {"damaged", "wrong_item", "quality"}:
            self.post("return", {"will_return": "yes"})
            self.upload(("crack.jpg", make_photo()))
        return self.reference

    def _item_id(self, number: str, index: int) -> str:
        with self.app.app_context():
            order = db.session.get(Order, order_id(self.app, number))
            return str(order.items[index].id)


@pytest.fixture
def journey(app, client, auth):
    auth.sign_in()
    return Journey(app, client)
