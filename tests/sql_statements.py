"""What SQL one request sends: for tests that pages read a fixed number of queries."""

from sqlalchemy import event

from dispute_portal.extensions import db


def statements_sent(app, client, url, status=200) -> list[tuple[str, tuple]]:
    """The SQL statements (and their parameters) one GET of url sends to the database."""
    with app.app_context():
        engine = db.engine
    sent = []

    def keep(_conn, _cursor, statement, parameters, *_args):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert client.get(url).status_code == status
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return sent


def statements_for(app, client, url, status=200) -> int:
    return len(statements_sent(app, client, url, status))
