"""Fifty people at once: the demo organisation under gunicorn, timed page by page.

Usage (from the repository root)::

    .venv/bin/python bench/load.py                     # SQLite, 50 people, 60 s
    .venv/bin/python bench/load.py --database postgresql://postgres@127.0.0.1/rapport_load_bench
    .venv/bin/python bench/load.py --users 5 --seconds 5 --workers 2   # a quick look

It builds the demo organisation in a fresh database (``migrate``, ``load_demo``,
``setup_schedules``, ``plan_sessions``, ``load_demo_history``,
``load_demo_feedback``, as ``make run`` does), serves it
with gunicorn (``--workers`` processes, DEBUG off, persistent database
connections), signs ``--users`` virtual people in through the sign-in form as the
demo roles in turn (HR, senior leader, manager, employee; password "demo"), then
for ``--seconds`` each of them opens their everyday pages one after the other
with about ``--think`` seconds between pages: home, my week, my actions,
1-on-1s, the pages of their coming sessions, surveys and the survey to answer,
results (for managers, senior leaders and HR: their own page and a team below),
programs and a program, and the calendar. It prints requests per second, errors
and the 50th, 95th and 99th percentile times, overall and per kind of page, as
a Markdown table, and exits with status 1 if any request failed.

Local and bounded: Python threads with ``http.client`` against 127.0.0.1, no
other host, every request with a timeout; gunicorn is stopped at the end.

``--database`` names the benchmark database, which is DESTROYED first: a SQLite
file (refused inside the repository) or a PostgreSQL database whose name contains
"bench" (dropped and created again; ``--force`` skips both checks).
``--reuse`` keeps a database this script built before (sign-in lock-outs are
cleared), to run the load again without building the demo.

Sign-in throttling (django-axes) counts wrong passwords per account and address.
Every virtual person signs in once, with the right password, and keeps their
session; a refused sign-in stops the benchmark rather than trying again, so it
cannot lock the demo accounts out.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:////tmp/rapport-load.sqlite3"
HOST = "127.0.0.1"
TARGET_P95_MS = 300
TIMEOUT = 60

# The demo accounts (engagement/demo.py) and what their people open every day.
ROLES = (("admin", "HR"), ("leader", "leader"), ("manager", "manager"), ("employee", "employee"))
RESULTS_ROLES = {"HR", "leader", "manager"}

# Kinds of page, by path: the first pattern that matches names the page.
KINDS = (
    (r"/", "home"),
    (r"/week/", "my week"),
    (r"/actions/", "my actions"),
    (r"/one-on-ones/", "1-on-1s"),
    (r"/sessions/\d+/", "session"),
    (r"/feedback/surveys/", "surveys"),
    (r"/feedback/surveys/\d+/", "survey to answer"),
    (r"/feedback/results/", "results home"),
    (r"/feedback/results/\d+/", "results"),
    (r"/programs/", "programs"),
    (r"/programs/\d+/", "program"),
    (r"/calendar/", "calendar"),
    (r"/accounts/login/", "sign-in"),
)


def kind_of(path: str) -> str:
    bare = urlsplit(path).path
    for pattern, kind in KINDS:
        if re.fullmatch(pattern, bare):
            return kind
    return "other"


# ------------------------------------------------------------------------ setup


def _environment(database: str) -> dict[str, str]:
    """The server's environment: production settings on plain HTTP (LOCAL_DEMO),
    a throwaway secret key, connections kept between requests."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "PYTHONPATH"}
    }
    environment.update(
        DATABASE_URL=database,
        DJANGO_SETTINGS_MODULE="config.settings",
        LOCAL_DEMO="true",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
    )
    return environment


