"""Deadlines that enforce themselves: `flask run-timers` for cron, and on every view.
The cron command also sends the day-before reminders (once per deadline).

Each timer goes through lifecycle.perform, which re-reads the dispute under BEGIN
IMMEDIATE: a timer that fired already (from cron, or from another page view) finds
the dispute in a later state with a later deadline, and does nothing.
"""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from . import clock, notifications
from .deadlines import TIMED_STATES, timer_due_at
from .extensions import db
from .lifecycle import Action, Refused, perform
from .models import Dispute, DisputeEvent


def apply_due_timers(dispute: Dispute) -> list[DisputeEvent]:
    """Fire every timer of this dispute that is due, one state after another."""
    fired, now, config = [], clock.now(), current_app.config
    for _ in TIMED_STATES:  # each firing leaves its state, so this bounds the chain
        due = timer_due_at(dispute, config)
        if due is None or due > now:
            break
        try:
            # Dated when the deadline passed, whenever cron or a viewer noticed it.
            fired.append(perform(dispute, None, Action.TIMEOUT, due, config))
        except Refused:
            break  # someone else got there first
    return fired


def run_timers() -> list[tuple[Dispute, DisputeEvent]]:
    """Fire what is due across all disputes; returns (dispute, event) for each firing."""
    query = select(Dispute).where(
        Dispute.state.in_(TIMED_STATES), Dispute.deadline_at <= clock.now()
    )
    done = []
    for dispute in db.session.scalars(query).all():
        done.extend((dispute, event) for event in apply_due_timers(dispute))
    return done


@click.command("run-timers")
@with_appcontext
def run_timers_command() -> None:
    """Apply every deadline that has passed and send reminders (safe to run as often as
    you like)."""
    done = run_timers()
    for dispute, event in done:
        detail = f" ({event.detail})" if event.detail else ""
        click.echo(f"{dispute.reference}: {event.from_state} → {event.to_state}{detail}")
    click.echo(f"Applied {len(done)} timer(s).")
    reminders = notifications.send_reminders()
    click.echo(f"Sent {len(reminders)} reminder(s).")
    retried = notifications.send_unsent()  # emails a mail server refused earlier
    if retried:
        click.echo(f"Sent {retried} email(s) that had failed before.")
