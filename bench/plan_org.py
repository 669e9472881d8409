"""Plan a 10,000-person organisation: time a full plan and a no-op re-plan.

Usage (from the repository root)::

    DATABASE_URL=sqlite:////tmp/rapport-bench.sqlite3 .venv/bin/python bench/plan_org.py
    DATABASE_URL=postgresql://postgres@127.0.0.1/rapport_bench .venv/bin/python bench/plan_org.py

Without a phase it runs ``generate``, ``plan`` and ``replan``, each in a fresh
subprocess so that the peak resident memory (``ru_maxrss``) is that phase's
own, and prints a Markdown table. One phase alone::

    .venv/bin/python bench/plan_org.py generate [--scale S]
    .venv/bin/python bench/plan_org.py plan   [--now ISO] [--profile FILE] [--sql-times]
    .venv/bin/python bench/plan_org.py replan [--now ISO] [--profile FILE] [--sql-times]

``--scale 0.01`` builds every count a hundred times smaller (100 people, 21
programs): ``tests/test_bench.py`` runs it so, to keep the benchmark working.

``generate`` DESTROYS the benchmark database: for SQLite it deletes the file
(refusing any file inside the repository), for PostgreSQL it migrates and
flushes the database named in the URL (refusing names without "bench" unless
``--force``).

The planner runs as it does in production: DEBUG off (no query log), one
transaction per program. Both planning phases get the same ``now`` from the
main process, so an occurrence crossing "now" between them cannot make the
re-plan do work. On PostgreSQL the organisation's tables are ANALYZEd after
``generate`` and every table before ``replan`` (untimed), as autovacuum would;
the scheduling tables are never analyzed before ``plan`` unless
``--stale-stats`` asks for it (see README: the planner then slows down tenfold).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:////tmp/rapport-bench.sqlite3"

# Shape of the organisation at scale 1 (``--scale`` multiplies every count).
PEOPLE = 10_000
SENIOR_LEADERS = 10
DIRECTORS = 100
FRONT_LINE_MANAGERS = 890
DEPARTMENTS = 6
PAIR_TEAMS = 500  # front-line managers whose teams have EE10 1-on-1s
HUDDLE_TEAMS = 300  # front-line managers whose teams have EE12 daily huddles
ZONE = "Europe/Berlin"

# Targets (2 cores, SQLite).
TARGETS = {"plan": 60.0, "replan": 10.0}
MEMORY_TARGET_MB = 500.0

FIRST_NAMES = [
    "Ada",
    "Ben",
    "Chloe",
    "Dara",
    "Emil",
    "Farah",
    "Gus",
    "Hana",
    "Ivo",
    "Jana",
    "Kofi",
    "Lena",
    "Milo",
    "Nia",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wim",
    "Xena",
    "Yuri",
    "Zoe",
]
LAST_NAMES = [
    "Adler",
    "Brandt",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hoffmann",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ueda",
    "Vogel",
    "Weber",
    "Xu",
    "Young",
    "Zimmer",
]
DEPARTMENT_NAMES = (
    "Operations",
    "Sales",
    "Engineering",
    "Customer Care",
    "Finance",
    "Logistics",
    "Marketing",
    "People",
)


# --------------------------------------------------------------------------- shape


@dataclass(frozen=True)
class Shape:
    people: int
    senior_leaders: int
    directors: int
    front_line_managers: int
    pair_teams: int
    huddle_teams: int


def shape(scale: float) -> Shape:
    """Every count times ``scale``, at least one of each, so that a tiny
    organisation still has every level and every practice."""

    def scaled(count: int) -> int:
        return max(1, round(count * scale))

    result = Shape(
        people=scaled(PEOPLE),
        senior_leaders=scaled(SENIOR_LEADERS),
        directors=scaled(DIRECTORS),
        front_line_managers=scaled(FRONT_LINE_MANAGERS),
        pair_teams=scaled(PAIR_TEAMS),
        huddle_teams=scaled(HUDDLE_TEAMS),
    )
    managers = 1 + result.senior_leaders + result.directors + result.front_line_managers
    if result.people - managers < result.front_line_managers:
        raise ValueError(f"scale {scale:g} leaves a front-line manager without reports")
    return result


# --------------------------------------------------------------------------- setup


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings

    # Production runs with DEBUG off; with it on every query is kept in memory.
    settings.DEBUG = False


def peak_rss_mb() -> float:
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    if sys.platform == "darwin":  # bytes on macOS
        kib /= 1024
    return kib / 1024


def current_rss_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


class QueryCounter:
    """Counts the statements a block sends (an execute_wrapper: cheap, no log).

    With ``timed`` it also adds up the seconds spent per kind of statement
    (its text with literals and IN lists folded), for ``--sql-times``.
    """

    def __init__(self, timed: bool = False) -> None:
        self.count = 0
        self.timed = timed
        self.seconds: Counter = Counter()
        self.calls: Counter = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if not self.timed:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = _statement_kind(sql)
            self.seconds[key] += time.perf_counter() - started
            self.calls[key] += 1

    def report(self, top: int = 15) -> None:
        total = sum(self.seconds.values())
        print(f"SQL: {total:.1f} s in {self.count} statements; the costliest kinds:")
        for key, seconds in self.seconds.most_common(top):
            print(f"  {seconds:8.2f} s {self.calls[key]:7d} x  {key}")


def _statement_kind(sql: str) -> str:
    import re

    text = re.sub(r"\((?:%s|\?)(?:\s*,\s*(?:%s|\?))*\)", "(…)", sql)
    text = re.sub(r"(\(…\)\s*,\s*)+\(…\)", "(…), …", text)
    text = re.sub(r"\s+", " ", text)
    return text[:200]


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


def vendor_description() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    return connection.vendor


def analyze(*models) -> None:
    """PostgreSQL: refresh planner statistics, as autovacuum would (of all tables if none given)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


