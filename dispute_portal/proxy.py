"""Running behind a reverse proxy, and over HTTPS only.

Werkzeug's ProxyFix trusts X-Forwarded-* headers only from as many proxies as configured:
trusting them without a proxy in front would let any client choose its own address.
"""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

HEADERS = ("for", "proto", "host", "port", "prefix")


def init_app(app: Flask) -> None:
    hops = {name: int(app.config[f"PROXY_FIX_X_{name.upper()}"]) for name in HEADERS}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **{f"x_{name}": n for name, n in hops.items()})
    if app.config["HTTPS"]:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
