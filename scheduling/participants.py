"""Who takes part in each occurrence of a program, practice by practice.

Given a program and the start times its schedule produces, ``session_specs``
yields one ``SessionSpec`` per session the planner should hold: its series,
times, due date and the people it places there. Every query here runs once
per program, never once per person or per occurrence.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db.models import Max, Q

from engagement import recurrence
from engagement.models import AudienceKind, Person, Program
from engagement.practices import Due, Gathering, Mechanism, Practice
from scheduling.models import ParticipantRole, SessionKind, SessionStatus

HOST, ATTENDEE, SUBMITTER = (
    ParticipantRole.HOST,
    ParticipantRole.ATTENDEE,
    ParticipantRole.SUBMITTER,
)


def pair_series(manager: int, report: int) -> str:
    """A 1-on-1 series is one manager with one report: a new manager starts a new series,
    so nothing recorded with the previous manager carries over to the new one."""
    return f"pair:{manager}:{report}"


def skip_series(leader: int, person: int) -> str:
    """A skip-level series is one leader with one person, for the same reason: a program
    handed to another leader does not hand over what was said to the previous one."""
    return f"skip:{leader}:{person}"


def session_series(practice: Practice, series: str, planned_start: datetime) -> str:
    """The series a session joins; its talking points, action items and history are
    shared with the other sessions of that series and nobody else's.

    Every session is given its series here. Where the practice's successive sessions
    gather different people (``carries_over`` is False: a new round-table group,
    whoever signs up), each session is a series of its own, keyed by its planned
    start, which moving the session never changes.
    """
    if practice.carries_over:
        return series
    return f"{series}@{planned_start.astimezone(UTC):%Y%m%dT%H%M%SZ}"


@dataclass(frozen=True)
class SessionSpec:
    series: str
    planned_start: datetime
    starts_at: datetime
    ends_at: datetime
    due_at: datetime | None
    kind: str
    title: str
    people: frozenset[tuple[int, str]]
    capacity: int | None = None
    location: str = ""
    # A 1-on-1 or skip-level: private to its two people, the lead (manager, leader)
    # and the person (report, person met), who are named for the access rules.
    private: bool = False
    pair_lead: int | None = None
    pair_person: int | None = None


@dataclass
class PlanContext:
    """What one planning run shares across programs: the time, and names loaded once."""

    now: datetime
    _names: dict[int, str] | None = field(default=None, repr=False)

    def name(self, person_id: int) -> str:
        if self._names is None:
            self._names = {
                pk: f"{first} {last}".strip() or username
                for pk, first, last, username in Person.objects.values_list(
                    "pk", "first_name", "last_name", "username"
                )
            }
        return self._names.get(person_id, "someone")


def session_specs(
    program: Program, starts: list[datetime], *, period_end: datetime | None, context: PlanContext
) -> Iterator[SessionSpec]:
    """The sessions ``program`` should have at ``starts`` (aware, ascending).

    ``period_end`` is the occurrence after the last start, used to date the
    last period of submission practices.
    """
    practice = program.practice_info
    for spec in _specs(program, starts, period_end=period_end, context=context):
        yield replace(spec, series=session_series(practice, spec.series, spec.planned_start))


def _specs(program, starts, *, period_end, context) -> Iterator[SessionSpec]:
    if not starts:
        return
    practice = program.practice_info
    if practice.mechanism != Mechanism.MEETING:
        yield from _periods(program, starts, period_end=period_end)
        return
    gather = GATHER.get(practice.gathering)
    if gather is None:
        yield from _whole_audience(program, starts)
    else:
        yield from gather(program, starts, context)


def _length(program: Program) -> timedelta:
    return timedelta(minutes=program.duration_minutes or 0)


def _meeting(program, series, start, title, people, **extra) -> SessionSpec:
    return SessionSpec(
        series=series,
        planned_start=start,
        starts_at=start,
        ends_at=start + _length(program),
        due_at=None,
        kind=SessionKind.MEETING,
        title=title[:200],
        people=frozenset(people),
        **extra,
    )


def _audience_rows(program: Program) -> list[tuple[int, int | None]]:
    return list(program.audience_members().order_by().values_list("pk", "manager_id"))


def _reports_by_active_manager(program: Program) -> dict[int, list[int]]:
    """The audience grouped under their managers, for managers still active (one query)."""
    rows = (
        program.audience_members()
        .filter(manager__is_active=True)
        .order_by("pk")
        .values_list("pk", "manager_id")
    )
    reports: dict[int, list[int]] = defaultdict(list)
    for pk, manager in rows:
        reports[manager].append(pk)
    return reports


def _private(lead: int, person: int) -> dict:
    return {"private": True, "pair_lead": lead, "pair_person": person}


def _pairs(program, starts, context) -> Iterator[SessionSpec]:
    """1-on-1s: one series per manager and direct report of the audience.

    A manager's 1-on-1s are laid back to back from the program's start time,
    in a stable order, since nobody holds two at once.
    """
    length = _length(program)
    for manager, members in _reports_by_active_manager(program).items():
        for index, report in enumerate(members):
            title = f"1-on-1: {context.name(manager)} & {context.name(report)}"
            people = {(manager, HOST), (report, ATTENDEE)}
            for start in starts:
                spec = _meeting(
                    program,
                    pair_series(manager, report),
                    start,
                    title,
                    people,
                    **_private(manager, report),
                )
                yield _shifted(spec, start + index * length) if index else spec


def _teams(program, starts, context) -> Iterator[SessionSpec]:
    """Team meetings and huddles: each manager with the whole of their team in the audience."""
    teams = _reports_by_active_manager(program)
    several = len(teams) > 1
    for manager, members in teams.items():
        title = f"{program.name} — team of {context.name(manager)}" if several else program.name
        people = {(manager, HOST)} | {(member, ATTENDEE) for member in members}
        for start in starts:
            yield _meeting(program, f"team:{manager}", start, title, people)


def _whole_audience(program, starts) -> Iterator[SessionSpec]:
    """The owner with everyone in the audience (a council without members, liaisons
    of a program listing people rather than departments)."""
    people = {(program.owner_id, HOST)} | {
        (pk, ATTENDEE) for pk, _ in _audience_rows(program) if pk != program.owner_id
    }
    for start in starts:
        yield _meeting(program, "main", start, program.name, people)


def _council(program, starts, context) -> Iterator[SessionSpec]:
    """Employee council: the owner with the members serving on the day of each meeting.

    A council with no members named yet meets with its whole audience, so a
    new program works before HR has seated anyone.
    """
    terms = list(
        program.members.values_list("person_id", "starts_on", "ends_on", "person__is_active")
    )
    if not terms:
        yield from _whole_audience(program, starts)
        return
    terms = [(person, begins, ends) for person, begins, ends, active in terms if active]
    zone = program.zone
    for start in starts:
        day = start.astimezone(zone).date()
        people = {(program.owner_id, HOST)} | {
            (person, ATTENDEE)
            for person, begins, ends in terms
            if begins <= day and (ends is None or ends >= day) and person != program.owner_id
        }
        yield _meeting(program, "main", start, program.name, people)


def _liaisons(program, starts, context) -> Iterator[SessionSpec]:
    """Inter-department liaisons: the named liaisons of the program's departments
    (or the listed people)."""
    if program.audience_kind != AudienceKind.DEPARTMENTS:
        yield from _whole_audience(program, starts)
        return
    liaisons = set(
        Person.objects.active()
        .filter(liaison_for__in=program.audience_departments.all())
        .values_list("pk", flat=True)
    )
    people = {(program.owner_id, HOST)} | {(pk, ATTENDEE) for pk in liaisons - {program.owner_id}}
    for start in starts:
        yield _meeting(program, "main", start, program.name, people)


def _open_sign_up(program, starts, context) -> Iterator[SessionSpec]:
    """Social events, lunch & learns: the owner hosts; people sign themselves up, up to
    the capacity."""
    config = program.practice_info.clean_config(program.config)
    for start in starts:
        yield _meeting(
            program,
            "main",
            start,
            program.name,
            {(program.owner_id, HOST)},
            capacity=config.get("capacity"),
            location=config.get("location", ""),
        )


def _last_seen(program, now: datetime) -> dict[int, datetime]:
    """When each person last attended this program, or is booked to by a person's hand.

    Past sessions that were not cancelled count, and so do future sessions a
    person fixed (moved, for example); untouched future sessions do not,
    because this very planning pass is about to decide them again.
    """
    rows = (
        program.sessions.exclude(status=SessionStatus.CANCELLED)
        .filter(Q(starts_at__lt=now) | Q(touched=True), participants__role=ATTENDEE)
        .values_list("participants__person")
        .annotate(last=Max("starts_at"))
    )
    return dict(rows)


def _skip_levels(program, starts, context) -> Iterator[SessionSpec]:
    """Skip-levels: the senior leader meets each person two or more levels down once a period.

    The least recently met come first; each occurrence holds as many
    back-to-back interviews as spread the eligible people evenly across the
    rotation period.
    """
    leader = program.owner_id
    config = program.practice_info.clean_config(program.config)
    period = relativedelta(months=config["rotation_months"])
    eligible = list(
        program.audience_members()
        .filter(pk__in=Person.objects.below(leader).values("pk"))
        .exclude(manager_id=leader)
        .values_list("pk", flat=True)
    )
    if not eligible:
        return
    slots_per_period = _slots_within(program, starts[0], period)
    per_slot = max(1, math.ceil(len(eligible) / max(1, slots_per_period)))
    last_met = _last_seen(program, context.now)
    floor = datetime.min.replace(tzinfo=UTC)
    queue = sorted(eligible, key=lambda pk: (last_met.get(pk, floor), pk))
    length = _length(program)
    for start in starts:
        chosen = []
        for pk in queue:
            if len(chosen) == per_slot:
                break
            met = last_met.get(pk)
            if met is None or met + period <= start:
                chosen.append(pk)
        for index, pk in enumerate(chosen):
            begins = start + index * length
            spec = _meeting(
                program,
                skip_series(leader, pk),
                start,
                f"Skip-level: {context.name(leader)} & {context.name(pk)}",
                {(leader, HOST), (pk, ATTENDEE)},
                **_private(leader, pk),
            )
            yield _shifted(spec, begins)
            last_met[pk] = start
        queue.sort(key=lambda pk: (last_met.get(pk, floor), pk))


def _shifted(spec: SessionSpec, begins: datetime) -> SessionSpec:
    length = spec.ends_at - spec.starts_at
    return SessionSpec(**{**spec.__dict__, "starts_at": begins, "ends_at": begins + length})


def _slots_within(program, first: datetime, period: relativedelta) -> int:
    end = first + period
    count = 0
    for start in islice(
        recurrence.occurrences(
            program.rrule,
            starts_on=program.starts_on,
            start_time=program.start_time,
            tz=program.zone,
            after=first - timedelta(seconds=1),
            until=program.ends_on,
        ),
        5000,
    ):
        if start >= end:
            break
        count += 1
    return count


def _round_tables(program, starts, context) -> Iterator[SessionSpec]:
    """Round tables: a group drawn from different teams, the least recently invited first."""
    config = program.practice_info.clean_config(program.config)
    size = config["group_size"]
    candidates = [
        (pk, manager) for pk, manager in _audience_rows(program) if pk != program.owner_id
    ]
    invited = _last_seen(program, context.now)
    floor = datetime.min.replace(tzinfo=UTC)
    for start in starts:
        ranked = sorted(candidates, key=lambda row: (invited.get(row[0], floor), row[0]))
        chosen, teams = [], set()
        for pk, manager in ranked:  # one per team first
            if len(chosen) < size and manager not in teams:
                chosen.append(pk)
                teams.add(manager)
        for pk, _ in ranked:  # then fill up if there are fewer teams than seats
            if len(chosen) < size and pk not in chosen:
                chosen.append(pk)
        for pk in chosen:
            invited[pk] = start
        people = {(program.owner_id, HOST)} | {(pk, ATTENDEE) for pk in chosen}
        yield _meeting(program, "main", start, program.name, people)


def _periods(program, starts, *, period_end) -> Iterator[SessionSpec]:
    """Submission and publication practices: one period per occurrence, with a due date."""
    config = program.practice_info.clean_config(program.config)
    owes = set()
    if program.practice_info.gathering == Gathering.SUBMITTERS:
        owes = {(pk, SUBMITTER) for pk, _ in _audience_rows(program)}
    ends = [*starts[1:], period_end]
    for start, end in zip(starts, ends, strict=True):
        due = _due(program.practice_info.due, config, start, end, program.zone)
        yield SessionSpec(
            series="main",
            planned_start=start,
            starts_at=start,
            ends_at=max(start, due or end or start),
            due_at=due,
            kind=SessionKind.PERIOD,
            title=program.name,
            people=frozenset(owes),
        )


def _due(
    rule: Due, config: dict, start: datetime, end: datetime | None, zone: ZoneInfo
) -> datetime | None:
    """Due dates count whole days on the program's clock: due a week after a 09:00
    opening is 09:00, whatever the clocks did in between."""

    def days(instant: datetime, count: int) -> datetime:
        return recurrence.shift(instant, timedelta(days=count), zone)

    if rule == Due.AFTER_PERIOD:
        return days(end or start, config["due_offset_days"])
    if rule == Due.AFTER_START:
        return days(start, config["due_offset_days"])
    if rule == Due.WINDOW:
        return days(start, config["window_days"])
    if rule == Due.BEFORE_END and end is not None:
        return max(start, days(end, -config["nominations_close_days"]))
    return None


# How each gathering of a meeting practice chooses its sessions' people; any other
# gathers the owner with the whole audience.
GATHER = {
    Gathering.PAIRS: _pairs,
    Gathering.TEAMS: _teams,
    Gathering.SKIP_LEVELS: _skip_levels,
    Gathering.ROUND_TABLE: _round_tables,
    Gathering.SIGN_UP: _open_sign_up,
    Gathering.LIAISONS: _liaisons,
    Gathering.COUNCIL: _council,
}
