import logging

from conftest import make_test_app


def test_healthz_is_ok_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "evidence": "ok"}


def test_healthz_is_503_when_the_evidence_folder_cannot_be_written(tmp_path, database_uri):
    (tmp_path / "a-file").write_text("not a folder")
    app = make_test_app(tmp_path, database_uri, EVIDENCE_FOLDER=str(tmp_path / "a-file" / "ev"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "ok", "evidence": "failed"}
    assert str(tmp_path) not in response.get_data(as_text=True)


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    app = make_test_app(tmp_path, "sqlite:////nonexistent-folder/portal.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "failed"
    assert "nonexistent" not in response.get_data(as_text=True)


def test_one_log_line_per_request_with_method_path_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="dispute_portal"):
        response = client.get("/sign-in", headers={"X-Request-Id": "from-nginx-1234"})
    assert response.headers["X-Request-Id"] == "from-nginx-1234"
    lines = [r.getMessage() for r in caplog.records if "GET /sign-in" in r.getMessage()]
    assert len(lines) == 1
    assert lines[0].startswith("[request from-nginx-1234] GET /sign-in 200 ")
    assert lines[0].endswith(" ms")


def test_a_request_id_is_made_when_the_proxy_sends_none_or_a_strange_one(client):
    made = client.get("/sign-in").headers["X-Request-Id"]
    assert len(made) == 16
    assert client.get("/sign-in", headers={"X-Request-Id": "<script>"}).headers["X-Request-Id"] != (
        "<script>"
    )


def test_the_500_page_shows_the_request_id_that_the_error_log_has(tmp_path, database_uri, caplog):
    app = make_test_app(tmp_path, database_uri, PROPAGATE_EXCEPTIONS=False)

    @app.get("/broken")
    def broken():
        raise RuntimeError("something deep went wrong")

    with caplog.at_level(logging.INFO, logger="dispute_portal"):
        response = app.test_client().get("/broken")
    request_id = response.headers["X-Request-Id"]
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert f"tell us this reference: {request_id}" in page
    assert "something deep went wrong" not in page
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and errors[0].getMessage().startswith(f"[request {request_id}]")
    assert "something deep went wrong" in caplog.text
