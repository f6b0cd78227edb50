#!/usr/bin/env python
"""Benchmark: large exports as the background task writes them (core/exports.py).

    .venv/bin/python bench/export_throughput.py [--units 200] [--cadres 20000]
                                               [--rows 200000] [--database-url URL] [--fresh]

1. The writers alone (their floor): `--rows` synthetic rows of eight cells (texts, a date,
   a number, a formula-like text now and then) through `xlsx_write` (xlsxwriter,
   constant-memory) and `csv_write`.
2. The cadre roster as the office asks for it (every cadre), through the task's body
   `export_job_run`, in .xlsx and CSV: database reads, phone masking and decryption
   included.

For each: rows, seconds, rows per second, file size, and the peak resident memory of the
whole process (`resource.getrusage`, ru_maxrss: a high-water mark, so each step reports it
after running and the growth it caused). Uses bench/out/bench.sqlite3 by default, as
bench/run.py does, and loads the benchmark units and cadres when missing.
"""

import argparse
import datetime
import io
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: set-up helpers)


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--cadres", type=int, default=20000)
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--database-url")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{run.OUT / 'bench.sqlite3'}"
    run._refuse_developer_database(url)
    run.OUT.mkdir(parents=True, exist_ok=True)
    run._prepare_database(url, fresh=args.fresh)
    run._setup_django(url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.EXPORT_ROOT = run.OUT / "exports"
    call_command("migrate", interactive=False, verbosity=0)
    print(f"database: {connection.vendor}; process RSS at start: {rss_mb():.0f} MB")
    _writers(args.rows)
    run._load(args)
    _cadres()


def _writers(rows):
    from biaoshuai.core.exports import Sheet, csv_write, xlsx_write

    def synthetic():
        day = datetime.date(2026, 11, 18)
        for n in range(rows):
            yield [
                f"规模测试干部{n}",
                "规模测试单位第三级某某镇党建办",
                "男" if n % 2 else "女",
                day,
                "党建办主任" if n % 100 else '=HYPERLINK("x")',
                "138****1234",
                f"cadre{n}@example.cn",
                n,
            ]

    for name, write in (("xlsx", xlsx_write), ("csv", csv_write)):
        before = rss_mb()
        sheet = Sheet(filename="x", sheet_title="x", headers=list("ABCDEFGH"), rows=synthetic())
        out = io.BytesIO() if name == "csv" else (run.OUT / "exports" / "writer.xlsx")
        if name == "xlsx":
            out.parent.mkdir(parents=True, exist_ok=True)
            out = out.open("wb")
        started = time.perf_counter()
        done = write(out, sheet)
        seconds = time.perf_counter() - started
        size = out.tell() if hasattr(out, "tell") else 0
        out.close()
        print(
            f"writer {name}: {done} synthetic rows in {seconds:.1f} s = {done / seconds:,.0f} "
            f"rows/s, {size / 1e6:.1f} MB; peak RSS {rss_mb():.0f} MB "
            f"(+{rss_mb() - before:.0f})"
        )


def _cadres():
    from django.contrib.auth import get_user_model

    from biaoshuai.core.exports import export_job_create, export_job_run

    office = get_user_model().objects.get(username="office")
    for fmt in ("xlsx", "csv"):
        before = rss_mb()
        job = export_job_create(owner=office, key="org.cadres", query="", fmt=fmt)
        started = time.perf_counter()
        job = export_job_run(job.pk)
        seconds = time.perf_counter() - started
        print(
            f"cadre roster {fmt} (task body, office): {job.state}, {job.rows_done} rows in "
            f"{seconds:.1f} s = {job.rows_done / seconds:,.0f} rows/s, {job.size / 1e6:.1f} MB;"
            f" peak RSS {rss_mb():.0f} MB (+{rss_mb() - before:.0f})"
        )


if __name__ == "__main__":
    main()
