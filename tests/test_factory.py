import pytest

from dispute_portal import MissingSecretKey, create_app


def test_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("DISPUTE_PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(MissingSecretKey, match="DISPUTE_PORTAL_SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_testing_app_starts_without_a_secret_key(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})
    assert app.testing


def test_environment_variables_override_defaults(monkeypatch):
    monkeypatch.setenv("DISPUTE_PORTAL_SECRET_KEY", "from-env")
    monkeypatch.setenv("DISPUTE_PORTAL_MAX_PHOTOS", "12")
    monkeypatch.setenv("DISPUTE_PORTAL_SQLALCHEMY_DATABASE_URI", "sqlite:///env-test.sqlite")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["MAX_PHOTOS"] == 12
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/instance/env-test.sqlite")


def test_pages_use_no_external_assets(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert "http://" not in page and "https://" not in page
    assert "default-src 'self'" in client.get("/sign-in").headers["Content-Security-Policy"]
