"""Gunicorn settings shared by the app and hello-world during a benchmark (workers, threads and
the address come on the command line). Passing this file also keeps a gunicorn.conf.py in the
working directory from being picked up."""

worker_class = "gthread"
# NOT as in gunicorn.conf.py since issue 16 (one shared socket there): the figures of
# docs/performance.md were taken with it; set False to measure the shipped setting.
reuse_port = True
keepalive = 5
timeout = 120
graceful_timeout = 5
backlog = 2048
accesslog = None
loglevel = "warning"


def post_worker_init(worker: object) -> None:
    """As in gunicorn.conf.py: freeze the loaded app out of the garbage collector's sight."""
    import gc

    gc.collect()
    gc.freeze()
