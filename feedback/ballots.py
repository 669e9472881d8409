"""The ballot box: anonymous answers are rewritten so that the order a database keeps
by itself does not line them up with the receipts.

A database keeps an order nobody asked it for. SQLite numbers rows as they are
inserted; PostgreSQL stamps each row with the transaction that wrote it (the
very one that wrote the receipt) and places it after the previous row. So an
anonymous response is written *held*. As soon as the window holds
``min_group_size`` held responses they are deleted and written again together,
in shuffled order and under new keys (*mixed*): from then on nothing in the
rows tells which of them came first. When the window closes, the hourly job
writes all its responses once more in one shuffled batch (*sealed*) and clears
the space the old rows used (SQLite runs with ``secure_delete`` and a rollback
journal, so the file never keeps a deleted row, nor a log of earlier commits;
PostgreSQL vacuums the two tables after sealing).

The group columns (manager, department) are never changed: a figure that has
been shown must not change when a window is sealed, or the change itself would
reveal the answers that moved.

What this does not do, and the docs say so: responses still held (fewer than
the minimum since the last mix) can be paired with receipts by someone reading
the database at that moment; a mixed batch carries the stamp of the transaction
of the answer that completed it; copies in PostgreSQL's write-ahead log,
replicas and backups are beyond the application; and where exactly one person
of a filing group answered, the receipts tell who.
"""

from __future__ import annotations

import hashlib
import logging
import random
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from feedback.counting import Counting
from feedback.models import Answer, Form, Period, Response, Stage, Tally
from feedback.windows import FEEDBACK_DAYS
from scheduling.models import Session, SessionStatus

logger = logging.getLogger(__name__)

# Not the module-level generator: its state could be reproduced from a seed.
_shuffle = random.SystemRandom().shuffle

ANSWER_FIELDS = ("question_id", "value", "text")
CHUNK = 5000


def _where(window_id: int | None, period_id: int | None) -> dict:
    """The filter naming one survey window, or one month of feedback after sessions."""
    return {"window_id": window_id} if window_id else {"period_id": period_id}


def _lock(form: Form, where: dict) -> None:
    """Serialise writers of one window's ballot box until the transaction ends.

    PostgreSQL's READ COMMITTED lets two answers arriving together each count the
    other's row as missing, so neither would mix; an advisory lock per window
    makes the second wait and count both. SQLite already lets one writer in at a
    time (transactions start IMMEDIATE).
    """
    if connection.vendor != "postgresql":
        return
    key = f"ballots:{form.pk}:{sorted(where.items())}".encode()
    number = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def mix_window(form: Form, response: Response) -> int:
    """Mix the window's held responses once there are at least the minimum of them;
    call it in the transaction that wrote ``response``. Returns how many were mixed
    (0 while there are still too few)."""
    if not form.anonymous:
        return 0
    where = _where(response.window_id, response.period_id)
    _lock(form, where)
    held = list(
        Response.objects.filter(form=form, stage=Stage.HELD, **where).values(
            "id", "manager_id", "department_id"
        )
    )
    if len(held) < form.min_group_size:
        return 0
    _rewrite(form, held, Stage.MIXED, where)
    return len(held)


def seal_window(form: Form, *, window_id: int | None = None, period_id: int | None = None) -> int:
    """Seal a closed window (or month of feedback after sessions): rewrite its anonymous
    responses in one shuffled batch, then count its answers once into tallies for
    the scores. Returns how many responses were sealed; 0 if it already was (several
    workers may run the hourly job at once)."""
    where = _where(window_id, period_id)
    with transaction.atomic():
        _lock(form, where)
        responses = Response.objects.filter(form=form, **where)
        unsealed = responses.exclude(stage=Stage.SEALED).exists()
        tallied = Tally.objects.filter(form=form, kind=Tally.SEALED, **where).exists()
        if not unsealed and tallied:
            return 0
        count = 0
        if unsealed and form.anonymous:
            rows = list(responses.values("id", "manager_id", "department_id"))
            _rewrite(form, rows, Stage.SEALED, where)
            count = len(rows)
        elif unsealed:
            count = responses.update(stage=Stage.SEALED)
        tally(form, where)
    return count


