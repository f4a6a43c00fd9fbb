"""The dispute form as a buyer fills it in, page by page, and look-ups of what it made."""

import io
import re

from photo_samples import make_photo
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from dispute_portal.extensions import db
from dispute_portal.models import Dispute, Order

DISPUTE_URL = re.compile(r"/disputes/(D-[0-9A-Z]{5}-[0-9A-Z]{5})/")


def order_id(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Order.id).where(Order.order_number == number))


def get_dispute(app, reference: str) -> Dispute:
    with app.app_context():
        dispute = db.session.scalar(select(Dispute).where(Dispute.reference == reference))
        db.session.expunge_all()
        return dispute


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
