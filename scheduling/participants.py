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
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db.models import Max, Q

from engagement import recurrence
from engagement.calendars import WORKDAYS, OrganisationCalendar
from engagement.models import AudienceKind, Person, Program
from engagement.practices import Due, Gathering, Mechanism, Practice, codes
from scheduling.models import ParticipantRole, Session, SessionKind, SessionStatus

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


# 1-on-1s spread over a day run back to back from its slot, and end by this local time
# where they can (more reports than the period has slots: they run on past it).
WORKDAY_ENDS = time(18, 0)


@dataclass
class PlanContext:
    """What one planning run shares across programs: the time, and names, departments
    and the organisation's days off, each loaded once."""

    now: datetime
    _names: dict[int, str] | None = field(default=None, repr=False)
    _calendar: OrganisationCalendar | None = field(default=None, repr=False)
    _departments: dict[int, int | None] | None = field(default=None, repr=False)

    @property
    def calendar(self) -> OrganisationCalendar:
        if self._calendar is None:
            since = (self.now - timedelta(days=7)).date()
            self._calendar = OrganisationCalendar.load(since=since)
        return self._calendar

    def department(self, person_id: int) -> int | None:
        """A person's department, for a department's days off (loaded only if there are any)."""
        if not self.calendar.has_department_days:
            return None
        if self._departments is None:
            self._departments = dict(Person.objects.values_list("pk", "department_id"))
        return self._departments.get(person_id)

    def off_for_person(self, day: date, person_id: int) -> str | None:
        return self.calendar.off_for(day, self.department(person_id))

    def day_off(self, day: date, people: frozenset[tuple[int, str]]) -> str | None:
        """Why a meeting of ``people`` is not held on ``day``, or None.

        A holiday for everyone is a day off for every meeting. A department's own
        day is one for a meeting whose host is in that department (nobody holds
        it), or whose other people all have the day off (nobody comes to it); a
        meeting that only some of its people miss goes ahead without them.
        """
        everyone = self.calendar.off_for_everyone(day)
        if everyone or not self.calendar.has_department_days:
            return everyone
        others = []
        for person, role in people:
            off = self.off_for_person(day, person)
            if role == HOST:
                if off:
                    return off
            else:
                others.append(off)
        if others and all(others):
            return others[0]
        return None

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
    if practice.gathering == Gathering.PAIRS:
        yield from _pairs(program, starts, context, period_end=period_end)
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


def _pairs(program, starts, context, *, period_end) -> Iterator[SessionSpec]:
    """1-on-1s: one series per manager and direct report of the audience.

    Each occurrence of the schedule opens a period that lasts until the next one;
    its 1-on-1s are spread over the period's slots (``_period_slots``): report
    ``i`` of ``n`` (in a stable order) is given slot ``i * slots // n``, so a
    team fits on distinct days while there are days enough, and shares them
    evenly when there are not. From its slot a 1-on-1 takes the first time, in
    steps of its length, that is free of the manager's other 1-on-1s (of this
    program and any other) and of both people's days off, moving on to the next
    slots if the day has none left before ``WORKDAY_ENDS``. The same
    organisation, schedule and calendar always give the same plan.
    """
    teams = _reports_by_active_manager(program)
    if not teams:
        return
    length = _length(program)
    periods = _pair_periods(program, starts, period_end)
    slots = [_period_slots(program, begins, ends, context) for begins, ends in periods]
    people = [*teams, *(report for members in teams.values() for report in members)]
    busy = _busy_elsewhere(program, people, periods[0][0], periods[-1][1], context.now)
    for manager, members in teams.items():
        for (begins, ends), period_slots in zip(periods, slots, strict=True):
            for index, report in enumerate(members):
                at = _free_time(
                    period_slots,
                    index * len(period_slots) // len(members),
                    (busy[manager], busy[report]),
                    length,
                    ends,
                    program.zone,
                    lambda day, manager=manager, report=report: (
                        context.off_for_person(day, manager) or context.off_for_person(day, report)
                    ),
                )
                if at is None:  # the period has no day both of them work
                    continue
                busy[manager].append((at, at + length))
                busy[report].append((at, at + length))
                spec = _meeting(
                    program,
                    pair_series(manager, report),
                    begins,
                    f"1-on-1: {context.name(manager)} & {context.name(report)}",
                    {(manager, HOST), (report, ATTENDEE)},
                    **_private(manager, report),
                )
                yield _shifted(spec, at)


