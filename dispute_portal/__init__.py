"""Dispute Portal: buyers open disputes with photo evidence; sellers and reviewers answer."""

import os
from pathlib import Path

from flask import Flask

from . import assets, auth, body_limits, cli, config, database, errors, headers, i18n, proxy
from .blueprints import register_blueprints
from .extensions import csrf, db, migrate

MIGRATIONS = Path(__file__).parent / "migrations"


class MissingSecretKey(RuntimeError):
    pass


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: config → extensions → blueprints → error handlers → CLI."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("DISPUTE_PORTAL")
    else:
        app.config.from_mapping(test_config)
    _resolve_instance_paths(app)
    if not app.config["SECRET_KEY"] and not (app.debug or app.testing):
        raise MissingSecretKey(
            "Dispute Portal needs a secret key to sign sessions. Set SECRET_KEY in "
            f"{os.path.join(app.instance_path, 'config.py')} or the environment variable "
            'DISPUTE_PORTAL_SECRET_KEY, for example: python -c "import secrets; '
            'print(secrets.token_hex(32))"'
        )

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(MIGRATIONS),
        render_as_batch=True,  # SQLite can only ALTER a table by rebuilding it
        render_item=database.render_migration_type,
    )
    csrf.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)
    assets.init_app(app)
    register_blueprints(app)
    errors.init_app(app)
    body_limits.init_app(app)
    headers.init_app(app)
    proxy.init_app(app)
    cli.init_app(app)
    return app


def _resolve_instance_paths(app: Flask) -> None:
    """Relative SQLite and evidence paths live in the instance folder."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    prefix = "sqlite:///"
    if uri.startswith(prefix) and not uri.startswith(prefix + "/") and ":memory:" not in uri:
        app.config["SQLALCHEMY_DATABASE_URI"] = prefix + str(instance / uri[len(prefix) :])
    app.config["EVIDENCE_FOLDER"] = str(instance / app.config["EVIDENCE_FOLDER"])
