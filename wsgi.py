"""Entry point for gunicorn: ``gunicorn --config gunicorn.conf.py wsgi:app``."""

from dispute_portal import create_app

app = create_app()