def tally(form: Form, where: dict) -> None:
    """Count a closed window's answers per filing manager and driver, and its responses
    per manager, into tallies: the statement the scores run on open windows,
    grouped by manager and inserted as it is. Replaces any earlier count of it."""
    key, value = next(iter(where.items()))
    Tally.objects.filter(form=form, **where).delete()
    counting = Counting([form.pk], key, sealed=[], live=[value])
    sql, params = counting.respondents_and_scores(
        "x.form_id, x.window_id, x.period_id, x.manager_id"
    )
    columns = (
        "form_id, window_id, period_id, manager_id, driver, kind, n, fav, neu, unfav, total, people"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {Tally._meta.db_table} ({columns}) {sql}", params)
    Tally.objects.create(form=form, **where, kind=Tally.SEALED, n=0)


def reopen(form: Form, *, window_id: int | None = None, period_id: int | None = None) -> None:
    """Call after writing an answer to a window: if the window had been sealed (its
    dates were moved), drop its tallies, so its scores come from the answers until
    it is sealed again. Under the window's lock, after the write: a seal running
    now either finished before (and its tallies go) or sees the new response."""
    where = _where(window_id, period_id)
    _lock(form, where)
    Tally.objects.filter(form=form, **where).delete()


def untally_form(form: Form) -> None:
    """Drop every tally of the form (its questions changed); closed windows are read
    from their answers until the hourly job tallies them again."""
    Tally.objects.filter(form=form).delete()


def seal_closed(now=None) -> int:
    """Seal every window that has closed with responses not yet sealed, or not yet
    tallied (hourly). Returns how many responses were rewritten or marked sealed."""
    now = now or timezone.now()
    tallied = set(
        Tally.objects.filter(kind=Tally.SEALED).values_list("form_id", "window_id", "period_id")
    )
    windows = (
        Response.objects.values_list("form_id", "window_id", "period_id")
        .annotate(unsealed=Count("id", filter=~Q(stage=Stage.SEALED)))
        .order_by()
    )
    pending = [
        (form_id, window_id, period_id)
        for form_id, window_id, period_id, unsealed in windows
        if unsealed or (form_id, window_id, period_id) not in tallied
    ]
    if not pending:
        return 0
    forms = Form.objects.select_related("program").in_bulk({form_id for form_id, _, _ in pending})
    # A survey window closes at its due date; a month of feedback after sessions
    # closes when the last session of it can no longer be rated.
    closed_windows = set(
        Session.objects.filter(pk__in={w for _, w, _ in pending if w})
        .filter(
            Q(due_at__lte=now)
            | Q(due_at__isnull=True, ends_at__lte=now)
            | Q(status=SessionStatus.CANCELLED)
        )
        .values_list("pk", flat=True)
    )
    closed_periods = set(
        Period.objects.filter(
            pk__in={p for _, _, p in pending if p}, ends_at__lte=now - timedelta(days=FEEDBACK_DAYS)
        ).values_list("pk", flat=True)
    )
    sealed = 0
    for form_id, window_id, period_id in pending:
        if window_id in closed_windows or period_id in closed_periods:
            try:
                sealed += seal_window(forms[form_id], window_id=window_id, period_id=period_id)
            except Exception:
                # One window's failure (a deadlock, say) must not hold up the others for
                # an hour; it is tried again on the next run.
                logger.exception("Sealing window %s / month %s failed", window_id, period_id)
    if sealed:
        clear_freed_space()
    return sealed


def clear_freed_space() -> None:
    """Reclaim the space the deleted rows used in the data files, so that the old rows
    are not left there to be read, and refresh the planner's statistics.

    Only outside a transaction (the worker's task): VACUUM and a WAL checkpoint
    cannot run inside one. Rows an older open transaction still sees, and
    PostgreSQL's write-ahead log and backups, are beyond it.
    """
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ANALYZE too: the planner needs the new tallies' statistics, or it scans
            # them all for a team of ten (50 ms instead of 4).
            tables = (Answer._meta.db_table, Response._meta.db_table, Tally._meta.db_table)
            cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            # Only a file still in WAL mode (switching needs every other connection
            # closed) has a log to empty; with the rollback journal this does nothing.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _, _ = cursor.fetchone()
            if busy:
                logger.warning("Sealed answers: the SQLite log was busy and is not truncated yet.")


def _rewrite(form: Form, rows: list[dict], stage: int, where: dict) -> None:
    """Delete ``rows`` (responses of the window ``where`` names, with their group
    columns) and their answers, and write them again in shuffled order under new keys."""
    old_ids = [row["id"] for row in rows]
    window = {"window_id": None, "period_id": None, **where}
    answers: dict[uuid.UUID, list[dict]] = {}
    # In chunks: SQLite limits the parameters of one statement, and a window can
    # hold tens of thousands of responses.
    chunks = [old_ids[i : i + CHUNK] for i in range(0, len(old_ids), CHUNK)]
    for chunk in chunks:
        for answer in Answer.objects.filter(response_id__in=chunk).values(
            "response_id", *ANSWER_FIELDS
        ):
            answers.setdefault(answer["response_id"], []).append(answer)
    for chunk in chunks:
        Answer.objects.filter(response_id__in=chunk).delete()
        Response.objects.filter(pk__in=chunk).delete()
    _shuffle(rows)
    new_responses, new_answers = [], []
    for row in rows:
        response = Response(
            id=uuid.uuid4(),
            form=form,
            manager_id=row["manager_id"],
            department_id=row["department_id"],
            stage=stage,
            **window,
        )
        new_responses.append(response)
        for answer in answers.get(row["id"], []):
            new_answers.append(
                Answer(
                    id=uuid.uuid4(),
                    response=response,
                    form=form,
                    manager_id=row["manager_id"],
                    department_id=row["department_id"],
                    **window,
                    **{name: answer[name] for name in ANSWER_FIELDS},
                )
            )
    # Answers shuffled across responses too: each response's answers were written
    # together, in question order.
    _shuffle(new_answers)
    Response.objects.bulk_create(new_responses, batch_size=2000)
    Answer.objects.bulk_create(new_answers, batch_size=2000)