def _reset(database: str, force: bool) -> None:
    """Delete the SQLite file, or drop and create the PostgreSQL database."""
    parts = urlsplit(database)
    if parts.scheme == "sqlite":
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path).resolve()
        if REPO in path.parents and not force:
            sys.exit(f"Refusing to delete {path}: it is inside the repository.")
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = parts.path.lstrip("/")
    if "bench" not in name and not force:
        sys.exit(f"Refusing to drop {name!r}: its name has no 'bench' in it.")
    import psycopg
    from psycopg import sql

    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup(database: str, *, force: bool, reuse: bool) -> float:
    """Build the demo organisation (or clear lock-outs of a reused one); seconds taken."""
    started = time.perf_counter()
    if not reuse:
        _reset(database, force)
    steps = (
        [["axes_reset"]]
        if reuse
        else [
            ["migrate", "--noinput", "-v0"],
            ["load_demo"],
            ["setup_schedules"],
            ["plan_sessions", "-v0"],
            ["load_demo_history"],
            ["load_demo_feedback"],
        ]
    )
    # One process for every step: Django starts once.
    script = (
        "import sys, django; django.setup()\n"
        "from django.core.management import call_command\n"
        f"for step in {steps!r}:\n"
        "    call_command(*step, stdout=sys.stderr)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=_environment(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.exit(f"Building the demo failed:\n{completed.stderr}")
    return time.perf_counter() - started


# ----------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def serve(database: str, workers: int, port: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        sys.exit(f"No {gunicorn}: pip install -e '.[production]'")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi:application",
            f"--workers={workers}",
            f"--bind={HOST}:{port}",
            f"--timeout={TIMEOUT}",
            "--graceful-timeout=5",
            "--log-level=warning",
        ],
        cwd=REPO,
        env=_environment(database),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped:\n{log.read_text()}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop(server)
    sys.exit(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# ------------------------------------------------------------------ the people


@dataclass
class Sample:
    kind: str
    role: str
    seconds: float
    ok: bool
    started: float


class Refused(Exception):
    pass


@dataclass
class Person:
    """One virtual person: a cookie jar and a connection of their own."""

    port: int
    username: str
    role: str
    cookies: dict[str, str] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "rapport-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            # The server closed a kept connection: one fresh attempt, then it counts.
            self.connection.close()
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, response.getheader("Location", ""), text

    def sign_in(self) -> float:
        started = time.perf_counter()
        status, _, form = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        if status != 200 or token is None:
            raise Refused(f"{self.username}: the sign-in page answered {status}")
        status, location, _ = self.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": self.username,
                "password": "demo",
            },
        )
        if status != 302 or "/accounts/login/" in location:
            raise Refused(f"{self.username}: signing in answered {status} (locked out?)")
        return time.perf_counter() - started

    def get(self, path: str) -> tuple[list[Sample], str]:
        """Open ``path`` as a browser would, following redirects; one sample a request."""
        samples, text = [], ""
        for _ in range(5):
            started = time.perf_counter()
            try:
                status, location, text = self.request("GET", path)
            except (OSError, http.client.HTTPException):
                status, location = 0, ""
            seconds = time.perf_counter() - started
            ok = status == 200 or (status in (301, 302) and "/accounts/login/" not in location)
            samples.append(Sample(kind_of(path), self.role, seconds, ok, started))
            if status not in (301, 302) or not ok:
                break
            path = location
        return samples, text

    def discover(self) -> None:
        """The person's everyday pages, and the sessions, surveys, programs and
        teams linked from them."""
        pages = ["/", "/week/", "/actions/", "/one-on-ones/", "/feedback/surveys/"]
        pages += ["/programs/", "/calendar/"]
        linked: dict[str, list[str]] = defaultdict(list)
        results = ["/feedback/results/"] if self.role in RESULTS_ROLES else []
        for path in [*pages, *results]:
            _, text = self.get(path)
            for href in re.findall(r'href="(/[^"#]*)"', text):
                href = href.replace("&amp;", "&")
                kind = kind_of(href)
                wanted = kind in {"session", "survey to answer", "program", "results"}
                if wanted and href not in linked[kind]:
                    linked[kind].append(href)
        pages += results
        pages += linked["session"][:3] + linked["survey to answer"][:1] + linked["program"][:1]
        if self.role in RESULTS_ROLES:
            pages += linked["results"][:2]
        self.pages = pages


