#!/usr/bin/env python
"""Benchmark: pushing opinions through the API, served by gunicorn on this machine.

    .venv/bin/python bench/api_push.py [--requests 2000] [--threads 16] [--workers 4]
                                       [--database-url URL] [--fresh]

Starts gunicorn on a free port against its own database (bench/out/api.sqlite3 by default,
never db.sqlite3). First the floor: the same gunicorn settings serving a bare Django app
whose POST inserts one row (bench/bare_insert.py), driven the same way; then the push,
driven with threads, each push with its own Idempotency-Key; a tenth
of the pushes are sent twice, as a hotline platform retrying after a timeout would. Prints
requests per second, latency percentiles and errors of both, the push's rate as a share
of the bare insert's, then counts the rows: every accepted
push must be exactly one opinion, and no retry may make a second one.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: set-up helpers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{run.OUT / 'api.sqlite3'}"
    run._refuse_developer_database(url)
    run.OUT.mkdir(parents=True, exist_ok=True)
    run._prepare_database(url, fresh=args.fresh)
    run._setup_django(url)
    secret, before = _prepare()

    bare = _serve(url, args, "bare_insert:application", lambda port: _drive_bare(port, args))
    results = _serve(
        url, args, "config.wsgi", lambda port: _drive(port, secret, args.requests, args.threads)
    )
    _report_bare(bare, args)
    _report(results, before, args, bare)


def _serve(url, args, app, drive):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "PYTHONPATH": str(run.ROOT / "bench"),
    }
    server = subprocess.Popen(
        [
            str(run.ROOT / ".venv" / "bin" / "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=run.ROOT,
        env=env,
    )
    try:
        _wait(port)
        return drive(port)
    finally:
        server.terminate()
        server.wait(timeout=20)


def _drive_bare(port, args):
    results, lock = [], threading.Lock()
    counter = iter(range(args.requests))

    def worker():
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            started = time.perf_counter()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/insert", data=b"{}", method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status = response.status
                    response.read()
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                status = 0
            with lock:
                results.append((n, status, None, time.perf_counter() - started))

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(args.threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {"rows": results, "seconds": time.perf_counter() - started}


def _report_bare(bare, args):
    rows, seconds = bare["rows"], bare["seconds"]
    latencies = sorted(r[3] for r in rows)
    errors = [r for r in rows if r[1] != 201]
    print(f"bare insert (bench/bare_insert.py): {len(rows)} requests in {seconds:.1f} s")
    print(f"  requests per second: {len(rows) / seconds:.0f}")
    print(
        f"  latency ms: p50 {_pct(latencies, 50) * 1000:.0f}, p95 {_pct(latencies, 95) * 1000:.0f}"
    )
    print(f"  errors: {len(errors)} {sorted({r[1] for r in errors}) if errors else ''}")


def _prepare():
    """Migrate, a current campaign, and a token without a rate limit worth the name."""
    import datetime

    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from biaoshuai.api.models import ApiToken
    from biaoshuai.api.services import api_token_create
    from biaoshuai.campaigns.models import Campaign
    from biaoshuai.campaigns.services import campaign_create_from_template
    from biaoshuai.opinions.models import Opinion

    if Campaign.objects.current() is None:
        campaign_create_from_template(
            template_key="jiangdangxing",
            starts_on=datetime.date.today().replace(day=1),
            by=None,
            make_current=True,
        )
    ApiToken.objects.filter(name="bench").update(revoked_at=datetime.datetime.now(datetime.UTC))
    _, secret, _ = api_token_create(
        by=None, name="bench", scopes=["opinions:write"], rate_limit=10_000_000
    )
    return secret, Opinion.objects.count()


def _drive(port, secret, total, threads):
    results, lock = [], threading.Lock()
    run_id = f"{time.time_ns():x}"
    counter = iter(range(total))

    def worker():
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            key = f"{run_id}-{n}"
            body = {"content": f"基准测试意见 {run_id} 第{n}条：路灯不亮", "external_id": key}
            sends = 2 if n % 10 == 0 else 1  # a tenth are retried with the same key
            for _ in range(sends):
                started = time.perf_counter()
                status, answer = _post(port, secret, key, body)
                with lock:
                    results.append((n, status, answer, time.perf_counter() - started))

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {"rows": results, "seconds": time.perf_counter() - started, "run_id": run_id}


def _post(port, secret, key, body):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/opinions",
        data=json.dumps(body, ensure_ascii=False).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except OSError as exc:
        return 0, str(exc)


def _report(results, before, args, bare=None):
    from biaoshuai.opinions.models import Opinion

    rows, seconds = results["rows"], results["seconds"]
    ok = [r for r in rows if r[1] == 201]
    errors = [r for r in rows if r[1] != 201]
    latencies = sorted(r[3] for r in rows)
    accepted = {r[0]: r[2]["id"] for r in ok}
    retried_same = all(
        len({r[2]["id"] for r in ok if r[0] == n}) == 1 for n in range(0, args.requests, 10)
    )
    after = Opinion.objects.count()
    in_db = Opinion.objects.filter(pk__in=list(accepted.values())).count()
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    print(
        f"{len(rows)} requests ({args.requests} pushes, a tenth retried) with {args.threads} "
        f"threads against gunicorn ({args.workers} workers) in {seconds:.1f} s"
    )
    rate = len(rows) / seconds
    print(f"requests per second: {rate:.0f}")
    if bare:
        floor = len(bare["rows"]) / bare["seconds"]
        print(f"push / bare insert: {rate / floor:.0%}")
    print(
        f"latency ms: p50 {_pct(latencies, 50) * 1000:.0f}, p95 {_pct(latencies, 95) * 1000:.0f},"
        f" p99 {_pct(latencies, 99) * 1000:.0f}"
    )
    print(f"errors: {len(errors)} {sorted({r[1] for r in errors}) if errors else ''}")
    print(
        f"opinions accepted: {len(accepted)}; new rows: {after - before}; accepted and found: "
        f"{in_db}; retries answered with the same opinion: {retried_same}"
    )
    lost = len(accepted) - in_db
    duplicated = (after - before) - len(accepted)
    print(f"lost: {lost}; duplicated: {duplicated}")
    if lost or duplicated or not retried_same:
        sys.exit(1)


def _pct(values, percent):
    return values[min(len(values) - 1, int(len(values) * percent / 100))] if values else 0


def _wait(port):
    """Until a worker answers HTTP (any status): the port opens before the workers boot."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not start")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    main()
