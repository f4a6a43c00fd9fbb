"""``flask import-orders``: orders and items from a shop's CSV or JSON export."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..order_import import BadRow, apply_import, plan_import, read_rows


@click.command("import-orders")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), help="Default: by suffix.")
@click.option("--dry-run", is_flag=True, help="Print what would change, change nothing.")
@with_appcontext
def import_orders_command(file: Path, fmt: str | None, dry_run: bool) -> None:
    """Import orders from FILE (CSV or JSON). Orders already there (same seller and order
    number) are updated or left alone; a file with any bad row imports nothing.

    \b
    CSV, one row per item, with the header:
    order_number,buyer_email,seller_email,currency,placed_at,delivered_at,
    item_title,quantity,unit_price
    """
    fmt = fmt or ("json" if file.suffix.lower() == ".json" else "csv")
    try:
        plan, problems = plan_import(read_rows(file.read_text(encoding="utf-8-sig"), fmt))
    except (BadRow, UnicodeDecodeError) as error:
        problems = [str(error)]
    if problems:
        for problem in problems:
            click.echo(f"{file.name}: {problem}", err=True)
        raise click.ClickException(f"{len(problems)} bad row(s): nothing was imported.")
    counts = {"create": 0, "update": 0, "unchanged": 0}
    for action, order, _existing in plan:
        counts[action] += 1
        if action != "unchanged":
            verb = f"Would {action}" if dry_run else action.capitalize()
            number, count = order.fields["order_number"], len(order.items)
            click.echo(f"{verb} order {number} ({count} item(s))")
    if not dry_run:
        apply_import(plan)
    summary = ", ".join(f"{n} {action}" for action, n in counts.items())
    click.echo(f"{'Dry run, nothing changed' if dry_run else 'Imported'}: {summary}.")
