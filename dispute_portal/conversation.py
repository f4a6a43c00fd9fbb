"""The message thread of a submitted dispute: who may read it, who may post, posting.

Buyer and seller from submission on; a reviewer once the dispute has reached review
(access.can_view_dispute). A message and its photos are written together, and neither
can be changed afterwards: they are part of the dispute's record.
"""

from pathlib import Path

from flask_babel import lazy_gettext as _l

from . import message_photos, notifications
from .access import party_role
from .database import begin_write
from .evidence import EvidenceLimits, EvidenceRefused
from .extensions import db
from .models import FINISHED_STATES, Dispute, Message, User

MESSAGE_MAX_CHARS = 5000


class MessageRefused(Exception):
    """A message that cannot be posted; `field` is "body" or "photos"."""

    def __init__(self, message, field: str = "body", status: int = 422):
        super().__init__(str(message))
        self.message, self.field, self.status = message, field, status


def can_read_thread(user: User, dispute: Dispute) -> bool:
    return not dispute.is_draft and party_role(user, dispute) is not None


def can_post(user: User, dispute: Dispute) -> bool:
    return can_read_thread(user, dispute) and dispute.state not in FINISHED_STATES


def post_message(
    dispute: Dispute,
    author: User,
    body: str | None,
    uploads: list,
    folder: Path,
    limits: EvidenceLimits,
    max_photos: int,
) -> Message:
    """Post a message with up to `max_photos` (filename, data) photos, or raise
    MessageRefused with what to fix."""
    body = (body or "").strip()
    if not body:
        raise MessageRefused(_l("Write your message"))
    if len(body) > MESSAGE_MAX_CHARS:
        raise MessageRefused(_l("Write no more than %(most)d characters", most=MESSAGE_MAX_CHARS))
    if len(uploads) > max_photos:
        raise MessageRefused(
            _l("Add up to %(count)d photos to one message", count=max_photos), "photos"
        )
    try:
        prepared = message_photos.prepare_photos(uploads, dispute, folder, limits)
    except EvidenceRefused as refused:
        raise MessageRefused(refused.message, "photos", refused.status) from None
    try:
        begin_write()
        db.session.refresh(dispute)
        if not can_post(author, dispute):
            raise MessageRefused(_l("This dispute has ended: messages can no longer be sent."))
        message = Message(
            dispute_id=dispute.id,
            author_id=author.id,
            author_role=party_role(author, dispute),
            body=body,
        )
        db.session.add(message)
        db.session.flush()
        try:
            message_photos.add_prepared(prepared, dispute, author, message.id)
        except EvidenceRefused as refused:
            raise MessageRefused(refused.message, "photos") from None
        notices = notifications.for_message(dispute, message)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        message_photos.discard(prepared)
        raise
    notifications.send_emails(notices)
    return message
