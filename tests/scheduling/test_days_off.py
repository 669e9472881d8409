"""Daily and weekly meetings skip the organisation's days off: the country's public
holidays, the organisation's own days, and a department's days for its people."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from engagement.models import AudienceKind, Holiday, Organisation, Person
from scheduling.models import Session, SessionStatus
from scheduling.planner import session_plan, sessions_plan_all
from tests.factories import make_program

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 14, 6, 0, tzinfo=UTC)
CHRISTMAS, BOXING_DAY_OBSERVED, NEW_YEAR = date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)


@pytest.fixture
def england(db):
    return Organisation.objects.create(country="GB", subdivision="ENG", time_zone="Europe/London")


def _huddle(org, **fields):
    fields.setdefault("starts_on", date(2026, 12, 1))
    return make_program(
        "EE12",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        time_zone="Europe/London",
        start_time=time(7, 45),
        **fields,
    )


def _days(program, **filters) -> list[date]:
    sessions = Session.objects.filter(program=program, **filters).order_by("starts_at")
    return [s.starts_at.astimezone(LONDON).date() for s in sessions]


def test_a_daily_huddle_skips_the_countrys_public_holidays(org, england):
    huddle = _huddle(org)
    session_plan(program=huddle, now=NOW)
    days = _days(huddle)
    assert date(2026, 12, 24) in days
    assert date(2026, 12, 29) in days
    for day_off in (CHRISTMAS, BOXING_DAY_OBSERVED, NEW_YEAR):
        assert day_off not in days


def test_without_a_country_there_are_no_public_holidays(org):
    huddle = _huddle(org)
    session_plan(program=huddle, now=NOW)
    assert CHRISTMAS in _days(huddle)


def test_the_organisations_own_day_is_skipped_by_everyone(org, england):
    Holiday.objects.create(day=date(2026, 12, 24), name="Christmas Eve closure")
    huddle = _huddle(org)
    session_plan(program=huddle, now=NOW)
    assert date(2026, 12, 24) not in _days(huddle)
    assert date(2026, 12, 23) in _days(huddle)


def test_a_departments_day_skips_its_meetings_and_not_the_others(org):
    stock_take = date(2026, 12, 16)
    Holiday.objects.create(
        day=stock_take, name="Stock-take", department=org["departments"]["operations"]
    )
    operations_huddle = _huddle(org)  # the manager and the team are all in Operations
    sales_huddle = make_program(
        "EE12",
        owner=org["sales_head"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["sales_head"],
        time_zone="Europe/London",
        starts_on=date(2026, 12, 1),
    )
    sessions_plan_all(now=NOW)
    assert stock_take not in _days(operations_huddle)
    assert stock_take in _days(sales_huddle)


def _daily_liaisons(org, people):
    """A daily meeting HR (People) hosts for listed people."""
    program = make_program(
        "EE14",
        owner=org["hr"],
        audience_kind=AudienceKind.PEOPLE,
        rrule="FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
        time_zone="Europe/London",
        starts_on=date(2026, 12, 1),
    )
    program.audience_people.set(people)
    return program


def test_a_meeting_only_some_of_its_people_miss_goes_ahead_and_one_all_miss_does_not(org):
    stock_take = date(2026, 12, 16)
    Holiday.objects.create(
        day=stock_take, name="Stock-take", department=org["departments"]["operations"]
    )
    mixed = _daily_liaisons(org, [org["employee"], org["outsider"]])  # Operations and Sales
    operations_only = _daily_liaisons(org, [org["employee"], org["colleague"]])
    sessions_plan_all(now=NOW)
    assert stock_take in _days(mixed)
    assert stock_take not in _days(operations_only)
    assert (
        Session.objects.filter(program=mixed, starts_at__date=stock_take)
        .get()
        .participants.filter(person=org["employee"])
        .exists()
    )  # invited; the day off is theirs to take


def test_a_monthly_meeting_is_kept_on_a_holiday(org, england):
    council = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=MONTHLY;BYMONTHDAY=25",
        time_zone="Europe/London",
        starts_on=date(2026, 12, 1),
    )
    session_plan(program=council, now=NOW)
    assert CHRISTMAS in _days(council)


def test_a_new_day_off_cancels_untouched_sessions_with_its_name_and_leaves_touched_ones(
    org, england
):
    huddle = _huddle(org)
    session_plan(program=huddle, now=NOW)
    closure = date(2026, 12, 17)
    planned = Session.objects.get(program=huddle, starts_at__date=closure)
    kept = Session.objects.get(program=huddle, starts_at__date=closure + timedelta(days=1))
    Session.objects.filter(pk=kept.pk).update(touched=True)
    Holiday.objects.create(day=closure, name="Site closure")
    Holiday.objects.create(day=closure + timedelta(days=1), name="Site closure")

    result = session_plan(program=huddle, now=NOW)

    planned.refresh_from_db()
    kept.refresh_from_db()
    assert result.cancelled == 1
    assert planned.status == SessionStatus.CANCELLED
    assert planned.cancel_reason == "Day off: Site closure"
    assert kept.status == SessionStatus.SCHEDULED  # a person's decision stays theirs

    Holiday.objects.filter(day=closure).delete()
    session_plan(program=huddle, now=NOW)
    planned.refresh_from_db()
    assert planned.status == SessionStatus.SCHEDULED


def test_planning_with_days_off_twice_changes_nothing(org, england):
    Holiday.objects.create(
        day=date(2026, 12, 16), name="Stock-take", department=org["departments"]["operations"]
    )
    _huddle(org)
    first = sessions_plan_all(now=NOW)
    again = sessions_plan_all(now=NOW)
    assert first.created
    assert (again.created, again.updated, again.cancelled) == (0, 0, 0)


def test_the_planner_reads_the_calendar_once_per_run_not_per_session(
    org, england, django_assert_max_num_queries
):
    Holiday.objects.create(
        day=date(2026, 12, 16), name="Stock-take", department=org["departments"]["operations"]
    )
    for _ in range(3):
        _huddle(org)
    sessions_plan_all(now=NOW)
    # Two for the programs, three for the calendar (settings, days off, departments),
    # then per program its audience, sessions and people, and a savepoint either side;
    # PostgreSQL adds the planner's one DISCARD PLANS.
    discard = 1 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(2 + 3 + 3 * 5 + discard):
        sessions_plan_all(now=NOW)


def test_organisation_settings_refuse_an_unknown_country_region_or_zone(db):
    with pytest.raises(ValidationError) as error:
        Organisation(country="XX", time_zone="Mars/Olympus").full_clean()
    assert set(error.value.message_dict) == {"country", "time_zone"}
    with pytest.raises(ValidationError) as error:
        Organisation(country="GB", subdivision="ZZZ").full_clean()
    assert "ENG" in error.value.message_dict["subdivision"][0]


# The demo ------------------------------------------------------------------------


def test_the_demo_holds_no_huddle_or_1_on_1_on_christmas_day_or_new_years_day(db):
    from engagement.demo import demo_load

    demo_load()
    today = datetime.now(UTC).date()
    year = today.year if today <= date(today.year, 12, 10) else today.year + 1
    now = datetime(year, 12, 11, 6, 0, tzinfo=UTC)
    sessions_plan_all(now=now)
    bank_holidays = holidays.country_holidays("GB", subdiv="ENG", years=[year, year + 1])
    christmas, new_year = date(year, 12, 25), date(year + 1, 1, 1)
    meetings = Session.objects.filter(
        program__practice__in=["EE10", "EE12"], status=SessionStatus.SCHEDULED
    )
    days = {s.starts_at.astimezone(LONDON).date() for s in meetings}
    assert christmas not in days
    assert new_year not in days
    assert not days & set(bank_holidays)
    huddle_days = {
        s.starts_at.astimezone(LONDON).date()
        for s in meetings.filter(
            program__practice="EE12", starts_at__gt=now, starts_at__lt=now + timedelta(days=40)
        )
    }
    workdays = {
        now.date() + timedelta(days=n)
        for n in range(40)
        if (now.date() + timedelta(days=n)).weekday() < 5
    }
    assert huddle_days == workdays - set(bank_holidays)


def test_the_demo_organisation_works_in_england(db):
    from engagement.demo import demo_load

    demo_load()
    organisation = Organisation.current()
    assert (organisation.country, organisation.subdivision) == ("GB", "ENG")
    assert organisation.time_zone == "Europe/London"
    assert Person.objects.exists()


def test_the_program_page_lists_next_dates_without_the_days_off(org, england):
    from engagement.calendars import next_starts

    huddle = _huddle(org)
    after = datetime(2026, 12, 23, 12, 0, tzinfo=UTC)
    days = [start.astimezone(LONDON).date() for start in next_starts(huddle, after=after)]
    assert days == [
        date(2026, 12, 24),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 4),
    ]
