"""gunicorn's configuration for production: `gunicorn config.wsgi -c deploy/gunicorn.conf.py`.

Every value can be changed from the environment (deploy/production.env.example).
"""

import multiprocessing
import os
import shutil
import tempfile

# One or more addresses, comma-separated: "127.0.0.1:8000", "0.0.0.0:8000,[::]:8000".
bind = [a.strip() for a in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request running longer than this is aborted and its worker replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On stop or reload, workers finish the requests they have within this many seconds.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Each worker is replaced after about this many requests (0: never), in case of slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# SO_REUSEPORT: a new master can bind the port at once even while workers of a master
# killed with -9 still hold it (they notice they are orphaned and exit within seconds).
reuse_port = True
# Heartbeat files in memory, not on a disk that may be slow or read-only.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "biaoshuai-web"

if os.environ.get("LOG_FORMAT") == "json":
    # The access and error logs as JSON objects too, like the application's (python-json-logger).
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json"},
        },
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": loglevel.upper(),
                "propagate": False,
            },
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }

# Prometheus (biaoshuai/ops/metrics.py): every worker writes its counters to files in this
# folder and /metrics adds them up. A fresh folder per master, so figures of a previous run
# (or of a master killed with -9) are never mixed in.
_metrics_dir_created = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
if _metrics_dir_created:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="biaoshuai-metrics-")


def on_starting(server):
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _metrics_dir_created:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
