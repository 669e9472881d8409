"""Feedback dashboards on 10,000 people and about 2 million answers.

Usage (from the repository root)::

    export DATABASE_URL=sqlite:////tmp/rapport-feedback-bench.sqlite3
    .venv/bin/python bench/feedback_dashboards.py
    export DATABASE_URL=postgresql://postgres@127.0.0.1/rapport_feedback_bench
    .venv/bin/python bench/feedback_dashboards.py

``generate`` DESTROYS the benchmark database (SQLite: deletes the file, refusing
one inside the repository; PostgreSQL: migrates and flushes it, refusing a
name without "bench"). ``measure`` times, for the top leader, a mid-level
leader and a front-line manager:

- the scores the results page computes (``feedback.scores.trend`` and, for
  leaders, ``feedback.scores.breakdown``: every number of the trend charts,
  driver table, heatmap and team trends), against hand-written raw SQL that
  computes the same numbers from the answers (one statement per figure set);
  twice: with every window read from its answers, then with the 23 older
  windows read from their tallies (``feedback.ballots.tally``, timed) and the
  latest from its answers, as when it is open;
- the whole results page through Django's test client (scores, managing,
  program health, charts, templates), with its query count;
- sealing the latest window (``feedback.ballots.seal_window``), rolled back.

Shape: a CEO, 9 senior leaders, 90 directors and 900 front-line managers (1,000
people with reports), 9,000 employees, 6 departments; one monthly pulse of
10 questions (2 engagement index, 7 drivers, eNPS) over 24 windows, 85%
answering: about 204,000 responses and 2.04 million answers. ``--scale 0.01``
makes every level but the CEO a hundred times smaller (102 people, still about
ten reports per front-line manager and 24 windows: about 20,000 answers);
``tests/test_bench.py`` runs it so, to keep the benchmark working.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:////tmp/rapport-feedback-bench.sqlite3"
WINDOWS = 24
# People per level at scale 1: CEO, senior leaders, directors, front-line
# managers, employees (``--scale`` multiplies all but the CEO).
LEVELS = (1, 9, 90, 900, 9000)
ANSWER_RATE = 0.85
QUESTIONS = (
    ("engagement", "likert"),
    ("engagement", "likert"),
    ("recognition", "likert"),
    ("growth", "likert"),
    ("manager_support", "likert"),
    ("communication", "likert"),
    ("belonging", "likert"),
    ("wellbeing", "likert"),
    ("workload", "likert"),
    ("enps", "enps"),
)
TARGET_RATIO = 1.5
REPEATS = 5


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]


# --------------------------------------------------------------------- generate


def _reset_database() -> None:
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    url = os.environ["DATABASE_URL"]
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"]).resolve()
        if REPO in path.parents:
            sys.exit(f"Refusing to delete {path}: it is inside the repository.")
        connection.close()
        path.unlink(missing_ok=True)
    elif "bench" not in connection.settings_dict["NAME"]:
        sys.exit(f"Refusing to flush {url}: its name has no 'bench' in it.")
    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
        # Keys name rows by id, and the flush starts the ids again.
        cache.clear()


def _insert(table: str, columns: tuple[str, ...], rows) -> int:
    """Insert many rows fast: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 20_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def levels(scale: float) -> list[int]:
    """People per level times ``scale``, at least one each; every front-line
    manager keeps about ten reports (the minimum group size is five)."""
    sizes = [1, *(max(1, round(size * scale)) for size in LEVELS[1:])]
    if sizes[-1] < 5 * sizes[-2]:
        raise ValueError(f"scale {scale:g} leaves front-line teams under five people")
    return sizes