def _pair_periods(program, starts, period_end) -> list[tuple[datetime, datetime]]:
    """Each occurrence with the start of the next (the occurrence after the last one,
    or a period as long as the one before it, or the rest of its day)."""
    ends = [*starts[1:], period_end]
    if ends[-1] is None:
        begins = starts[-1]
        if len(starts) > 1:
            ends[-1] = begins + (begins - starts[-2])
        else:
            day = begins.astimezone(program.zone).date() + timedelta(days=1)
            ends[-1] = recurrence.resolve(datetime.combine(day, time()), program.zone)
    if program.ends_on is not None:
        last = program.ends_on + timedelta(days=1)
        stop = recurrence.resolve(datetime.combine(last, time()), program.zone)
        ends = [min(end, stop) for end in ends]
    return list(zip(starts, ends, strict=True))


def _period_slots(program, begins, ends, context) -> list[datetime]:
    """The times a period offers for 1-on-1s, in order: the program's weekly slots
    (its configuration) or each working day at the start time, on the days of the
    period that are not a day off for everyone, from the occurrence on."""
    zone = program.zone
    config = program.practice_info.clean_config(program.config)
    weekly = recurrence.parse_slots(config.get("slots", ""))
    first = begins.astimezone(zone).date()
    if not weekly:
        # A team that meets on its own weekend day (a weekly Saturday) keeps that day.
        weekly = [(day, program.start_time) for day in sorted(WORKDAYS | {first.weekday()})]
    slots = []
    day = first
    while True:
        if not context.calendar.off_for_everyone(day):
            for weekday, at in weekly:
                if weekday == day.weekday():
                    instant = recurrence.resolve(datetime.combine(day, at), zone)
                    if begins <= instant < ends:
                        slots.append(instant)
        day += timedelta(days=1)
        if recurrence.resolve(datetime.combine(day, time()), zone) >= ends:
            return slots


def _free_time(slots, first, taken, length, ends, zone, off) -> datetime | None:
    """The first time from slot ``first`` on (then the following slots, round to the
    start) that is free of every list of intervals in ``taken``, on a day that is not
    ``off``; failing that, the first free time after a slot whatever the hour."""
    if not slots:
        return None

    def free(at: datetime) -> bool:
        return at + length <= ends and not any(
            at < busy_end and busy_start < at + length
            for intervals in taken
            for busy_start, busy_end in intervals
        )

    count = len(slots)
    for step in range(count):
        slot = slots[(first + step) % count]
        local = slot.astimezone(zone)
        if off(local.date()):
            continue
        closes = recurrence.resolve(datetime.combine(local.date(), WORKDAY_ENDS), zone)
        at = slot
        while at == slot or at + length <= closes:
            if free(at):
                return at
            if not length:
                break
            at += length
    for step in range(count):
        slot = slots[(first + step) % count]
        if off(slot.astimezone(zone).date()):
            continue
        at = slot
        for _ in range(48):
            if free(at):
                return at
            at += length or timedelta(minutes=30)
    return None


def _busy_elsewhere(
    program, people: list[int], first: datetime, last: datetime, now: datetime
) -> defaultdict[int, list[tuple[datetime, datetime]]]:
    """When each of ``people`` already has a 1-on-1 in (``first``, ``last``): other
    programs', and this program's that a person fixed or that began. One query.

    Only 1-on-1s, which all avoid each other: a plan that avoided sessions placed
    without regard to it (a skip-level at its fixed time) would move each time the
    other was planned after it.
    """
    one_on_ones = set(codes(gathering=Gathering.PAIRS))
    rows = (
        Session.objects.filter(
            Q(pair_lead__in=people) | Q(pair_person__in=people),
            starts_at__lt=last,
            ends_at__gt=first,
        )
        .exclude(status=SessionStatus.CANCELLED)
        .exclude(program=program, touched=False, planned_start__gt=now)
        .order_by()
        # The practice is read, not filtered on: a filter would make the database walk
        # every 1-on-1 program's sessions instead of these people's.
        .values_list("pair_lead", "pair_person", "starts_at", "ends_at", "program__practice")
    )
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for lead, person, starts_at, ends_at, practice in rows:
        if practice not in one_on_ones:
            continue
        busy[lead].append((starts_at, ends_at))
        busy[person].append((starts_at, ends_at))
    return busy


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


# How each gathering of a meeting practice chooses its sessions' people (1-on-1s, which
# also choose their times, are ``_pairs``); any other gathers the owner with the whole
# audience.
GATHER = {
    Gathering.TEAMS: _teams,
    Gathering.SKIP_LEVELS: _skip_levels,
    Gathering.ROUND_TABLE: _round_tables,
    Gathering.SIGN_UP: _open_sign_up,
    Gathering.LIAISONS: _liaisons,
    Gathering.COUNCIL: _council,
}