# ------------------------------------------------------------------------ generate


def reset_database(force: bool) -> None:
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        path = Path(db["NAME"]).resolve()
        if REPO in path.parents and not force:
            sys.exit(f"Refusing to delete {path}: it is inside the repository (use --force).")
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
    else:
        if "bench" not in db["NAME"] and not force:
            sys.exit(f"Refusing to flush database {db['NAME']!r} (no 'bench' in its name).")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        # Keys name rows by id, and the flush starts the ids again.
        cache.clear()


def monday_weeks_ago(today: date, weeks: int) -> date:
    return today - timedelta(days=today.weekday() + 7 * weeks)


def generate(force: bool, weeks_ago: int = 1, scale: float = 1.0) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from engagement.models import AudienceKind, Department, Person, Program, ProgramStatus
    from engagement.practices import Cadence, get_practice

    size = shape(scale)
    started = time.perf_counter()
    reset_database(force)
    migrated = time.perf_counter()

    counter = itertools.count(1)
    password = make_password(None)  # unusable: nobody logs in to the benchmark

    def person(manager: Person | None, department: Department, title: str, **extra) -> Person:
        n = next(counter)
        return Person(
            username=f"p{n:05d}",
            email=f"p{n:05d}@bench.example.com",
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
            last_name=LAST_NAMES[(n // len(FIRST_NAMES) + n) % len(LAST_NAMES)],
            title=title,
            password=password,
            manager=manager,
            department=department,
            **extra,
        )

    def spread(total: int, over: list) -> list:
        """Assign ``total`` children as evenly as possible over ``over`` parents."""
        base, extra = divmod(total, len(over))
        return [parent for i, parent in enumerate(over) for _ in range(base + (i < extra))]

    with transaction.atomic():
        departments = Department.objects.bulk_create(
            [Department(name=name) for name in DEPARTMENT_NAMES[:DEPARTMENTS]]
        )
        ceo = person(None, departments[0], "Chief Executive Officer", is_senior_leader=True)
        ceo.is_hr_admin = True
        (ceo,) = Person.objects.bulk_create([ceo])
        leaders = Person.objects.bulk_create(
            [
                person(ceo, departments[i % DEPARTMENTS], "Senior Leader", is_senior_leader=True)
                for i in range(size.senior_leaders)
            ]
        )
        directors = Person.objects.bulk_create(
            [
                person(leader, leader.department, "Director")
                for leader in spread(size.directors, leaders)
            ]
        )
        managers = Person.objects.bulk_create(
            [
                person(director, director.department, "Manager")
                for director in spread(size.front_line_managers, directors)
            ],
            batch_size=2000,
        )
        employees_total = size.people - 1 - len(leaders) - len(directors) - len(managers)
        employees = Person.objects.bulk_create(
            [
                person(manager, manager.department, "Associate")
                for manager in spread(employees_total, managers)
            ],
            batch_size=2000,
        )

        starts_on = monday_weeks_ago(date.today(), weeks_ago)

        def program(code: str, owner: Person, name: str, **fields) -> Program:
            info = get_practice(code)
            fields.setdefault("rrule", info.cadence.rrule)
            fields.setdefault("duration_minutes", info.duration_minutes)
            return Program(
                practice=info.code,
                name=name[:150],
                owner=owner,
                audience_kind=AudienceKind.TEAM,
                time_zone=ZONE,
                starts_on=starts_on,
                start_time=dtime(9, 0),
                config=info.default_config(),
                status=ProgramStatus.ACTIVE,
                **fields,
            )

        every_manager = [ceo, *leaders, *directors, *managers]
        programs = []
        programs += [
            program("EE10", m, f"1-on-1s — team of {m.get_full_name()}", audience_manager=m)
            for m in managers[: size.pair_teams]
        ]
        programs += [
            program("EE11", m, f"Team meeting — {m.get_full_name()}", audience_manager=m)
            for m in every_manager
        ]
        programs += [
            program(
                "EE12",
                m,
                f"Daily huddle — {m.get_full_name()}",
                audience_manager=m,
                rrule=Cadence.DAILY_WORKDAYS.rrule,
                duration_minutes=10,
            )
            for m in managers[-size.huddle_teams :]
        ]
        programs += [
            program(
                "EE9",
                leader,
                f"Skip-levels — {leader.get_full_name()}",
                audience_manager=leader,
                audience_include_indirect=True,
            )
            for leader in leaders
        ]
        Program.objects.bulk_create(programs, batch_size=500)

    # Autovacuum would analyze the organisation after these inserts; the
    # scheduling tables stay as a fresh install has them: never analyzed.
    analyze(Person, Department, Program)
    elapsed = time.perf_counter() - started
    practices = Counter(p.practice for p in programs)
    pair_count = Person.objects.filter(manager__in=managers[: size.pair_teams]).count()
    summary = {
        "phase": "generate",
        "scale": scale,
        "seconds": round(elapsed, 2),
        "migrate_seconds": round(migrated - started, 2),
        "people": Person.objects.count(),
        "departments": len(departments),
        "senior_leaders": len(leaders),
        "directors": len(directors),
        "front_line_managers": len(managers),
        "people_with_reports": Person.objects.filter(direct_reports__isnull=False)
        .distinct()
        .count(),
        "employees": len(employees),
        "programs": Program.objects.count(),
        "programs_by_practice": dict(sorted(practices.items())),
        "ee10_pairs": pair_count,
        "starts_on": starts_on.isoformat(),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "vendor": vendor_description(),
    }
    print(
        f"Generated {summary['people']} people ({summary['senior_leaders']} senior leaders, "
        f"{summary['directors']} directors, {summary['front_line_managers']} front-line "
        f"managers, {summary['people_with_reports']} with reports, {summary['employees']} "
        f"employees) in {summary['departments']} departments; {summary['programs']} programs "
        f"{summary['programs_by_practice']}; {pair_count} EE10 pairs; starting {starts_on}; "
        f"{elapsed:.1f} s."
    )
    return summary


# ---------------------------------------------------------------------------- plan


def plan(
    phase: str,
    now_text: str | None,
    profile_path: str | None,
    sql_times: bool,
    stale_stats: bool,
) -> dict:
    from django.db import connection
    from django.utils import timezone

    from engagement.models import Program
    from scheduling.models import Participant, Session
    from scheduling.planner import sessions_plan_all

    now = datetime.fromisoformat(now_text) if now_text else timezone.now()
    if phase == "replan" or stale_stats:
        # Before the re-plan: what autovacuum does after the plan's inserts.
        # --stale-stats before the plan: statistics taken of the empty
        # scheduling tables (a manual ANALYZE or vacuumdb after migrating).
        analyze()
    sessions_before = Session.objects.count()
    participants_before = Participant.objects.count()
    programs = list(
        Program.objects.order_by(*Program._meta.ordering).values_list("practice", flat=True)
    )
    baseline = current_rss_mb()

    ticks: list[float] = []

    def progress(_n: int) -> None:
        ticks.append(time.perf_counter())
        if len(ticks) % 250 == 0:
            print(f"  {len(ticks)} programs, {ticks[-1] - started:.1f} s", file=sys.stderr)

    queries = QueryCounter(timed=sql_times)
    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
    with connection.execute_wrapper(queries):
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        result = sessions_plan_all(now=now, progress=progress)
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started

    # Seconds per practice, from the progress ticks (programs are planned in
    # the model's ordering: practice, then name, the order of ``programs``).
    by_practice: Counter = Counter()
    previous = started
    for practice, tick in zip(programs, ticks, strict=False):
        by_practice[practice] += tick - previous
        previous = tick

    sessions = Session.objects.count()
    participants = Participant.objects.count()
    summary = {
        "phase": phase,
        "now": now.isoformat(),
        "seconds": round(elapsed, 2),
        "programs": len(ticks),
        "created": result.created,
        "updated": result.updated,
        "cancelled": result.cancelled,
        "unchanged": result.unchanged,
        "sessions_created": sessions - sessions_before,
        "participants_created": participants - participants_before,
        "sessions_total": sessions,
        "participants_total": participants,
        "queries": queries.count,
        "seconds_by_practice": {k: round(v, 2) for k, v in sorted(by_practice.items())},
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "vendor": vendor_description(),
    }
    print(
        f"{phase}: {result} in {elapsed:.1f} s over {len(ticks)} programs, "
        f"{queries.count} queries; {summary['sessions_created']} sessions and "
        f"{summary['participants_created']} participants created "
        f"(now {sessions} and {participants}); peak RSS {summary['peak_rss_mb']} MB "
        f"(baseline {summary['baseline_rss_mb']} MB); by practice "
        f"{summary['seconds_by_practice']}."
    )
    if sql_times:
        queries.report()
    if profiler:
        import pstats

        profiler.dump_stats(profile_path)
        stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(25)
    return summary


# ---------------------------------------------------------------------------- main


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "nproc": usable,
        "cpu": cpu,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def run_phase(phase: str, extra: list[str]) -> dict:
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), phase, *extra],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    result = None
    for line in completed.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
        else:
            print(line, flush=True)
    if completed.returncode != 0 or result is None:
        sys.exit(f"Phase {phase} failed (exit status {completed.returncode}).")
    return result


