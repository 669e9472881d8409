"""The planner: turns each program's schedule into sessions over a rolling horizon.

Planning is idempotent and safe with several planners at once: a slot is
identified by (program, series, planned start) under a uniqueness
constraint, new rows are inserted with conflicts ignored, and changes are
plain UPDATEs of rows nobody has touched. Sessions a person changed (moved,
cancelled, held, annotated) are never altered; future sessions the schedule
no longer produces are cancelled, not deleted, so calendars see the change.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from engagement.models import Program, ProgramStatus
from scheduling.models import Participant, Session, SessionKind, SessionStatus, session_uid
from scheduling.participants import PlanContext, SessionSpec, session_specs

logger = logging.getLogger(__name__)

NO_LONGER_PLANNED = "No longer on the program's schedule"
DAY_OFF = "Day off"
BATCH = 2000
PROGRAMS_PER_BATCH = 100
# Guards against a rule that would produce an absurd number of occurrences
# within the horizon (a daily rule over years): far more than any program needs.
MAX_OCCURRENCES = 2000


@dataclass
class PlanResult:
    created: int = 0
    updated: int = 0
    cancelled: int = 0
    unchanged: int = 0

    def __iadd__(self, other: PlanResult) -> PlanResult:
        self.created += other.created
        self.updated += other.updated
        self.cancelled += other.cancelled
        self.unchanged += other.unchanged
        return self

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.cancelled} cancelled, {self.unchanged} unchanged"
        )


def planning_horizon(now: datetime) -> datetime:
    return now + timedelta(weeks=settings.RAPPORT_PLANNING_HORIZON_WEEKS)


def _starts(
    program: Program, now: datetime, until: datetime
) -> tuple[list[datetime], datetime | None]:
    """Occurrence starts in (now, until], and the one after them (to end the last period).

    A period practice (a survey window, a month of accomplishments) also gets
    the occurrence whose period holds ``now``: it has begun but is still
    open. A meeting that has begun is not planned after the fact.
    """
    if program.status != ProgramStatus.ACTIVE:
        return [], None
    starts, following = [], None
    if not program.practice_info.is_meeting:
        current = program.occurrence_at_or_before(now)
        if current is not None:
            starts.append(current)
    for start in islice(program.occurrences(after=now), MAX_OCCURRENCES + 1):
        if start > until:
            following = start
            break
        starts.append(start)
    return starts, following


def _closes(period: Session | SessionSpec) -> datetime:
    """When a period stops taking submissions (what the feedback app calls a window)."""
    return period.due_at or period.ends_at


def session_plan(
    *,
    program: Program,
    now: datetime | None = None,
    until: datetime | None = None,
    context: PlanContext | None = None,
) -> PlanResult:
    """Bring ``program``'s open and future sessions in line with its schedule and audience."""
    now = now or timezone.now()
    until = until or planning_horizon(now)
    context = context or PlanContext(now=now)
    starts, following = _starts(program, now, until)
    desired, days_off = _desired(program, starts, following, now, context)
    changes = _changes(program, desired, now, lock=False, days_off=days_off)
    if not changes.any:
        # Nothing to do: no transaction, no lock, no write (the hourly pass over
        # an unchanged organisation stays read-only).
        return changes.result
    with transaction.atomic():
        # One planner per program at a time: a second one waits here, then
        # finds the first one's work done. A person cancelling or moving a
        # session locks that session, so neither side overwrites the other.
        Program.objects.select_for_update().filter(pk=program.pk).exists()
        changes = _changes(program, desired, now, lock=True, days_off=days_off)
        _write(program, changes)
        return changes.result


def _desired(
    program: Program,
    starts: list[datetime],
    following: datetime | None,
    now: datetime,
    context: PlanContext,
) -> tuple[dict, dict]:
    """The sessions the program should have by (series, planned start), and the slots
    left out for a day off, with the reason a session there is cancelled.

    Daily and weekly meetings skip the organisation's days off (``PlanContext.day_off``
    says whose); 1-on-1s choose working days themselves when they are spread.
    """
    desired, days_off = {}, {}
    skips = program.skips_days_off
    zone = program.zone
    for spec in session_specs(program, starts, period_end=following, context=context):
        # A period that has begun is planned only while it is still open.
        if not (spec.planned_start > now or _closes(spec) > now):
            continue
        key = (spec.series, spec.planned_start)
        if skips:
            off = context.day_off(spec.starts_at.astimezone(zone).date(), spec.people)
            if off:
                days_off[key] = f"{DAY_OFF}: {off}"
                continue
        desired[key] = spec
    return desired, days_off


