"""gunicorn settings for production (docs/deploy.md):

    COURSE_APP_ENV=production COURSE_APP_DATABASE_URL=postgresql+psycopg://… \\
    COURSE_APP_SECRET_KEY=… COURSE_APP_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 \\
    COURSE_APP_PROXY_COUNT=1 gunicorn -c gunicorn.conf.py "course_app:create_app()"

Every value can be overridden on the command line or through GUNICORN_CMD_ARGS."""

import os
from typing import Any

from course_app.security.deploy import default_workers

# Behind nginx on the same host; nginx terminates TLS and sets X-Forwarded-For/-Proto.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
# The app reads WEB_CONCURRENCY at start-up to refuse SQLite under several workers; on_starting
# below corrects it when -w or GUNICORN_CMD_ARGS changed the count after this file was read.
os.environ["WEB_CONCURRENCY"] = str(workers)
# Threads: a worker keeps answering while one request waits on the database or streams a large
# certificate ZIP (the timeout below then only catches a worker that is stuck as a whole).
worker_class = "gthread"
# One listening socket, shared by every worker (no `reuse_port`). With a socket per worker, the
# connections queued on a worker that leaves (recycled below, killed by the timeout, replaced on
# a reload) were reset on a stock kernel (net.ipv4.tcp_migrate_req=0): 500 trainees got
# "connection reset by peer". On a shared socket they wait for the next worker (docs/deploy.md).
reuse_port = False
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60
graceful_timeout = 30
keepalive = 5
# No recycling (docs/deploy.md, section 8): `make bench` showed that each recycle stalls the
# one SQLite worker for about a second (every request queued meanwhile waits: p95 1.1 s) and
# pushed the 500-submission burst on PostgreSQL from under 5 s to 7.3 s. No leak is known; the
# timeout still replaces a worker that hangs, and the shared socket keeps its queue then.
max_requests = 0
# Only the proxy on this host may set the forwarded headers gunicorn itself trusts.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The access log holds paths (certificate codes are in some): keep it out of public places.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss'
# gunicorn 27's control socket is an administration interface: not needed, so not opened.
control_socket_disable = True
preload_app = False  # each worker opens its own database pool after the fork


def on_starting(server: Any) -> None:
    """In the arbiter, before any worker: the final worker count (after -w and
    GUNICORN_CMD_ARGS) goes to the app, and production settings that are unsafe with it
    (SQLite or in-memory throttling with several workers, a weak secret, debug, no public
    address) stop gunicorn here with one "Error:" line each."""
    os.environ["WEB_CONCURRENCY"] = str(server.cfg.workers)
    from course_app.config import refuse_unsafe_start

    refuse_unsafe_start()


def post_worker_init(worker: object) -> None:
    """Once the app is loaded in a worker, move everything alive (modules, the app, templates,
    translations) out of the garbage collector's sight: full collections then walk only what
    requests allocate, not the ~300,000 objects of the loaded app (docs/performance.md)."""
    import gc

    gc.collect()
    gc.freeze()
