"""``flask users``: create accounts, reset passwords, disable accounts."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..database import begin_write
from ..extensions import db
from ..models import Role, User
from ..passwords import hash_password

MIN_PASSWORD_LENGTH = 10

users = AppGroup("users", help="Create accounts, reset passwords, disable accounts.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    return password


def _find(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"There is no user with the email address {email}.")
    return user


password_stdin = click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)


@users.command("create")
@click.option("--email", required=True, help="Their email address: they sign in with it.")
@click.option("--name", required=True, help="The name shown to others.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@password_stdin
def create_user(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create a user of any role; the password is prompted for unless --password-stdin."""
    email = email.strip().lower()
    if "@" not in email:
        raise click.ClickException(f"{email!r} is not an email address.")
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise click.ClickException(f"A user with the email address {email} exists already.")
    password = _read_password(password_stdin)
    begin_write()
    db.session.add(
        User(email=email, display_name=name, role=Role(role), password_hash=hash_password(password))
    )
    db.session.commit()
    click.echo(f"Created {role} {email}.")


@users.command("reset-password")
@click.option("--email", required=True)
@password_stdin
def reset_password(email: str, password_stdin: bool) -> None:
    """Set a new password; signs the user out everywhere."""
    user = _find(email)
    password = _read_password(password_stdin)
    begin_write()
    user.password_hash = hash_password(password)
    user.session_version += 1
    db.session.commit()
    click.echo(f"Set a new password for {user.email}; their old sessions have ended.")


@users.command("disable")
@click.option("--email", required=True)
def disable_user(email: str) -> None:
    """Stop a user from signing in; their next request finds them signed out."""
    user = _find(email)
    begin_write()
    user.active = False
    user.session_version += 1  # enabling them again must not revive a leaked cookie
    db.session.commit()
    click.echo(f"Disabled {user.email}.")