def _off_schedule(program: Program, desired: dict, now: datetime) -> list[Session]:
    """Periods of ``program`` the planner keeps although its schedule no longer
    produces them, and that overlap a period it should have.

    They are what is left when a schedule changes under a window that has
    begun (its start date moved, say), or under one a person moved: the
    window keeps its answers, and no second one may be open beside it.
    """
    specs = list(desired.values())
    earliest = min(spec.starts_at for spec in specs)
    kept = (
        Session.objects.filter(
            Q(planned_start__lte=now) | Q(touched=True),
            program=program,
            kind=SessionKind.PERIOD,
            starts_at__lt=max(_closes(spec) for spec in specs),
        )
        .filter(Q(due_at__gt=earliest) | Q(due_at__isnull=True, ends_at__gt=earliest))
        .exclude(status=SessionStatus.CANCELLED)
    )
    return [
        period
        for period in kept
        if (period.series, period.planned_start) not in desired
        and not _on_schedule(program, period.planned_start)
    ]


def _on_schedule(program: Program, start: datetime) -> bool:
    return program.next_starts(after=start - timedelta(seconds=1), count=1) == [start]


def _overlaps(spec: SessionSpec, period: Session) -> bool:
    return spec.starts_at < _closes(period) and _closes(spec) > period.starts_at


@dataclass
class _Changes:
    result: PlanResult
    new_specs: list[SessionSpec]
    changed_sessions: list[Session]
    people_to_add: list[tuple[int, int, str]]
    people_to_remove: list[int]

    @property
    def any(self) -> bool:
        return bool(
            self.new_specs or self.changed_sessions or self.people_to_add or self.people_to_remove
        )


def _changes(
    program: Program, desired: dict, now: datetime, *, lock: bool, days_off: dict | None = None
) -> _Changes:
    """Compare the sessions the program has with those it should have.

    A session nobody touched on a slot that became a day off is cancelled with the
    day's name as the reason; one a person moved, held or changed is left to them.

    A program has one window open at a time: a period that would overlap one
    the schedule no longer produces is not planned (checked again under the
    program's lock, like everything else here).
    """
    if any(spec.kind == SessionKind.PERIOD for spec in desired.values()):
        kept = _off_schedule(program, desired, now)
        desired = {
            key: spec
            for key, spec in desired.items()
            if not any(_overlaps(spec, period) for period in kept)
        }
    begun = [start for _, start in desired if start <= now]
    sessions = Session.objects.filter(
        Q(planned_start__gt=now) | Q(planned_start__in=begun), program=program
    ).order_by("pk")
    if lock:
        sessions = sessions.select_for_update()
    existing = {(s.series, s.planned_start): s for s in sessions}
    planned_rows, handed_in = _planned_people([s.pk for s in existing.values()])
    result = PlanResult()
    new_specs = [spec for key, spec in desired.items() if key not in existing]
    result.created = len(new_specs)

    changed_sessions, people_to_add, people_to_remove = [], [], []
    for key, session in existing.items():
        if session.touched:
            continue
        spec = desired.get(key)
        if spec is None:
            if session.status != SessionStatus.CANCELLED:
                session.status = SessionStatus.CANCELLED
                session.cancel_reason = (days_off or {}).get(key, NO_LONGER_PLANNED)
                session.sequence += 1
                changed_sessions.append(session)
                result.cancelled += 1
            continue
        rows = planned_rows.get(session.pk, {})
        have = frozenset(rows)
        fields_changed = _update_fields(session, spec)
        adding = [(session.pk, person, role) for person, role in spec.people - have]
        # Someone who has handed in keeps their place: it is the receipt of an
        # answer that stays counted (an open window's, for one).
        removing = [rows[entry] for entry in have - spec.people if rows[entry] not in handed_in]
        people_to_add += adding
        people_to_remove += removing
        if fields_changed or adding or removing:
            session.sequence += 1
            changed_sessions.append(session)
            result.updated += 1
        else:
            result.unchanged += 1
    return _Changes(result, new_specs, changed_sessions, people_to_add, people_to_remove)


def _write(program: Program, changes: _Changes) -> None:
    _create(program, changes.new_specs)
    if changes.changed_sessions:
        Session.objects.bulk_update(
            changes.changed_sessions,
            [
                "status",
                "cancel_reason",
                "sequence",
                "title",
                "starts_at",
                "ends_at",
                "due_at",
                "capacity",
                "location",
                "private",
                "pair_lead",
                "pair_person",
            ],
            batch_size=BATCH,
        )
    _remove_people(changes.people_to_remove)
    _add_people(changes.people_to_add)


