"""``flask`` commands for running the portal."""

import click
from flask import Flask

from . import demo


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo accounts and orders, unless there are users already."""
    if demo.load_demo_data():
        click.echo("Loaded demo data. Sign in as buyer@example.com / buyer-pass-1.")
    else:
        click.echo("Users exist already: demo data left as it is.")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
