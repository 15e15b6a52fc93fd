"""gunicorn's settings for an app node: `gunicorn -c config/gunicorn_conf.py config.wsgi`.

The defaults are the ones measured best on the 2-core machine (docs/performance.md, "Worker
class and count", by `bench/load.py --compare`); each can be set from the environment for a
machine with more cores.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers, one more than the cores: on 2 cores 3 sync workers served the journey mix as fast as
# any set-up tried (75 req/s, CPU-bound) with the shortest tail (p95 180 ms, p99 210 ms); threads gave
# better medians but worse tails (p99 310-590 ms), as the GIL shares each worker's core between them.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
workers = int(os.environ.get("GUNICORN_WORKERS", str((os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a schedule PDF made afresh takes 1-2 s; an import tens
graceful_timeout = 30
keepalive = 5  # behind a load balancer that keeps connections open
max_requests = 2000  # a worker is replaced now and then, so no slow growth of memory lasts
max_requests_jitter = 200
accesslog = None  # the app logs each request as a JSON line with its request id (config/logs.py)
