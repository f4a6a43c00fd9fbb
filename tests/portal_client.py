"""Signing in through the portal's real form over HTTP, for tests/live, bench/ and soak/:
a cookie jar, the form's CSRF token, and a new connection per request (a kept-alive one
may have been closed by gunicorn's keepalive timeout or a recycled worker).

Only ever talks to 127.0.0.1 (portal_server.HOST).
"""

import http.client
import re
import urllib.parse

from portal_server import HOST, ServerError

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class FormClient:
    """One browser's cookies, on a server at 127.0.0.1:port."""

    def __init__(self, port: int, user_agent: str, timeout: float):
        self.port, self.user_agent, self.timeout = port, user_agent, timeout
        self.cookies: dict[str, str] = {}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def headers(self, **extra: str) -> dict[str, str]:
        headers = {"User-Agent": self.user_agent, **extra}
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        return headers

    def exchange(self, method: str, path: str, body=None, headers=None):
        """One request on a new connection; keeps the cookies it sets. Returns the
        response (already read) and its body."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=self.headers(**(headers or {})))
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";")[0]
        return response, data

    def csrf_token(self, path: str) -> str:
        response, data = self.exchange("GET", path)
        match = CSRF.search(data.decode("utf-8", "replace"))
        if response.status != 200 or not match:
            raise ServerError(f"no csrf_token on {path} (status {response.status})")
        return match.group(1)

    def sign_in(self, email: str, password: str):
        """Through the sign-in form, as a browser does: 302 or ServerError."""
        token = self.csrf_token("/sign-in")
        form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
        response, _ = self.exchange(
            "POST",
            "/sign-in",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status != 302:
            raise ServerError(f"signing in as {email} answered {response.status}, not 302")
        return self
