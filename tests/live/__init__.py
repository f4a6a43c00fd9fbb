"""Live tests: the portal under a real gunicorn on 127.0.0.1."""
