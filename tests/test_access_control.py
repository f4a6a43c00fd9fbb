"""Every route answers each person as tests/access_matrix.py says, with real ids."""

import pytest
from access_matrix import GET_ROWS, POST_ROWS, ROWS, Row
from access_world import ROLES, build_world, multipart, small_photo, snapshot
from flask import url_for

from dispute_portal.extensions import db
from dispute_portal.models import Order

LETTERS = {"A": "allowed", "N": "404", "R": "409 refused", "S": "sign-in redirect"}
ACTION_DATA = {
    "decide": {"decision": "partial_refund", "amount": "5.00", "reason": "Half the damage."},
}


def _url(world, row: Row) -> str:
    subject = row.subject or "draft"
    values = {
        "reference": world.references.get(subject),
        "public_id": world.photos.get(subject),
        "order_id": world.orders.get(subject),
        "kind": row.kind,
        "action": row.action,
        "filename": "css/portal.css",
    }
    rule = next(r for r in world.app.url_map.iter_rules() if r.endpoint == row.endpoint)
    with world.app.test_request_context():
        return url_for(row.endpoint, **{name: values[name] for name in rule.arguments})


def _post_data(world, row: Row) -> dict:
    """A valid form for each POST: an allowed person's request does what it says."""
    match row.endpoint:
        case "auth.sign_in":
            return {"data": {"email": "buyer@example.com", "password": "buyer-pass-1"}}
        case "language.choose":
            return {"data": {"locale": "en", "next": "/sign-in"}}
        case "dispute_form.items":
            with world.app.app_context():
                order = db.session.get(Order, world.orders[row.subject])
                return {"data": {"item": [str(order.items[0].id)]}}
        case "dispute_form.reason":
            return {"data": {"reason": "damaged"}}
        case "dispute_form.description":
            return {"data": {"description": "The mug arrived with a long crack in it."}}
        case "dispute_form.remedy":
            return {"data": {"remedy": "full_refund"}}
        case "dispute_form.return_item":
            return {"data": {"will_return": "yes"}}
        case "evidence.photos":
            body, content_type = multipart(
                [("action", "upload"), ("photos", ("new.jpg", small_photo(99)))]
            )
            return {"data": body, "content_type": content_type}
        case "evidence.caption":
            return {"data": {"caption": "The crack, close up"}}
        case "messages.post":
            return {"data": {"body": "Is there any news about this?"}}
        case "dispute_actions.action_page":
            return {"data": ACTION_DATA.get(row.action, {})}
    return {"data": {}}


def _outcome(client, response) -> str:
    status, location = response.status_code, response.location or ""
    if status == 404:
        return "N"
    if status == 409:
        return "R"
    if 300 <= status < 400 and location.startswith("/sign-in?next="):
        return "S"
    if 300 <= status < 400:
        followed = client.get(location, follow_redirects=True)
        return "A" if followed.status_code == 200 else f"A? then {followed.status_code}"
    return "A" if status < 300 else str(status)


def _call(world, row: Row, role: str) -> str:
    client = world.clients[role]
    kwargs = _post_data(world, row) if row.method == "POST" else {}
    headers = {"HX-Request": "true"} if row.fragment else {}
    response = client.open(_url(world, row), method=row.method, headers=headers, **kwargs)
    response.close()
    return _outcome(client, response)


def _denied_first(row: Row) -> list[str]:
    """Refusals first: an allowed POST may change what the others would meet."""
    return sorted(ROLES, key=lambda role: row.expected[ROLES.index(role)] == "A")


def _mismatches(world, row: Row) -> list[str]:
    problems = []
    for role in _denied_first(row):
        expected = row.expected[ROLES.index(role)]
        before = snapshot(world.app) if expected != "A" else None
        got = _call(world, row, role)
        if got != expected:
            problems.append(f"{row.id} as {role}: expected {LETTERS[expected]}, got {got}")
        elif before is not None and snapshot(world.app) != before:
            problems.append(f"{row.id} as {role}: refused, but it changed something")
    return problems


def test_every_read_route_answers_each_person_as_the_table_says(app):
    world = build_world(app)
    before = snapshot(app)
    problems = [problem for row in GET_ROWS for problem in _mismatches(world, row)]
    assert problems == [], "\n".join(problems)
    assert snapshot(app) == before  # reading changes nothing


@pytest.mark.parametrize("row", POST_ROWS, ids=[row.id for row in POST_ROWS])
def test_every_form_post_answers_each_person_as_the_table_says(app, row):
    world = build_world(app, (row.subject,) if row.subject else ("draft",))
    problems = _mismatches(world, row)
    assert problems == [], "\n".join(problems)


def test_the_table_lists_every_route_and_method(app):
    """A new route fails here until access_matrix.py says who may call it."""
    listed = {(row.endpoint, row.method) for row in ROWS}
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(routes - listed)
    rows = [f'Row("{endpoint}", "{method}", "??????", subject)' for endpoint, method in missing]
    assert not missing, "add these rows to tests/access_matrix.py:\n" + "\n".join(rows)
    assert listed - routes == set(), "remove rows of routes that are gone"


def test_made_up_references_and_photo_ids_are_404_for_everyone(app):
    world = build_world(app, ("review",))
    for role in ROLES[:-1]:
        client = world.clients[role]
        for url in ("/disputes/D-00000-00000", "/photos/not-a-photo/image", "/review/nope"):
            assert client.get(url).status_code == 404, (role, url)
    assert world.clients["signed_out"].get("/photos/not-a-photo/image").status_code == 404
    unknown = world.clients["signed_out"].get("/disputes/D-00000-00000")
    real = world.clients["signed_out"].get(f"/disputes/{world.references['review']}")
    assert unknown.status_code == real.status_code == 302  # the same answer: nothing leaks
    assert unknown.location.split("?")[0] == real.location.split("?")[0] == "/sign-in"