def generate(scale: float = 1.0) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from engagement.models import Department, Person, Program
    from feedback.models import Answer, Form, Question, Response, Stage
    from scheduling.models import Participant, Session

    _reset_database()
    started = time.perf_counter()
    rng = random.Random(42)
    with transaction.atomic():
        departments = Department.objects.bulk_create(
            [Department(name=f"Department {i}") for i in range(6)]
        )
        sizes = levels(scale)
        people, parents, index = [], [], 0
        for depth, size in enumerate(sizes):
            for i in range(size):
                people.append(
                    Person(
                        username=f"p{index}",
                        email=f"p{index}@bench.example",
                        first_name=f"P{index}",
                        last_name=f"L{depth}",
                        password="!",
                        department=departments[i % 6],
                        is_senior_leader=depth <= 1,
                    )
                )
                # Each level spread evenly over the one above, in consecutive blocks.
                above = sum(sizes[: depth - 1])
                parents.append(None if depth == 0 else above + i * sizes[depth - 1] // size)
                index += 1
        Person.objects.bulk_create(people, batch_size=2000)
        for person, parent in zip(people, parents, strict=True):
            person.manager_id = None if parent is None else people[parent].pk
        Person.objects.bulk_update(people, ["manager"], batch_size=2000)
        ceo = people[0]
        program = Program.objects.create(
            name="Monthly pulse",
            practice="EE3",
            owner=ceo,
            rrule="FREQ=MONTHLY;BYMONTHDAY=1",
            time_zone="Europe/Berlin",
            starts_on=(timezone.now() - timedelta(days=31 * WINDOWS)).date(),
            config={"window_days": 10, "anonymous": True, "min_group_size": 5},
        )
        form = Form.objects.create(program=program, created_by=ceo)
        questions = Question.objects.bulk_create(
            [
                Question(form=form, position=i, kind=kind, text=f"Q{i}", driver=driver)
                for i, (driver, kind) in enumerate(QUESTIONS)
            ]
        )
        now = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
        windows = []
        for w in range(WINDOWS):
            start = now - timedelta(days=30 * (WINDOWS - w))
            windows.append(
                Session.objects.create(
                    program=program,
                    series="main",
                    planned_start=start,
                    starts_at=start,
                    ends_at=start + timedelta(days=10),
                    due_at=start + timedelta(days=10),
                    kind="period",
                    title="Monthly pulse",
                    touched=True,
                    uid=f"{rng.getrandbits(128):032x}",
                )
            )
    level = {p.pk: rng.gauss(0, 0.4) for p in people}
    # Far more than the minimum answered each window, so every batch has been mixed.
    mixed = Stage.MIXED.value
    receipts, responses, answers = [], [], []
    for window in windows:
        for person in people[1:]:
            answered = rng.random() < ANSWER_RATE
            receipts.append(
                (
                    window.pk,
                    person.pk,
                    "attendee" if False else "submitter",
                    True,
                    "",
                    "",
                    window.starts_at.date() if answered else None,
                )
            )
            if not answered:
                continue
            response_id = f"{rng.getrandbits(128):032x}"
            responses.append(
                (response_id, form.pk, window.pk, person.manager_id, person.department_id, mixed)
            )
            mood = 3.4 + level[person.manager_id]
            for question in questions:
                if question.kind == "enps":
                    value = max(0, min(10, round(mood * 2 + rng.gauss(0, 1.6))))
                else:
                    value = max(1, min(5, round(mood + rng.gauss(0, 0.9))))
                answers.append(
                    (
                        f"{rng.getrandbits(128):032x}",
                        response_id,
                        question.pk,
                        form.pk,
                        window.pk,
                        person.manager_id,
                        person.department_id,
                        value,
                        "",
                    )
                )
    with transaction.atomic():
        _insert(
            Participant._meta.db_table,
            ("session_id", "person_id", "role", "planned", "signup", "rsvp", "submitted_on"),
            receipts,
        )
        _insert(
            Response._meta.db_table,
            ("id", "form_id", "window_id", "manager_id", "department_id", "stage"),
            responses,
        )
        _insert(
            Answer._meta.db_table,
            (
                "id",
                "response_id",
                "question_id",
                "form_id",
                "window_id",
                "manager_id",
                "department_id",
                "value",
                "text",
            ),
            answers,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "scale": scale,
        "people": len(people),
        "responses": len(responses),
        "answers": len(answers),
        "seconds": round(time.perf_counter() - started, 1),
    }


# ---------------------------------------------------------------------- measure


def _raw_trend(form, windows, root: int) -> list:
    """The org's per-window, per-driver counts and respondents, in hand-written SQL."""
    from django.db import connection

    from engagement.models.people import below_sql
    from feedback.models import Answer, Question, Response
    from scheduling.models import Participant

    answer, question, response, participant = (
        Answer._meta.db_table,
        Question._meta.db_table,
        Response._meta.db_table,
        Participant._meta.db_table,
    )
    marks = ", ".join(["%s"] * len(windows))
    org, _ = below_sql(root, and_self=True, vendor=connection.vendor)
    sql = (
        " SELECT a.window_id, q.driver, COUNT(*),"
        " SUM(CASE WHEN q.kind = 'likert' AND a.value >= 4"
        " OR q.kind = 'enps' AND a.value >= 9 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN q.kind = 'likert' AND a.value = 3"
        " OR q.kind = 'enps' AND a.value IN (7, 8) THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN q.kind = 'likert' AND a.value <= 2"
        " OR q.kind = 'enps' AND a.value <= 6 THEN 1 ELSE 0 END),"
        # Distinct people per driver, as the page needs for optional questions.
        " SUM(a.value), COUNT(DISTINCT a.response_id)"
        f" FROM {answer} a INNER JOIN {question} q ON q.id = a.question_id"
        f" WHERE a.form_id = %s AND a.window_id IN ({marks})"
        f" AND a.manager_id IN ({org})"
        " GROUP BY a.window_id, q.driver"
    )
    respondents = (
        f" SELECT r.window_id, COUNT(*) FROM {response} r"
        f" WHERE r.form_id = %s AND r.window_id IN ({marks})"
        f" AND r.manager_id IN ({org})"
        " GROUP BY r.window_id"
    )
    # Everyone below the head, through the same id list as the other two statements
    # (on PostgreSQL a bare recursive CTE misleads the planner).
    invited = (
        " SELECT t.session_id, COUNT(*), SUM(CASE WHEN t.submitted_on IS NULL THEN 0 ELSE 1 END)"
        f" FROM {participant} t WHERE t.session_id IN ({marks}) AND t.role = 'submitter'"
        f" AND t.person_id IN ({org}) AND t.person_id <> %s GROUP BY t.session_id"
    )
    ids = [w.pk for w in windows]
    with connection.cursor() as cursor:
        cursor.execute(sql, [form.pk, *ids, root])
        rows = cursor.fetchall()
        cursor.execute(respondents, [form.pk, *ids, root])
        rows += cursor.fetchall()
        cursor.execute(invited, [*ids, root, root])
        rows += cursor.fetchall()
    return rows


def _raw_breakdown(form, windows, root: int) -> list:
    from django.db import connection

    from engagement.models.people import tree_cte
    from feedback.models import Answer, Question

    answer, question = Answer._meta.db_table, Question._meta.db_table
    marks = ", ".join(["%s"] * len(windows))
    sql = (
        f"WITH RECURSIVE {tree_cte('sub', 'manager_id = %s', roots=True)}"
        " SELECT s.root, a.window_id, q.driver, COUNT(*), COUNT(DISTINCT a.response_id),"
        " SUM(CASE WHEN a.value >= 4 THEN 1 ELSE 0 END)"
        f" FROM {answer} a INNER JOIN sub s ON a.manager_id = s.id"
        f" INNER JOIN {question} q ON q.id = a.question_id"
        f" WHERE a.form_id = %s AND a.window_id IN ({marks}) GROUP BY s.root, a.window_id, q.driver"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [root, form.pk, *[w.pk for w in windows]])
        return cursor.fetchall()


def _best(fn, repeats=REPEATS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def measure() -> tuple[list[dict], float]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from engagement.models import Person
    from feedback import ballots, scores
    from feedback.models import Form, Tally
    from feedback.windows import windows_of

    form = Form.objects.get()
    windows = windows_of(form)
    ceo = Person.objects.get(manager__isnull=True)
    mid = Person.objects.filter(manager=ceo).order_by("pk").first()
    manager = Person.objects.filter(last_name="L3").order_by("pk").first()
    client = Client()
    rows = []
    people = (("top leader", ceo), ("mid-level leader", mid), ("manager", manager))
    # First every window read from its answers (as before any window is sealed), then
    # the 23 older windows from their tallies with the latest still read from its
    # answers, as when a window is open.
    Tally.objects.all().delete()
    tallying = 0.0
    for mode in ("answers", "tallies"):
        if mode == "tallies":
            started = time.perf_counter()
            for window in windows[:-1]:
                ballots.tally(form, {"window_id": window.pk})
            # As the hourly job does after sealing (VACUUM ANALYZE on PostgreSQL).
            ballots.clear_freed_space()
            tallying = time.perf_counter() - started
        for label, person in people:
            has_parts = Person.objects.filter(manager=person, direct_reports__isnull=False).exists()

            def page_scores(person=person, has_parts=has_parts):
                result = scores.trend(form, windows, scores.org(person.pk))
                parts = scores.breakdown(form, windows, person) if has_parts else None
                return result, parts

            def raw(person=person, has_parts=has_parts):
                result = _raw_trend(form, windows, person.pk)
                parts = _raw_breakdown(form, windows, person.pk) if has_parts else None
                return result, parts

            scores_seconds, (trend, _) = _best(page_scores)
            raw_seconds, _ = _best(raw)
            client.force_login(person)
            with CaptureQueriesContext(connection) as queries:
                url = f"/feedback/results/{person.pk}/?survey={form.program_id}"
                page_seconds, response = _best(lambda url=url: client.get(url), 3)
            assert response.status_code == 200, response.status_code
            below = Person.objects.below(person).count()
            rows.append(
                {
                    "who": label,
                    "closed windows from": mode,
                    "people below": below,
                    "answers in scope": sum(
                        r.engagement.n + r.enps.n + sum(d.n for d in r.drivers.values())
                        for r in trend
                    ),
                    "scores s": round(scores_seconds, 3),
                    "raw SQL s": round(raw_seconds, 3),
                    "ratio": round(scores_seconds / raw_seconds, 2),
                    "page s": round(page_seconds, 3),
                    "page queries": len(queries) // 3,
                }
            )
    return rows, tallying


def measure_sealing() -> str:
    """Time sealing the latest window (delete, shuffled rewrite), rolled back
    so that the benchmark data stays as generated."""
    from django.db import transaction

    from feedback import ballots
    from feedback.models import Form, Response
    from feedback.windows import windows_of

    form = Form.objects.get()
    window = windows_of(form)[-1]
    responses = Response.objects.filter(window=window).count()
    with transaction.atomic():
        started = time.perf_counter()
        ballots.seal_window(form, window_id=window.pk)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return f"Sealing one window ({responses:,} responses): {seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("phase", nargs="?", choices=["generate", "measure"])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        metavar="S",
        help="generate: multiply the people (and so the answers) by S (default 1: 10,000 "
        "people; 0.01: 102 people, for the test that keeps the benchmark alive)",
    )
    args = parser.parse_args()
    try:
        if args.scale <= 0:
            raise ValueError("the scale must be positive")
        levels(args.scale)
    except ValueError as error:
        parser.error(str(error))
    if args.phase is None:
        for phase in ("generate", "measure"):
            subprocess.run(
                [sys.executable, __file__, phase, "--scale", str(args.scale)], check=True
            )
        return
    setup_django()
    from django.db import connection

    if args.phase == "generate":
        print(f"{connection.vendor}: generated {generate(args.scale)}")
        return
    rows, tallying = measure()
    headers = list(rows[0])
    print(f"\n{connection.vendor}, best of {REPEATS} (page: best of 3)\n")
    print("| " + " | ".join(headers) + " |")
    print("|" + "---|" * len(headers))
    for row in rows:
        print("| " + " | ".join(str(row[h]) for h in headers) + " |")
    worst = max(row["ratio"] for row in rows)
    median = round(statistics.median(r["page s"] for r in rows), 3)
    print(f"\nWorst ratio {worst} (target {TARGET_RATIO}); median page {median} s")
    print(f"Tallying {WINDOWS - 1} closed windows (and VACUUM ANALYZE): {tallying:.2f} s")
    print(measure_sealing())


if __name__ == "__main__":
    main()
