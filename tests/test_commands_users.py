from sqlalchemy import select

from dispute_portal.extensions import db
from dispute_portal.models import User


def _user(app, email):
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def test_create_a_user_of_any_role_with_the_password_on_stdin(app, runner, client):
    result = runner.invoke(
        args=["users", "create", "--email", "Ops@Example.com", "--name", "Ops", "--role",
              "reviewer", "--password-stdin"],
        input="a-long-password\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _user(app, "ops@example.com").role.value == "reviewer"
    response = client.post(
        "/sign-in", data={"email": "ops@example.com", "password": "a-long-password"}
    )
    assert response.status_code == 302


def test_create_prompts_for_the_password_twice(app, runner):
    args = ["users", "create", "--email", "b3@example.com", "--name", "B", "--role", "buyer"]
    result = runner.invoke(args=args, input="a-long-password\na-long-password\n")
    assert result.exit_code == 0, result.output
    assert _user(app, "b3@example.com") is not None


def test_create_refuses_a_duplicate_a_short_password_and_an_unknown_role(runner):
    base = ["users", "create", "--name", "X", "--password-stdin"]
    duplicate = runner.invoke(
        args=[*base, "--email", "buyer@example.com", "--role", "buyer"], input="long-enough-1\n"
    )
    assert duplicate.exit_code == 1 and "exists already" in duplicate.output
    short = runner.invoke(
        args=[*base, "--email", "n@example.com", "--role", "buyer"], input="short\n"
    )
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    role = runner.invoke(args=[*base, "--email", "n@example.com", "--role", "admin"], input="x\n")
    assert role.exit_code == 2


def test_reset_password_ends_old_sessions(app, runner, auth, client):
    auth.sign_in()
    result = runner.invoke(
        args=["users", "reset-password", "--email", "buyer@example.com", "--password-stdin"],
        input="brand-new-password\n",
    )
    assert result.exit_code == 0, result.output
    assert client.get("/orders").status_code == 302
    assert auth.sign_in(password="brand-new-password").status_code == 302


def test_disabling_a_user_takes_effect_on_their_very_next_request(runner, auth, client):
    auth.sign_in()
    assert client.get("/orders").status_code == 200
    result = runner.invoke(args=["users", "disable", "--email", "buyer@example.com"])
    assert result.exit_code == 0, result.output
    response = client.get("/orders")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in")
    assert auth.sign_in().status_code == 422


def test_unknown_user_is_a_clear_error(runner):
    result = runner.invoke(args=["users", "disable", "--email", "nobody@example.com"])
    assert result.exit_code == 1
    assert "no user with the email address nobody@example.com" in result.output


def test_every_command_has_help(runner):
    commands = [["users", "create"], ["users", "reset-password"], ["users", "disable"],
                ["import-orders"], ["backup"], ["restore"], ["check-evidence"],
                ["sweep-drafts"]]  # fmt: skip
    for command in commands:
        result = runner.invoke(args=[*command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, command
