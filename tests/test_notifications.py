"""Who is told what: in-app notices with an unread count, emails in the recipient's
language, and reminders the day before a deadline, sent once."""

import email
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from lifecycle_helpers import EMAILS, act, do, new_dispute, page, signed_in_clients, user
from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.lifecycle import Action
from dispute_portal.models import DisputeState, Notification, Role, utcnow
from dispute_portal.notifications import send_reminders

S, A = DisputeState, Action


@pytest.fixture
def lifecycle_app(app):
    app.config["CLOCK_NOW"] = utcnow()
    with app.app_context():
        yield app


def kinds_for(email_address: str, dispute) -> list[str]:
    query = select(Notification).where(
        Notification.user_id == user(email_address).id, Notification.dispute_id == dispute.id
    )
    return [n.kind for n in db.session.scalars(query.order_by(Notification.id))]


def outbox(app) -> list[email.message.EmailMessage]:
    folder = Path(app.config["MAIL_OUTBOX"])
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


BUYER, SELLER = EMAILS[Role.BUYER], EMAILS[Role.SELLER]


@pytest.mark.parametrize(
    ("steps", "buyer_kinds", "seller_kinds"),
    [
        ([], [], ["new_dispute"]),
        ([(Role.SELLER, A.OFFER)], ["offer"], ["new_dispute"]),
        ([(Role.SELLER, A.REJECT)], ["reject"], ["new_dispute"]),
        (
            [(Role.SELLER, A.REJECT), (Role.BUYER, A.ESCALATE), (Role.REVIEWER, A.REQUEST_INFO)],
            ["reject", "request_info"],
            ["new_dispute", "under_review"],
        ),
        (
            [(Role.SELLER, A.REJECT), (Role.BUYER, A.ESCALATE), (Role.REVIEWER, A.DECIDE)],
            ["reject", "decide"],
            ["new_dispute", "under_review", "decide"],
        ),
    ],
)
def test_each_event_tells_whoever_must_act(lifecycle_app, steps, buyer_kinds, seller_kinds):
    app = lifecycle_app
    dispute = new_dispute(app, S.AWAITING_SELLER)
    for role, action in steps:
        act(dispute, role, action, app.config["CLOCK_NOW"], app.config)
    assert kinds_for(BUYER, dispute) == buyer_kinds
    assert kinds_for(SELLER, dispute) == seller_kinds


def test_return_steps_are_notified(lifecycle_app):
    app = lifecycle_app
    dispute = new_dispute(app, S.AWAITING_RETURN)
    assert kinds_for(BUYER, dispute)[-2:] == ["accept", "return_send"]
    act(dispute, Role.BUYER, A.ADD_TRACKING, app.config["CLOCK_NOW"], app.config)
    assert kinds_for(SELLER, dispute)[-1] == "return_confirm"


def test_unread_count_in_the_header_and_read_on_view(app):
    clients = signed_in_clients(app)
    buyer = clients["buyer"]
    page(buyer, "/notifications")  # the demo disputes' notices are read
    assert "new)" not in page(buyer, "/orders")
    with app.app_context():
        reference = new_dispute(app, S.NEGOTIATING).reference  # the seller offered
    assert "(1 new)" in page(buyer, "/orders")
    listing = page(buyer, "/notifications")
    assert reference in listing and "There is a new offer for you to answer." in listing
    assert "(1 new)" not in page(buyer, "/orders")
    assert "New" not in page(buyer, "/notifications").split("<main", 1)[1]


def test_emails_go_out_in_the_recipients_language(app):
    clients = signed_in_clients(app)
    with app.app_context():
        user(SELLER).locale = "es"
        user(BUYER).locale = "pt_BR"
        db.session.commit()
        reference = new_dispute(app, S.AWAITING_SELLER).reference
    to_seller = outbox(app)[-1]
    assert to_seller["To"] == SELLER and to_seller["Content-Language"] == "es"
    assert reference in to_seller["Subject"]
    assert "Hola" in to_seller.get_content() and "Hello" not in to_seller.get_content()
    do(clients["seller"], reference, "offer", kind="replacement")  # seller's page in English
    to_buyer = outbox(app)[-1]
    assert to_buyer["To"] == BUYER and to_buyer["Content-Language"] == "pt-BR"
    assert "Olá" in to_buyer.get_content()


def test_smtp_failure_is_retried_by_run_timers(app, runner, monkeypatch):
    import smtplib

    app.config.update(CLOCK_NOW=utcnow(), MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=1)
    with app.app_context():
        dispute = new_dispute(app, S.AWAITING_SELLER)
        [notice] = db.session.scalars(
            select(Notification).where(Notification.dispute_id == dispute.id)
        ).all()
        assert notice.emailed_at is None  # nothing listens on port 1
    sent = []
    monkeypatch.setattr(smtplib.SMTP, "__init__", lambda self, *a, **k: None)
    monkeypatch.setattr(smtplib.SMTP, "starttls", lambda self: None)
    monkeypatch.setattr(smtplib.SMTP, "send_message", lambda self, m: sent.append(m))
    monkeypatch.setattr(smtplib.SMTP, "__exit__", lambda self, *a: None)
    result = runner.invoke(args=["run-timers"])
    assert "Sent 1 email(s) that had failed before." in result.output
    assert [m["To"] for m in sent] == [SELLER]
    assert "that had failed" not in runner.invoke(args=["run-timers"]).output


def test_one_reminder_the_day_before_a_deadline(app, runner):
    app.config["CLOCK_NOW"] = utcnow()
    with app.app_context():
        dispute = new_dispute(app, S.AWAITING_SELLER)
        due, reference = dispute.deadline_at, dispute.reference
    for hours_before, expected in ((48, []), (20, ["reminder"]), (19, ["reminder"])):
        app.config["CLOCK_NOW"] = due - timedelta(hours=hours_before)
        assert runner.invoke(args=["run-timers"]).exit_code == 0
        with app.app_context():
            assert kinds_for(SELLER, dispute)[1:] == expected
    with app.app_context():
        assert [n for n in send_reminders() if n.dispute_id == dispute.id] == []
    reminders = [m for m in outbox(app) if reference in m["Subject"] and "Reminder" in m["Subject"]]
    assert [m["To"] for m in reminders] == [SELLER]
