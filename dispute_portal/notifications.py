"""Who is told what: one notice per person per event that needs them, in the app and by
email, in the recipient's own language; and reminders the day before their deadline."""

import logging
import smtplib
from datetime import timedelta

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from . import clock, mail
from .database import begin_write
from .extensions import db
from .i18n import DEFAULT_LANGUAGE, long_date, supported
from .models import Dispute, DisputeEvent, DisputeState, Message, Notification, Role, User
from .notice_texts import text_of

S = DisputeState
log = logging.getLogger(__name__)


def _parties(dispute: Dispute) -> dict[Role, User]:
    return {Role.BUYER: dispute.buyer, Role.SELLER: dispute.order.seller}


def _kinds_for(dispute: Dispute, event: DisputeEvent) -> list[tuple[Role, str]]:
    """(party, kind) for each notice this event calls for."""
    action, from_state, to_state = event.action, event.from_state, event.to_state
    both = [(Role.BUYER, action), (Role.SELLER, action)]
    match action:
        case "submit":
            kinds = [(Role.SELLER, "new_dispute")]
        case "offer" | "counter":
            kinds = [(dispute.waiting_on, "offer")]
        case "reject":
            kinds = [(Role.BUYER, "reject")]
        case "request_info":
            kinds = [(Role(event.detail), "request_info")]
        case "decide" | "accept" | "accept_offer":
            kinds = both
        case _:
            kinds = []
    if to_state == S.UNDER_REVIEW and from_state not in (S.UNDER_REVIEW, S.NEEDS_INFO):
        kinds += [(Role.BUYER, "under_review"), (Role.SELLER, "under_review")]
    if to_state == S.AWAITING_RETURN:
        kinds.append((Role.BUYER, "return_send"))
    if to_state == S.RETURN_IN_TRANSIT:
        kinds.append((Role.SELLER, "return_confirm"))
    if to_state == S.CLOSED and action == "timeout":
        kinds += [(Role.BUYER, "closed"), (Role.SELLER, "closed")]
    return kinds


def for_event(dispute: Dispute, event: DisputeEvent) -> list[Notification]:
    """Add the event's notices to the open transaction (lifecycle.perform commits them)."""
    people, notices = _parties(dispute), []
    for role, kind in _kinds_for(dispute, event):
        user = people.get(role)
        if user is not None and user.id != event.actor_id:
            notices.append(_add(user, dispute, kind, event.created_at))
    return notices


def for_message(dispute: Dispute, message: Message) -> list[Notification]:
    """A new message: buyer and seller, less its author (reviewers read their queue)."""
    people = _parties(dispute).values()
    return [
        _add(user, dispute, "message", message.created_at)
        for user in people
        if user.id != message.author_id
    ]


def _add(user: User, dispute: Dispute, kind: str, when, key=None) -> Notification:
    notice = Notification(user=user, dispute_id=dispute.id, kind=kind, created_at=when, key=key)
    db.session.add(notice)
    return notice


def send_reminders() -> list[Notification]:
    """One reminder per deadline that a buyer or seller owns, the day before it passes."""
    now, config = clock.now(), current_app.config
    soon = now + timedelta(hours=config["REMINDER_HOURS_BEFORE"])
    query = select(Dispute).where(
        Dispute.waiting_on.in_((Role.BUYER, Role.SELLER)),
        Dispute.deadline_at > now,
        Dispute.deadline_at <= soon,
    )
    sent = []
    for dispute in db.session.scalars(query).all():
        user = _parties(dispute)[dispute.waiting_on]
        key = f"reminder:{dispute.id}:{user.id}:{dispute.deadline_at:%Y%m%dT%H%M%S}"
        begin_write()
        if db.session.scalar(select(Notification.id).where(Notification.key == key)):
            db.session.commit()
            continue
        sent.append(_add(user, dispute, "reminder", now, key))
        try:
            db.session.commit()
        except IntegrityError:  # another run-timers got there first
            db.session.rollback()
            sent.pop()
    send_emails(sent)
    return sent


def send_emails(notices: list[Notification]) -> int:
    """Email each notice in its recipient's language; a failure is retried by run-timers."""
    sent = 0
    for notice in notices:
        user = notice.user
        locale = supported(user.locale) or DEFAULT_LANGUAGE
        try:
            with force_locale(locale):
                message = mail.build(user.email, *email_text(notice), locale)
            mail.send(message)
        except (OSError, smtplib.SMTPException) as error:
            log.warning("email to user %s not sent: %s", user.id, error)
            continue
        begin_write()
        notice.emailed_at = clock.now()
        db.session.commit()
        sent += 1
    return sent


def send_unsent() -> int:
    query = select(Notification).where(Notification.emailed_at.is_(None))
    return send_emails(list(db.session.scalars(query.order_by(Notification.id)).all()))


def email_text(notice: Notification) -> tuple[str, str]:
    """Subject and body, in whatever language is in force."""
    dispute = notice.dispute
    line = text_of(notice, long_date(dispute.deadline_at))
    subject = _("Dispute %(reference)s: %(what)s", reference=dispute.reference, what=line)
    body = "\n\n".join(
        (
            _("Hello %(name)s,", name=notice.user.display_name),
            line,
            _("Open the dispute: %(url)s", url=_portal_url() + f"/disputes/{dispute.reference}"),
            _("You receive this email because you take part in this dispute."),
        )
    )
    return subject, body + "\n"


def _portal_url() -> str:
    configured = current_app.config["PORTAL_URL"]
    if configured:
        return configured.rstrip("/")
    return request.host_url.rstrip("/") if has_request_context() else "http://localhost:8000"


def unread_count(user: User) -> int:
    query = select(func.count()).where(Notification.user_id == user.id)
    return db.session.scalar(query.where(Notification.read_at.is_(None)))


def latest_for(user: User, limit: int = 100) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def mark_all_read(user: User) -> None:
    begin_write()
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    db.session.commit()
