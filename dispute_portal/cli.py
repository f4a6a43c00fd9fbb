"""``flask`` commands for running the portal."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import demo, orphans, timers
from .commands import backup, checks, imports, users


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo accounts and orders, unless there are users already."""
    if demo.load_demo_data():
        click.echo("Loaded demo data. Sign in as buyer@example.com / buyer-pass-1.")
    else:
        click.echo("Users exist already: demo data left as it is.")


@click.command("sweep-evidence")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="List orphan files without deleting them.")
def sweep_evidence_command(dry_run: bool) -> None:
    """Delete photo files that no database row refers to (older than the grace period)."""
    folder = Path(current_app.config["EVIDENCE_FOLDER"])
    grace = current_app.config["ORPHAN_GRACE_MINUTES"] * 60
    paths = orphans.find_orphans(folder, grace) if dry_run else orphans.sweep_orphans(folder, grace)
    verb = "Would remove" if dry_run else "Removed"
    for path in paths:
        click.echo(f"{verb} {path}")
    click.echo(f"{verb} {len(paths)} orphan file(s).")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(sweep_evidence_command)
    app.cli.add_command(users.users)
    app.cli.add_command(imports.import_orders_command)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)
    app.cli.add_command(checks.check_evidence_command)
    app.cli.add_command(checks.sweep_drafts_command)
    app.cli.add_command(timers.run_timers_command)
