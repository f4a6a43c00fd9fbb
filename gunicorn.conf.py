"""gunicorn settings for one small server.

Threaded workers: a buyer uploading a photo over a slow link holds one thread, not a whole
worker, so other pages keep answering. The worker timeout only watches the worker's main
loop, so a slow upload in a thread is not killed by it.
"""

import gc
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Behind nginx (deploy/nginx/), which buffers whole request bodies, a worker never waits
# on a slow client; 120 s only catches a stuck worker.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 10000
max_requests_jitter = 1000
# gunicorn 27's control socket sits at one path per user: two portals on one machine
# would fight over it, and nothing here uses it.
control_socket_disable = True
# The app logs one line per request itself (method, path, status, ms, request id), so
# gunicorn's own access log would only repeat it. Errors go to stderr: journald keeps them.
accesslog = None
errorlog = "-"


def post_worker_init(worker):
    """Hide what loading the app allocated (~107,000 long-lived objects: modules, models,
    routes, configuration) from the garbage collector. Otherwise each full collection
    walks them all again, a 50–80 ms pause every few hundred requests. (With --preload,
    freezing in the master before the fork would be the place instead.)"""
    gc.collect()
    gc.freeze()
