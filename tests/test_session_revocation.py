"""Taking access away works on the very next request, for pages, forms and photo URLs.

test_auth.py and test_commands_users.py cover a plain GET after sign-out, disable and
reset-password; these cover what an attacker or a lingering tab would try next: a POST
with a copied cookie, a photo URL, another device, a role taken away mid-session, and an
account enabled again after being disabled.
"""

from pathlib import Path

import pytest
from access_world import build_world, multipart, small_photo, snapshot
from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.models import Role, User


def _set(app, email: str, **values) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        for name, value in values.items():
            setattr(user, name, value)
        db.session.commit()


def _copy(app, client):
    """Another browser holding the same session cookie (a stolen or synced copy)."""
    twin = app.test_client()
    twin.set_cookie("session", client.get_cookie("session").value)
    return twin


def _upload(client, reference):
    body, content_type = multipart([("photos", ("late.jpg", small_photo(77)))])
    return client.post(f"/disputes/{reference}/photos", data=body, content_type=content_type)


def _status(client, url) -> int:
    with client.get(url) as response:  # photo responses hold their file open until closed
        return response.status_code


def _signed_out(response) -> bool:
    return response.status_code == 302 and response.location.startswith("/sign-in")


@pytest.fixture
def world(app):
    return build_world(app)


def test_a_cookie_copied_before_sign_out_can_neither_post_nor_see_photos(app, world):
    owner = world.clients["owner"]
    thief = _copy(app, owner)
    photo = f"/photos/{world.photos['draft']}/image"
    assert _status(thief, photo) == 200  # the copy works while the session lives
    owner.post("/sign-out")
    before = snapshot(app)
    assert _signed_out(_upload(thief, world.references["draft"]))
    assert _signed_out(thief.post(f"/disputes/{world.references['draft']}/submit"))
    assert _status(thief, photo) == 404
    assert snapshot(app) == before


def test_signing_out_on_one_device_signs_out_every_copy(app, world):
    seller = world.clients["seller"]
    laptop, phone = _copy(app, seller), _copy(app, seller)
    laptop.post("/sign-out")
    assert _signed_out(phone.get("/disputes"))
    assert _signed_out(seller.get("/disputes"))


def test_no_remember_me_cookie_outlives_the_session(app):
    client = app.test_client()
    response = client.post(
        "/sign-in", data={"email": "buyer@example.com", "password": "buyer-pass-1"}
    )
    assert [c for c in response.headers.getlist("Set-Cookie") if "remember" in c.lower()] == []


def test_a_disabled_buyer_cannot_finish_a_post_they_started(app, world, runner):
    before = snapshot(app)
    assert runner.invoke(args=["users", "disable", "--email", "buyer@example.com"]).exit_code == 0
    owner = world.clients["owner"]
    assert _signed_out(_upload(owner, world.references["draft"]))
    assert _signed_out(owner.post(f"/disputes/{world.references['draft']}/submit"))
    assert _status(owner, f"/photos/{world.photos['draft']}/thumbnail") == 404
    assert snapshot(app) == before


def test_enabling_a_disabled_account_again_does_not_revive_its_old_cookies(app, world, runner):
    """An operator disables an account whose cookie leaked, then enables it again."""
    leaked = _copy(app, world.clients["owner"])
    runner.invoke(args=["users", "disable", "--email", "buyer@example.com"])
    _set(app, "buyer@example.com", active=True)
    assert _signed_out(leaked.get("/orders"))
    assert _signed_out(world.clients["owner"].get("/orders"))


@pytest.mark.parametrize(
    ("email", "role", "url"),
    [
        ("reviewer@example.com", "reviewer", "/review/{review}"),
        ("reviewer@example.com", "reviewer", "/disputes/{review}"),
        ("reviewer@example.com", "reviewer", "/photos/{review_photo}/image"),
        ("seller@example.com", "seller", "/disputes/{submitted}"),
        ("seller@example.com", "seller", "/disputes"),
        ("seller@example.com", "seller", "/photos/{submitted_photo}/thumbnail"),
    ],
    ids=[
        "reviewer-case",
        "reviewer-dispute",
        "reviewer-photo",
        "seller-dispute",
        "seller-list",
        "seller-photo",
    ],  # fmt: skip
)
def test_a_role_taken_away_applies_to_the_very_next_request(app, world, email, role, url):
    client = world.clients[role]
    url = url.format(
        review=world.references["review"],
        submitted=world.references["submitted"],
        review_photo=world.photos["review"],
        submitted_photo=world.photos["submitted"],
    )
    assert _status(client, url) == 200
    _set(app, email, role=Role.BUYER)
    assert _status(client, url) == 404


def test_a_reviewer_demoted_mid_decision_decides_nothing(app, world):
    reviewer = world.clients["reviewer"]
    url = f"/disputes/{world.references['review']}/do/decide"
    assert reviewer.get(url).status_code == 200  # the form is open in their tab
    _set(app, "reviewer@example.com", role=Role.BUYER)
    before = snapshot(app)
    form = {"decision": "full_refund", "reason": "Decided after losing the role."}
    assert reviewer.post(url, data=form).status_code == 404
    assert snapshot(app) == before
    assert sorted(Path(app.config["EVIDENCE_FOLDER"]).rglob("*.jpg")) != []