def _update_fields(session: Session, spec: SessionSpec) -> bool:
    wanted = {
        "title": spec.title,
        "starts_at": spec.starts_at,
        "ends_at": spec.ends_at,
        "due_at": spec.due_at,
        "capacity": spec.capacity,
        "location": spec.location,
        "private": spec.private,
        "pair_lead_id": spec.pair_lead,
        "pair_person_id": spec.pair_person,
    }
    changed = False
    for name, value in wanted.items():
        if getattr(session, name) != value:
            setattr(session, name, value)
            changed = True
    if session.status == SessionStatus.CANCELLED:
        # Planned again after the planner itself cancelled it (nobody touched it).
        session.status = SessionStatus.SCHEDULED
        session.cancel_reason = ""
        changed = True
    return changed


def _planned_people(
    session_ids: list[int],
) -> tuple[dict[int, dict[tuple[int, str], int]], set[int]]:
    """Per session, the people the planner placed: (person, role) -> participant id;
    and which of those participants have handed in."""
    people: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    handed_in: set[int] = set()
    for start in range(0, len(session_ids), BATCH):
        rows = Participant.objects.filter(
            session_id__in=session_ids[start : start + BATCH], planned=True
        ).values_list("pk", "session_id", "person_id", "role", "submitted_on")
        for pk, session_id, person_id, role, submitted_on in rows:
            people[session_id][(person_id, role)] = pk
            if submitted_on is not None:
                handed_in.add(pk)
    return people, handed_in


def _create(program: Program, specs: list[SessionSpec]) -> None:
    if not specs:
        return
    Session.objects.bulk_create(
        [
            Session(
                program=program,
                series=spec.series,
                planned_start=spec.planned_start,
                kind=spec.kind,
                title=spec.title,
                starts_at=spec.starts_at,
                ends_at=spec.ends_at,
                due_at=spec.due_at,
                capacity=spec.capacity,
                location=spec.location,
                private=spec.private,
                pair_lead_id=spec.pair_lead,
                pair_person_id=spec.pair_person,
                uid=session_uid(program.pk, spec.series, spec.planned_start),
            )
            for spec in specs
        ],
        batch_size=BATCH,
        ignore_conflicts=True,  # another planner may have created the same slot just now
    )
    rows = Session.objects.filter(
        program=program, planned_start__in={spec.planned_start for spec in specs}
    ).values_list("pk", "series", "planned_start")
    ids = {(series, planned): pk for pk, series, planned in rows}
    _add_people(
        [
            (ids[(spec.series, spec.planned_start)], person, role)
            for spec in specs
            for person, role in spec.people
        ]
    )


def _add_people(rows: list[tuple[int, int, str]]) -> None:
    # A stable order, so that concurrent inserts never wait on each other in a cycle.
    Participant.objects.bulk_create(
        [Participant(session_id=s, person_id=p, role=r, planned=True) for s, p, r in sorted(rows)],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def _remove_people(participant_ids: list[int]) -> None:
    for start in range(0, len(participant_ids), BATCH):
        Participant.objects.filter(pk__in=participant_ids[start : start + BATCH]).delete()


def sessions_plan_all(
    *, now: datetime | None = None, progress: Callable[[int], object] | None = None
) -> PlanResult:
    """Plan every program (paused and ended ones have their future cancelled)."""
    now = now or timezone.now()
    context = PlanContext(now=now)
    total = PlanResult()
    still_planned = Session.objects.filter(
        planned_start__gt=now, touched=False, status=SessionStatus.SCHEDULED
    ).values("program")
    ids = list(
        Program.objects.filter(Q(status=ProgramStatus.ACTIVE) | Q(pk__in=still_planned))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), PROGRAMS_PER_BATCH):
        _forget_query_plans()
        batch = Program.objects.filter(pk__in=ids[start : start + PROGRAMS_PER_BATCH])
        for program in batch.select_related("owner").order_by("pk"):
            total += _plan_isolated(program, now, context)
            if progress:
                progress(1)
    return total


def _plan_isolated(program: Program, now: datetime, context: PlanContext) -> PlanResult:
    """Plan one program of a pass; a failure is logged and skipped, not the rest.

    ``session_plan`` writes in a transaction of its own, so a failed program
    leaves nothing half-written. Inside a caller's transaction a savepoint
    keeps a failed statement from aborting it for the programs after (on
    PostgreSQL); outside one, a no-op pass stays free of transactions and locks.
    """
    isolated = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with isolated:
            return session_plan(program=program, now=now, context=context)
    except Exception:
        logger.exception("Planning program %s failed; the other programs are planned.", program.pk)
        return PlanResult()


def _forget_query_plans() -> None:
    """On PostgreSQL, drop the session's cached query plans.

    The foreign-key checks behind each insert keep the plan chosen when the
    session tables were small; on a first plan of a large organisation that
    plan scans whole tables, and a pass takes ten times as long (bench/).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DISCARD PLANS")
