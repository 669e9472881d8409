"""A manager's 1-on-1s are spread over the days of each period (or the slots the
manager keeps), not stacked back to back from the first afternoon."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from engagement.models import AudienceKind, Holiday, Organisation
from engagement.practices import get_practice
from scheduling.models import Session
from scheduling.planner import session_plan, sessions_plan_all
from tests.factories import make_person, make_program

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # a Tuesday


@pytest.fixture
def team(org):
    """The manager with five reports (the employee, the colleague and three more)."""
    for n in range(3):
        make_person(f"report{n}", manager=org["manager"])
    return org


def _one_on_ones(org, *, rrule="FREQ=WEEKLY;INTERVAL=2", slots="", **fields):
    fields.setdefault("starts_on", date(2026, 12, 1))
    fields.setdefault("start_time", time(13, 30))
    return make_program(
        "EE10",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule=rrule,
        time_zone="Europe/London",
        config={**get_practice("EE10").default_config(), "slots": slots},
        **fields,
    )


def _plan(program):
    return [
        (s.series, s.planned_start, s.starts_at, s.ends_at)
        for s in Session.objects.filter(program=program).order_by("planned_start", "series")
    ]


def _no_overlaps(sessions) -> bool:
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    return all(a.ends_at <= b.starts_at for a, b in zip(ordered, ordered[1:], strict=False))


def test_a_teams_1_on_1s_fall_on_distinct_working_days_of_their_period(team):
    program = _one_on_ones(team)
    session_plan(program=program, now=NOW)
    first_period = Session.objects.filter(
        program=program, planned_start__lt=NOW + timedelta(days=1)
    )
    days = [s.starts_at.astimezone(LONDON) for s in first_period]
    assert len(days) == 5
    assert len({d.date() for d in days}) == 5  # one a day
    assert all(d.weekday() < 5 and (d.hour, d.minute) == (13, 30) for d in days)
    assert all(date(2026, 12, 1) <= d.date() < date(2026, 12, 15) for d in days)
    # Spread over both weeks of the fortnight, not the first five days.
    assert max(days).date() >= date(2026, 12, 8)


def test_the_spread_is_the_same_every_time_and_replanning_changes_nothing(team):
    program = _one_on_ones(team)
    session_plan(program=program, now=NOW)
    first = _plan(program)
    again = session_plan(program=program, now=NOW)
    assert (again.created, again.updated, again.cancelled) == (0, 0, 0)
    Session.objects.filter(program=program).delete()
    session_plan(program=program, now=NOW)
    assert _plan(program) == first


def test_the_spread_skips_holidays_and_a_reports_department_day(team):
    Organisation.objects.create(country="GB", subdivision="ENG", time_zone="Europe/London")
    sales = team["departments"]["sales"]
    moved = team["colleague"]
    moved.department = sales
    moved.save()
    program = _one_on_ones(team, starts_on=date(2026, 12, 22))
    # Wherever the colleague would meet, make that day Sales' day off.
    session_plan(program=program, now=NOW)
    series = f"pair:{team['manager'].pk}:{moved.pk}"
    before = Session.objects.filter(program=program, series=series).earliest("starts_at")
    day_off = before.starts_at.astimezone(LONDON).date()
    Holiday.objects.create(day=day_off, name="Sales away day", department=sales)

    session_plan(program=program, now=NOW)

    after = Session.objects.get(pk=before.pk)
    assert after.starts_at.astimezone(LONDON).date() != day_off
    days = {s.starts_at.astimezone(LONDON).date() for s in Session.objects.filter(program=program)}
    for bank_holiday in (date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)):
        assert bank_holiday not in days
    assert _no_overlaps(Session.objects.filter(program=program))


def test_slots_the_manager_keeps_are_used_and_shared_back_to_back(team):
    # A period runs from the schedule's start time to the next: 08:00 on Tuesdays.
    program = _one_on_ones(
        team, rrule="FREQ=WEEKLY", slots="Tuesday 10:00\nthu 15:30", start_time=time(8, 0)
    )
    session_plan(program=program, now=NOW)
    week = Session.objects.filter(program=program, planned_start__lt=NOW + timedelta(days=1))
    times = sorted(s.starts_at.astimezone(LONDON) for s in week)
    assert [t.strftime("%a %H:%M") for t in times] == [
        "Tue 10:00",
        "Tue 10:30",
        "Tue 11:00",
        "Thu 15:30",
        "Thu 16:00",
    ]
    assert _no_overlaps(week)


def test_a_managers_1_on_1s_in_two_programs_do_not_overlap(team):
    """The manager meets her team in one program and her own manager in another."""
    own = _one_on_ones(team)
    above = make_program(
        "EE10",
        owner=team["leader"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=team["leader"],
        rrule="FREQ=WEEKLY;INTERVAL=2",
        time_zone="Europe/London",
        starts_on=date(2026, 12, 1),
        start_time=time(13, 30),
    )
    sessions_plan_all(now=NOW)
    manager = team["manager"]
    hers = Session.objects.filter(participants__person=manager, program__in=[own, above])
    assert hers.filter(program=above).exists()
    assert _no_overlaps(hers)
    again = sessions_plan_all(now=NOW)
    assert (again.created, again.updated, again.cancelled) == (0, 0, 0)


def test_a_slot_that_is_not_a_weekday_and_a_time_is_refused_with_the_line(db):
    practice = get_practice("EE10")
    with pytest.raises(ValidationError) as error:
        practice.clean_config({**practice.default_config(), "slots": "Tuesday 10:00\nsoon"})
    assert "“soon” is not a slot" in str(error.value)
    cleaned = practice.clean_config({**practice.default_config(), "slots": " tue 9:15 \n"})
    assert cleaned["slots"] == "tue 9:15"
