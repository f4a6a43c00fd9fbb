"""``flask check-evidence`` and ``flask sweep-drafts``: keep rows and files in step."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..integrity import evidence_problems
from ..models import utcnow
from ..retention import delete_abandoned_drafts


@click.command("check-evidence")
@with_appcontext
def check_evidence_command() -> None:
    """Check that every photo row has its files with the recorded SHA-256, and that no
    file lacks a row. Exits 1 on any mismatch."""
    problems = evidence_problems(Path(current_app.config["EVIDENCE_FOLDER"]))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) in the evidence folder.")
    click.echo("Every photo row has its files, and every file has its row.")


@click.command("sweep-drafts")
@click.option("--dry-run", is_flag=True, help="List the drafts without deleting them.")
@with_appcontext
def sweep_drafts_command(dry_run: bool) -> None:
    """Delete drafts untouched for DRAFT_RETENTION_DAYS, with their photos, items and events."""
    config = current_app.config
    references = delete_abandoned_drafts(
        Path(config["EVIDENCE_FOLDER"]), utcnow(), config["DRAFT_RETENTION_DAYS"], dry_run
    )
    verb = "Would delete" if dry_run else "Deleted"
    for reference in references:
        click.echo(f"{verb} draft {reference}")
    click.echo(f"{verb} {len(references)} abandoned draft(s).")
