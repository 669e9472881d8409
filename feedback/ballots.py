"""The ballot box: anonymous answers are rewritten so that nothing kept by the
database, shown or hidden, lines them up with the receipts.

A database keeps an order nobody asked it for. SQLite numbers rows as they are
inserted; PostgreSQL stamps each row with the transaction that wrote it (the
very one that wrote the receipt) and places it after the previous row. So an
anonymous response is written *held*. As soon as its filing group (form,
window, manager, department) holds ``min_group_size`` held responses, they are
deleted and written again together, in shuffled order and under new keys
(*mixed*): from then on nothing tells which of them came first.

When the window closes its responses are written once more, all together
(*sealed*). First the group columns are coarsened, so that every combination of
manager and department an answer carries is shared by at least the minimum
number of responses: a team where one person answered moves up to the next
level, where the receipts no longer say whose answer it is. Then the space the
old rows used is cleared (SQLite runs with ``secure_delete`` and its log is
checkpointed; PostgreSQL vacuums the two tables).

What remains: while a group is below the minimum its held responses can still
be lined up with the receipts by someone reading the database at that moment;
and at the top of the organisation, where there is no level up, a group below
the minimum stays as it is.
"""

from __future__ import annotations

import heapq
import random
import uuid
from collections import Counter
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from engagement.models import Person
from feedback.models import Answer, Form, Period, Response, Stage
from scheduling.models import Session, SessionStatus

# Not the module-level generator: its state could be reproduced from a seed.
_shuffle = random.SystemRandom().shuffle

ANSWER_FIELDS = ("question_id", "value", "text")
CHUNK = 5000


def mix_group(form: Form, response: Response) -> int:
    """Mix the held responses of ``response``'s filing group once there are enough of
    them; call it in the transaction that wrote ``response``. Returns how many were
    mixed (0 while the group is still short)."""
    group = Response.objects.filter(
        form=form,
        window_id=response.window_id,
        period_id=response.period_id,
        manager_id=response.manager_id,
        department_id=response.department_id,
        respondent__isnull=True,
        stage=Stage.HELD,
    )
    # Locked, then counted: a concurrent answer in the same group waits, and then
    # finds the rows it would have mixed already gone.
    held = list(group.select_for_update().values("id", "manager_id", "department_id"))
    if len(held) < form.min_group_size:
        return 0
    _rewrite(form, held, Stage.MIXED)
    return len(held)


def seal_window(form: Form, *, window_id: int | None = None, period_id: int | None = None) -> int:
    """Coarsen and rewrite every anonymous response of a closed window (or month of
    feedback after sessions) in one shuffled batch. Returns how many were sealed."""
    where = {"window_id": window_id} if window_id else {"period_id": period_id}
    with transaction.atomic():
        rows = list(
            Response.objects.select_for_update()
            .filter(form=form, respondent__isnull=True, **where)
            .values("id", "manager_id", "department_id")
        )
        if not rows:
            return 0
        _coarsen(rows, form.min_group_size)
        _rewrite(form, rows, Stage.SEALED)
    return len(rows)


def seal_closed(now=None) -> int:
    """Seal every window that has closed with responses not yet sealed (hourly)."""
    from feedback.services import FEEDBACK_DAYS

    now = now or timezone.now()
    pending = (
        Response.objects.filter(respondent__isnull=True)
        .exclude(stage=Stage.SEALED)
        .values_list("form_id", "window_id", "period_id")
        .distinct()
    )
    pending = list(pending)
    if not pending:
        return 0
    forms = Form.objects.in_bulk({form_id for form_id, _, _ in pending})
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
            sealed += seal_window(forms[form_id], window_id=window_id, period_id=period_id)
    if sealed:
        clear_freed_space()
    return sealed


def clear_freed_space() -> None:
    """Leave no copy of the deleted rows where a reader of the data files could find it.

    Only outside a transaction (the worker's task): VACUUM and a WAL checkpoint
    cannot run inside one.
    """
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"VACUUM {Answer._meta.db_table}, {Response._meta.db_table}"  # noqa: S608
            )
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _rewrite(form: Form, rows: list[dict], stage: int) -> None:
    """Delete ``rows`` (responses, with the group columns they should carry) and their
    answers, and write them again in shuffled order under new keys."""
    old_ids = [row["id"] for row in rows]
    sample = Response.objects.filter(pk=old_ids[0]).values("window_id", "period_id").get()
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
            **sample,
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
                    **sample,
                    **{name: answer[name] for name in ANSWER_FIELDS},
                )
            )
    # Answers shuffled across responses too: each response's answers were written
    # together, in question order.
    _shuffle(new_answers)
    Response.objects.bulk_create(new_responses, batch_size=2000)
    Answer.objects.bulk_create(new_answers, batch_size=2000)


def _coarsen(rows: list[dict], minimum: int) -> None:
    """Change the group columns of ``rows`` in place so that each manager, and each
    manager with department, is shared by at least ``minimum`` rows where possible.

    A manager's group below the minimum moves up to the manager above, deepest
    first, so that groups merge before they are judged. Then in any manager's group
    where some department (or "no department") has fewer than the minimum, nobody's
    department is kept: dropping only the small one would single it out by difference.
    """
    parents = _parents({row["manager_id"] for row in rows if row["manager_id"] is not None})
    depth: dict[int, int] = {}

    def depth_of(pk: int) -> int:
        if pk not in depth:
            chain, node = [], pk
            while node is not None and node not in depth:
                chain.append(node)
                node = parents.get(node)
            base = depth.get(node, -1) if node is not None else -1
            for offset, item in enumerate(reversed(chain), start=1):
                depth[item] = base + offset
        return depth[pk]

    counts = Counter(row["manager_id"] for row in rows)
    moved: dict[int, int] = {}
    heap = [(-depth_of(pk), pk) for pk in counts if pk is not None]
    heapq.heapify(heap)
    queued = {pk for _, pk in heap}
    while heap:
        _, pk = heapq.heappop(heap)
        parent = parents.get(pk)
        if 0 < counts[pk] < minimum and parent is not None:
            counts[parent] += counts.pop(pk)
            moved[pk] = parent
            if parent not in queued:
                queued.add(parent)
                heapq.heappush(heap, (-depth_of(parent), parent))

    def final(pk: int | None) -> int | None:
        while pk in moved:
            pk = moved[pk]
        return pk

    for row in rows:
        row["manager_id"] = final(row["manager_id"])
    combos = Counter((row["manager_id"], row["department_id"]) for row in rows)
    mixed_up = {manager for (manager, _), n in combos.items() if n < minimum}
    for row in rows:
        if row["manager_id"] in mixed_up:
            row["department_id"] = None


def _parents(managers: set[int]) -> dict[int, int | None]:
    """Each of ``managers`` and everyone above them, mapped to their manager (one query)."""
    if not managers:
        return {}
    table = Person._meta.db_table
    marks = ", ".join(["%s"] * len(managers))
    sql = (
        f"WITH RECURSIVE up(id, manager_id) AS (SELECT id, manager_id FROM {table}"
        f" WHERE id IN ({marks}) UNION SELECT p.id, p.manager_id FROM {table} p"
        " INNER JOIN up ON p.id = up.manager_id) SELECT id, manager_id FROM up"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(managers))
        return dict(cursor.fetchall())
