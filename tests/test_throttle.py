from conftest import make_test_app


def _fail(client, email="buyer@example.com", address="10.0.0.1"):
    return client.post(
        "/sign-in",
        data={"email": email, "password": "wrong-password"},
        environ_base={"REMOTE_ADDR": address},
    )


def test_five_failures_lock_the_account_with_the_same_answer_as_an_unknown_one(client):
    for _ in range(5):
        assert _fail(client).status_code == 422
        assert _fail(client, "nobody@example.com").status_code == 422
    known, unknown = _fail(client), _fail(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 429
    assert 0 < int(known.headers["Retry-After"]) <= 15 * 60
    text = "Too many attempts to sign in. Wait 15 minutes, then try again."
    assert text in known.get_data(as_text=True) and text in unknown.get_data(as_text=True)
    # Even the right password waits: guessing on cannot tell it apart.
    right = client.post("/sign-in", data={"email": "buyer@example.com", "password": "buyer-pass-1"})
    assert right.status_code == 429


def test_twenty_failures_from_one_address_lock_that_address(client):
    for n in range(20):
        assert _fail(client, f"user{n}@example.com").status_code == 422
    assert _fail(client, "someone-else@example.com").status_code == 429
    assert _fail(client, "someone-else@example.com", address="10.0.0.2").status_code == 422


def test_counters_are_shared_by_every_app_on_the_database(app, tmp_path, database_uri):
    other = make_test_app(tmp_path / "worker2", database_uri)
    clients = [app.test_client(), other.test_client()]
    for n in range(5):
        _fail(clients[n % 2])
    assert _fail(clients[0]).status_code == 429
    assert _fail(clients[1]).status_code == 429


def test_a_correct_sign_in_resets_the_account_count(client):
    for _ in range(4):
        _fail(client)
    ok = client.post("/sign-in", data={"email": "buyer@example.com", "password": "buyer-pass-1"})
    assert ok.status_code == 302
    client.post("/sign-out")
    for _ in range(4):
        assert _fail(client).status_code == 422