def _percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def drive(port: int, users: int, seconds: float, think: float) -> dict:
    """Sign everyone in, then let them browse for ``seconds``; the samples of that time."""
    people = [
        Person(port, username, role)
        for username, role in (ROLES[i % len(ROLES)] for i in range(users))
    ]
    sign_ins: list[float] = []
    failures: list[str] = []

    def arrive(person: Person) -> None:
        try:
            sign_ins.append(person.sign_in())
            person.discover()
        except (Refused, OSError, http.client.HTTPException) as error:
            failures.append(str(error))

    # Sign in a few at a time: each hashes a password, as slow as it should be.
    arriving = [threading.Thread(target=arrive, args=(p,)) for p in people]
    for start in range(0, len(arriving), 4):
        batch = arriving[start : start + 4]
        for thread in batch:
            thread.start()
        for thread in batch:
            thread.join()
    if failures:
        sys.exit("Signing in failed:\n" + "\n".join(failures))

    samples: list[Sample] = []
    lock = threading.Lock()
    began = time.perf_counter()
    end = began + seconds

    def browse(person: Person, rng: random.Random) -> None:
        # Each starts at a different moment and page, as people do.
        time.sleep(rng.uniform(0, think))
        pages = person.pages[:]
        rng.shuffle(pages)
        index = 0
        while time.perf_counter() < end:
            taken, _ = person.get(pages[index % len(pages)])
            index += 1
            with lock:
                samples.extend(s for s in taken if s.started < end)
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))

    threads = [
        threading.Thread(target=browse, args=(person, random.Random(i)), daemon=True)
        for i, person in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT + 5)
    elapsed = max(seconds, max((s.started + s.seconds for s in samples), default=end) - began)
    return {"samples": samples, "elapsed": elapsed, "sign_ins": sign_ins}


# ----------------------------------------------------------------------- report


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{len(os.sched_getaffinity(0))} CPUs ({cpu}), Python {platform.python_version()}"


def database_description(database: str) -> str:
    if database.startswith("sqlite"):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(database) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
    return f"PostgreSQL {version.split()[0]}"


def _row(label: str, samples: list[Sample], elapsed: float) -> str:
    times = sorted(s.seconds * 1000 for s in samples)
    errors = sum(not s.ok for s in samples)
    figures = [_percentile(times, p) for p in (50, 95, 99)] if times else [0, 0, 0]
    cells = [
        label,
        str(len(samples)),
        f"{len(samples) / elapsed:.1f}",
        str(errors),
        *(f"{value:.0f}" for value in figures),
        f"{times[-1]:.0f}" if times else "0",
    ]
    return "| " + " | ".join(cells) + " |"


def report(run: dict, args, description: str) -> int:
    samples, elapsed = run["samples"], run["elapsed"]
    print(
        f"\n{description}, gunicorn with {args.workers} workers, {args.users} people, "
        f"{args.seconds:g} s, about {args.think:g} s between pages; {machine()}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
    )
    print("| page | requests | per s | errors | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    print(_row("all", samples, elapsed))
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        label = sample.kind
        if sample.kind == "results":
            label = f"results ({sample.role})"
        by_kind[label].append(sample)
    for label in sorted(by_kind, key=lambda k: -sorted(s.seconds for s in by_kind[k])[-1]):
        print(_row(label, by_kind[label], elapsed))
    sign_ins = sorted(run["sign_ins"])
    errors = sum(not s.ok for s in samples)
    p95 = _percentile(sorted(s.seconds * 1000 for s in samples), 95) if samples else 0
    print(
        f"\n{len(samples) / elapsed:.1f} requests/s, {errors} errors, p95 {p95:.0f} ms "
        f"(target: 0 errors, p95 under {TARGET_P95_MS} ms: "
        f"{'met' if not errors and p95 < TARGET_P95_MS else 'NOT met'}). "
        f"Signing in (before the timed part): median {statistics.median(sign_ins):.2f} s."
    )
    return 1 if errors or not samples else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--users", type=int, default=50, help="virtual people (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="timed browsing (default 60)")
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn worker processes (default 4)"
    )
    parser.add_argument(
        "--think", type=float, default=1.0, help="seconds between pages, on average (default 1)"
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--reuse", action="store_true", help="keep the demo built before")
    parser.add_argument("--force", action="store_true", help="skip the database name checks")
    args = parser.parse_args()
    for name in ("users", "seconds", "workers"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name} must be positive")
    if args.think < 0:
        parser.error("--think must not be negative")
    if not args.database.startswith(("sqlite:", "postgres")):
        parser.error("--database must be a sqlite:/// or postgresql:// URL")

    built = setup(args.database, force=args.force, reuse=args.reuse)
    print(f"Demo {'reused' if args.reuse else 'built'} in {built:.0f} s", flush=True)
    port = args.port or _free_port()
    log = Path(f"/tmp/rapport-load-gunicorn-{port}.log")
    server = serve(args.database, args.workers, port, log)
    try:
        run = drive(port, args.users, args.seconds, args.think)
    finally:
        stop(server)
    status = report(run, args, database_description(args.database))
    if status:
        print(f"Server log: {log}")
    sys.exit(status)


if __name__ == "__main__":
    main()
