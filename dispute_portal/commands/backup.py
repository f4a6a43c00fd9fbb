"""``flask backup`` and ``flask restore``: the database and every photo in one archive."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..backups import BackupError, create_backup, restore_backup
from ..extensions import db


@click.command("backup")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(archive: Path) -> None:
    """Write ARCHIVE (.tar.gz): a consistent database snapshot, every stored photo and a
    manifest of SHA-256 sums. Safe while the portal is running. SQLite only."""
    config = current_app.config
    if archive.exists():
        raise click.ClickException(f"{archive} exists already: choose a new file name.")
    try:
        gone = create_backup(
            archive, config["SQLALCHEMY_DATABASE_URI"], Path(config["EVIDENCE_FOLDER"])
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    for public_id in gone:
        click.echo(f"Left out photo {public_id}: it was removed while the backup ran.")
    click.echo(f"Wrote {archive}.")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(archive: Path) -> None:
    """Restore ARCHIVE into this instance, which must be empty, checking every SHA-256.
    Stop the portal first; run `flask db upgrade` after."""
    config = current_app.config
    db.engine.dispose()  # no connection of ours may hold the file we are about to replace
    try:
        photos = restore_backup(
            archive, config["SQLALCHEMY_DATABASE_URI"], Path(config["EVIDENCE_FOLDER"])
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored the database and {photos} photo(s); every SHA-256 sum matched.")
    click.echo("Next: flask db upgrade (if this backup came from an older release).")
