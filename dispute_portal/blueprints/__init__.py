"""Thin views: parse the form, call the domain, render or redirect."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import auth, dispute_form, disputes, evidence, health, language, orders, submit

    for module in (auth, orders, dispute_form, evidence, submit, disputes, language, health):
        app.register_blueprint(module.bp)
    from . import dispute_actions, messages, notifications, reviewer  # the lifecycle's pages

    for module in (dispute_actions, reviewer, messages, notifications):
        app.register_blueprint(module.bp)
