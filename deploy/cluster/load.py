"""The bounded load of `make cluster-check`, sent through the load balancer with threads.

- API pushes (POST /api/v1/opinions with a token): each carries its own Idempotency-Key and
  is retried with the same key after a connection error or a 5xx, until it is acknowledged
  (201/200 with an id and a tracking code).
- Public form posts (/portal/opinions/): a person's steps (load the form, answer the
  question, send), each from its own loopback address (the form allows 5 an hour per
  address); acknowledged when the thanks page shows a tracking code. Not retried.
- Page views of the portal.

Midway one node's process group is killed with SIGKILL. At the end every opinion the run
wrote is counted in the database (each carries the run's marker) against what was
acknowledged. The last line printed is the summary `make cluster-check` ends with.
"""

import argparse
import http.client
import http.cookies
import json
import os
import re
import signal
import threading
import time
import urllib.parse
import uuid
from html.parser import HTMLParser

import psycopg

DIGITS = "零一二三四五六七八九十"
PAGES = ["/portal/", "/portal/column/", "/portal/publicity/news/", "/portal/rectification/"]


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}  # marker -> kind
        self.unacked = []  # form posts whose answer never came
        self.pages = {"ok": 0, "failed": 0}
        self.retries = 0
        self.errors = []
        self.failures = {}  # "what: status" -> how many

    def fail(self, what):
        with self.lock:
            self.failures[what] = self.failures.get(what, 0) + 1

    def ack(self, marker, kind):
        with self.lock:
            self.acked[marker] = kind

    def count(self, field, n=1):
        with self.lock:
            setattr(self, field, getattr(self, field) + n)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pushes", type=int, default=300)
    parser.add_argument("--forms", type=int, default=30)
    parser.add_argument("--views", type=int, default=200)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--kill-pgid", type=int, required=True)
    parser.add_argument("--kill-after", type=float, default=0.35, help="share of pushes done")
    args = parser.parse_args()

    run = uuid.uuid4().hex[:12]
    tally = Tally()
    started = time.monotonic()
    killed_at = []

    def killer():
        while len(tally.acked) < args.pushes * args.kill_after:
            time.sleep(0.05)
        os.killpg(args.kill_pgid, signal.SIGKILL)
        killed_at.append(time.monotonic() - started)
        print(f"killed node process group {args.kill_pgid} (SIGKILL)", flush=True)

    push_ids = iter(range(args.pushes))
    push_lock = threading.Lock()

    def pusher():
        while True:
            with push_lock:
                n = next(push_ids, None)
            if n is None:
                return
            push(args, tally, run, n)

    form_ids = iter(range(args.forms))

    def former():
        while True:
            with push_lock:
                n = next(form_ids, None)
            if n is None:
                return
            form_post(args, tally, run, n)

    def viewer():
        for n in range(args.views // 2):
            page_view(args, tally, PAGES[n % len(PAGES)])

    def guarded(work):
        def run_guarded():
            try:
                work()
            except BaseException as exc:  # noqa: B036 - SystemExit from a thread is a failure
                tally.errors.append(str(exc) or repr(exc))

        return run_guarded

    threads = [threading.Thread(target=killer, daemon=True)]
    threads += [threading.Thread(target=guarded(pusher)) for _ in range(args.threads)]
    threads += [threading.Thread(target=guarded(former)) for _ in range(3)]
    threads += [threading.Thread(target=guarded(viewer)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads[1:]:
        thread.join()
    elapsed = time.monotonic() - started

    stored = stored_markers(args.database_url, run)
    acked = set(tally.acked)
    lost = sorted(acked - set(stored))
    duplicated = sum(n - 1 for n in stored.values() if n > 1)
    unacked_stored = [m for m in tally.unacked if m in stored]
    kinds = {kind: sum(1 for k in tally.acked.values() if k == kind) for kind in ("api", "form")}
    print(
        f"load: {args.pushes} API pushes ({kinds['api']} acknowledged, {tally.retries} attempts "
        f"retried with the same Idempotency-Key), {args.forms} form posts "
        f"({kinds['form']} acknowledged, {len(tally.unacked)} without an answer, "
        f"{len(unacked_stored)} of those stored), {tally.pages['ok']} page views "
        f"({tally.pages['failed']} failed) in {elapsed:.1f} s",
        flush=True,
    )
    for marker in lost[:10]:
        print(f"lost: {marker}")
    for what, n in sorted(tally.failures.items()):
        print(f"failed: {what} ({n}x)")
    for error in tally.errors:
        print(f"error: {error}")
    when = f"{killed_at[0]:.1f}" if killed_at else "never"
    print(
        f"cluster: {len(acked)} acknowledged, {sum(stored.values())} stored, {len(lost)} lost, "
        f"{duplicated} duplicated, node killed at {when} s",
        flush=True,
    )
    return 1 if lost or duplicated or tally.errors or not killed_at else 0


def push(args, tally, run, n):
    marker = f"[cluster-check {run} api-{n}]"
    body = json.dumps(
        {
            "content": f"集群检查推送的意见 {marker}",
            "external_id": f"cc-{run}-{n}",
            "channel": "hotline",
        }
    ).encode()
    headers = {
        "Authorization": f"Bearer {args.token}",
        "Content-Type": "application/json",
        "Idempotency-Key": f"{run}-{n}",
    }
    for attempt in range(40):
        try:
            status, _headers, data = request(args, "POST", "/api/v1/opinions", body, headers)
        except OSError:
            status, data = None, b""
        if status in (200, 201):
            answer = json.loads(data)
            if answer.get("id") and answer.get("tracking_code"):
                tally.ack(marker, "api")
                return
        if status is not None and status < 500 and status not in (429,):
            raise SystemExit(f"push {n}: HTTP {status}: {data[:300]!r}")
        tally.count("retries")
        time.sleep(min(0.1 * (attempt + 1), 1.0))
    raise SystemExit(f"push {n}: no answer after 40 attempts")


def form_post(args, tally, run, n):
    """Load the form, answer the question, send it: one person on one address."""
    marker = f"[cluster-check {run} form-{n}]"
    source = f"127.0.{100 + n // 5}.{1 + n % 5}"  # at most 5 posts an address
    cookies = {}
    try:
        status, headers, page = request(args, "GET", "/portal/opinions/", source=source)
        if status != 200:
            tally.unacked.append(marker)
            tally.fail(f"form GET: {status}")
            return
        keep_cookies(cookies, headers)
        form = FormReader()
        form.feed(page.decode())
        fields = dict(form.hidden)
        fields.update(
            {
                "content": f"集群检查从门户提交的意见 {marker}",
                "is_anonymous": "1",
                "answer": str(answer_of(page.decode())),
                "website": "",
            }
        )
        time.sleep(float(os.environ.get("OPINIONS_MIN_FILL_SECONDS", "3")) + 0.2)
        body = urllib.parse.urlencode(fields).encode()
        status, headers, page = request(
            args,
            "POST",
            "/portal/opinions/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie_header(cookies),
                "Referer": f"http://{args.host}:{args.port}/portal/opinions/",
            },
            source=source,
        )
        keep_cookies(cookies, headers)
        if status != 302:
            tally.unacked.append(marker)
            tally.fail(f"form POST: {status}")
            if status == 400:
                raise SystemExit(f"form {n}: refused: {error_text(page.decode())}")
            return
        status, headers, page = request(
            args,
            "GET",
            headers["location"],
            headers={"Cookie": cookie_header(cookies)},
            source=source,
        )
        if status == 200 and re.search(rb'data-testid="tracking-code">\s*\w{4}-\w{4}-\w{4}', page):
            tally.ack(marker, "form")
        else:
            tally.unacked.append(marker)
            tally.fail(f"form thanks page: {status}")
    except OSError as exc:
        tally.unacked.append(marker)
        tally.fail(f"form: {exc.__class__.__name__}")


def page_view(args, tally, path):
    try:
        status, _headers, _page = request(args, "GET", path)
    except OSError:
        status = None
    with tally.lock:
        tally.pages["ok" if status == 200 else "failed"] += 1
    if status != 200:
        tally.fail(f"GET {path}: {status or 'connection error'}")


def request(args, method, path, body=None, headers=None, source=None):
    connection = http.client.HTTPConnection(
        args.host, args.port, timeout=30, source_address=(source, 0) if source else None
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()


def keep_cookies(cookies, headers):
    raw = headers.get("set-cookie")
    if raw:
        jar = http.cookies.SimpleCookie()
        jar.load(raw)
        cookies.update({name: morsel.value for name, morsel in jar.items()})


def cookie_header(cookies):
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def answer_of(page):
    """The sum the form asks for, read from its question (e.g. 三加五等于多少？)."""
    match = re.search(f"([{DIGITS}])加([{DIGITS}])等于多少", page)
    if match is None:
        raise SystemExit("the public form shows no question")
    return DIGITS.index(match.group(1)) + DIGITS.index(match.group(2))


def error_text(page):
    """The form's error messages, without markup."""
    found = re.findall(
        r'class="[^"]*(?:alert-danger|invalid-feedback)[^"]*"[^>]*>(.{0,400})', page, re.S
    )
    texts = [re.sub(r"<[^>]+>|\s+", " ", f).split("  ")[0].strip() for f in found]
    return " / ".join(t for t in texts if t) or "no message"


class FormReader(HTMLParser):
    """The hidden fields of the page's POST form (CSRF token, challenge, any other token)."""

    def __init__(self):
        super().__init__()
        self.hidden = {}
        self.in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.in_form = True
        elif (
            tag == "input" and self.in_form and attrs.get("type") == "hidden" and attrs.get("name")
        ):
            self.hidden[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def stored_markers(database_url, run):
    """marker -> how many opinions carry it."""
    pattern = re.compile(r"\[cluster-check [0-9a-f]+ (?:api|form)-\d+\]")
    counts = {}
    with psycopg.connect(database_url) as db:
        rows = db.execute(
            "SELECT content FROM opinions_opinion WHERE content LIKE %s",
            (f"%[cluster-check {run} %",),
        )
        for (content,) in rows:
            marker = pattern.search(content).group(0)
            counts[marker] = counts.get(marker, 0) + 1
    return counts


if __name__ == "__main__":
    raise SystemExit(main())