def main_all(args: argparse.Namespace) -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    now = args.now or datetime.now().astimezone().isoformat()
    extra = ["--started-weeks-ago", str(args.started_weeks_ago), "--scale", str(args.scale)]
    if args.force:
        extra.append("--force")
    results = [run_phase("generate", extra)]
    stale = ["--stale-stats"] if args.stale_stats else []
    results.append(run_phase("plan", ["--now", now, *stale]))
    results.append(run_phase("replan", ["--now", now]))
    gen, full, again = results
    info = machine()

    def met(ok: bool) -> str:
        return "yes" if ok else "**NO**"

    print()
    print(
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['os']}, "
        f"Python {info['python']}, {gen['vendor']}."
    )
    scaled = f" (scale {gen['scale']:g})" if gen["scale"] != 1 else ""
    print(
        f"Organisation{scaled}: {gen['people']} people, {gen['people_with_reports']} with reports, "
        f"{gen['departments']} departments, {gen['programs']} programs "
        f"{gen['programs_by_practice']}, {gen['ee10_pairs']} EE10 pairs; "
        f"{full['sessions_total']} sessions and {full['participants_total']} participants "
        f"over {8} weeks."
    )
    print()
    print(
        "| Phase | Seconds | Created | Updated | Cancelled | Unchanged | Sessions + | "
        "Participants + | Queries | Peak RSS MB | Time target | Memory target |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|")
    print(
        f"| generate | {gen['seconds']} | | | | | | | | {gen['peak_rss_mb']} | – | "
        f"{met(gen['peak_rss_mb'] < MEMORY_TARGET_MB)} |"
    )
    for row in (full, again):
        limit = TARGETS[row["phase"]]
        time_ok = row["seconds"] < limit
        if row["phase"] == "replan":
            time_ok = time_ok and row["created"] == row["updated"] == row["cancelled"] == 0
        print(
            f"| {row['phase']} | {row['seconds']} | {row['created']} | {row['updated']} | "
            f"{row['cancelled']} | {row['unchanged']} | {row['sessions_created']} | "
            f"{row['participants_created']} | {row['queries']} | {row['peak_rss_mb']} | "
            f"< {limit:g} s: {met(time_ok)} | < {MEMORY_TARGET_MB:g} MB: "
            f"{met(row['peak_rss_mb'] < MEMORY_TARGET_MB)} |"
        )
    print()
    print(
        "Seconds by practice — plan: "
        f"{full['seconds_by_practice']}; replan: {again['seconds_by_practice']}."
    )
    if again["created"] or again["updated"] or again["cancelled"]:
        print("The re-plan changed sessions: it should have changed nothing.")
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("phase", nargs="?", choices=["all", "generate", "plan", "replan"])
    parser.add_argument("--now", help="ISO time to plan from (default: the current time)")
    parser.add_argument("--profile", metavar="FILE", help="plan/replan: write cProfile stats")
    parser.add_argument(
        "--sql-times", action="store_true", help="plan/replan: seconds per kind of statement"
    )
    parser.add_argument(
        "--stale-stats",
        action="store_true",
        help="PostgreSQL: ANALYZE the still empty scheduling tables before the plan",
    )
    parser.add_argument(
        "--started-weeks-ago",
        type=int,
        default=1,
        metavar="N",
        help="generate: programs start on the Monday N weeks ago (default 1)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        metavar="S",
        help="generate: multiply every count of the organisation by S (default 1: 10,000 "
        "people; 0.01: 100 people, for the test that keeps the benchmark alive)",
    )
    parser.add_argument("--force", action="store_true", help="generate: skip the safety checks")
    args = parser.parse_args()
    try:
        if args.scale <= 0:
            raise ValueError("the scale must be positive")
        shape(args.scale)
    except ValueError as error:
        parser.error(str(error))
    if args.phase in (None, "all"):
        main_all(args)
        return
    setup_django()
    if args.phase == "generate":
        emit(generate(args.force, args.started_weeks_ago, args.scale))
    else:
        emit(plan(args.phase, args.now, args.profile, args.sql_times, args.stale_stats))


if __name__ == "__main__":
    main()
