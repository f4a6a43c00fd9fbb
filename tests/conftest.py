"""Fixtures: an app on a fresh copy of a migrated database, with the demo data loaded."""

import io
import random
import re
import shutil

import pytest
from flask_migrate import upgrade
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from dispute_portal import create_app
from dispute_portal.demo import load_demo_data
from dispute_portal.extensions import db
from dispute_portal.models import Dispute, Order

DISPUTE_URL = re.compile(r"/disputes/(D-[0-9A-Z]{5}-[0-9A-Z]{5})/")


def _test_config(tmp_path, database_file):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-only-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_file}",
        "EVIDENCE_FOLDER": str(tmp_path / "evidence"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
    }


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """Run the migrations once; each test gets its own copy of the result."""
    folder = tmp_path_factory.mktemp("template")
    app = create_app(_test_config(folder, folder / "template.sqlite"))
    with app.app_context():
        upgrade()
        load_demo_data()
        db.engine.dispose()
    return folder / "template.sqlite"


@pytest.fixture
def app(tmp_path, migrated_database):
    database_file = tmp_path / "portal.sqlite"
    shutil.copy(migrated_database, database_file)
    app = create_app(_test_config(tmp_path, database_file))
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
