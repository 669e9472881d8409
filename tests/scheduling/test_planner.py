"""The planner: schedules become sessions, per practice, idempotently."""

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from engagement.models import AudienceKind, Person, ProgramStatus
from scheduling import planner, services
from scheduling.models import Participant, Session, SessionStatus, SignUp
from scheduling.planner import session_plan, sessions_plan_all
from tests.factories import make_person, make_program, make_program_below, make_session

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)


def _sessions(program, **filters):
    return list(Session.objects.filter(program=program, **filters).order_by("starts_at", "series"))


def _people(session):
    return set(session.participants.values_list("person__username", "role"))


# Recurrence in the program's zone ---------------------------------------------


def test_it_keeps_0900_across_dst_in_spring_and_autumn(org):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=WEEKLY",
        starts_on=date(2027, 3, 15),
        start_time=time(9, 0),
        time_zone="Europe/Berlin",
    )
    session_plan(program=program, now=NOW)
    spring = _sessions(program)
    assert [s.starts_at.astimezone(BERLIN).hour for s in spring] == [9] * len(spring)
    assert {s.starts_at.astimezone(BERLIN).utcoffset() for s in spring} == {
        timedelta(hours=1),
        timedelta(hours=2),
    }
    autumn_now = datetime(2027, 10, 10, tzinfo=UTC)
    session_plan(program=program, now=autumn_now)
    autumn = _sessions(program, starts_at__gt=autumn_now)
    assert [s.starts_at.astimezone(BERLIN).hour for s in autumn] == [9] * len(autumn)
    assert len({s.starts_at.astimezone(BERLIN).utcoffset() for s in autumn}) == 2


@pytest.mark.parametrize(
    ("starts_on", "now", "instant"),
    [
        # 02:30 does not exist on 28 March: RFC 5545 reads it with the offset before
        # the gap, 01:30 UTC, which is 03:30 summer time.
        (date(2027, 3, 21), NOW, datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
        # 02:30 happens twice on 31 October: the first one, in summer time.
        (
            date(2027, 10, 24),
            datetime(2027, 10, 10, tzinfo=UTC),
            datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
        ),
    ],
    ids=["clocks-forward", "clocks-back"],
)
def test_a_start_time_on_a_clock_change_night_is_planned_once(org, starts_on, now, instant):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=WEEKLY",
        starts_on=starts_on,
        start_time=time(2, 30),
        time_zone="Europe/Berlin",
    )
    first = session_plan(program=program, now=now)
    (on_the_night,) = _sessions(
        program, starts_at__range=(instant - timedelta(hours=12), instant + timedelta(hours=12))
    )
    assert on_the_night.starts_at == on_the_night.planned_start == instant
    again = session_plan(program=program, now=now)
    assert first.created == len(_sessions(program)) > 2
    assert (again.created, again.updated, again.cancelled) == (0, 0, 0)


def test_last_day_of_the_month(org):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=MONTHLY;BYMONTHDAY=-1",
        starts_on=date(2027, 1, 1),
        time_zone="UTC",
    )
    session_plan(
        program=program,
        now=datetime(2027, 1, 2, tzinfo=UTC),
        until=datetime(2027, 3, 1, tzinfo=UTC),
    )
    assert [s.starts_at.date() for s in _sessions(program)] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
    ]


def test_daily_huddle_on_workdays_only_with_the_whole_team(org):
    program = make_program(
        "EE12",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        starts_on=date(2027, 3, 1),
        start_time=time(7, 45),
    )
    session_plan(program=program, now=NOW)
    sessions = _sessions(program)
    # Eight weeks of workdays from Monday 1 March 06:00 UTC, plus Monday 26 April:
    # 07:45 in Berlin is 05:45 UTC in summer time, just inside the horizon.
    assert len(sessions) == 8 * 5 + 1
    assert {s.starts_at.astimezone(BERLIN).weekday() for s in sessions} == {0, 1, 2, 3, 4}
    assert _people(sessions[0]) == {
        ("manager", "host"),
        ("employee", "attendee"),
        ("colleague", "attendee"),
    }


def test_every_other_week(org, team_program):
    session_plan(program=team_program, now=NOW)
    starts = [
        s.starts_at.astimezone(BERLIN)
        for s in _sessions(team_program, series=f"pair:{org['manager'].pk}:{org['employee'].pk}")
    ]
    days = {(b.date() - a.date()).days for a, b in zip(starts, starts[1:], strict=False)}
    assert days == {14}
    assert {s.hour for s in starts} == {9}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("FREQ=WEEKLY;COUNT=3", 3), ("FREQ=WEEKLY;UNTIL=20270322T235959Z", 3)],
)
def test_count_and_until(org, rule, expected):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule=rule,
        starts_on=date(2027, 3, 8),
        time_zone="UTC",
    )
    session_plan(program=program, now=NOW)
    session_plan(program=program, now=NOW + timedelta(weeks=6))
    assert len(_sessions(program)) == expected


def test_planning_twice_changes_nothing(org, team_program):
    first = session_plan(program=team_program, now=NOW)
    sessions = {(s.pk, s.sequence) for s in _sessions(team_program)}
    participants = Participant.objects.count()
    second = session_plan(program=team_program, now=NOW)
    assert first.created == 8  # two pairs, four fortnights each in eight weeks
    assert (second.created, second.updated, second.cancelled) == (0, 0, 0)
    assert {(s.pk, s.sequence) for s in _sessions(team_program)} == sessions
    assert Participant.objects.count() == participants


# Changes by people survive re-planning ----------------------------------------


def test_moved_and_cancelled_sessions_survive_replanning_and_schedule_edits(org, team_program):
    session_plan(program=team_program, now=NOW)
    first, second, *_ = _sessions(
        team_program, series=f"pair:{org['manager'].pk}:{org['employee'].pk}"
    )
    moved_to = first.starts_at + timedelta(days=1, hours=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: NOW)
        services.session_move(session=first, actor=org["manager"], starts_at=moved_to)
        services.session_cancel(session=second, actor=org["manager"], reason="Off sick")
    team_program.rrule = "FREQ=WEEKLY"
    team_program.save()
    result = session_plan(program=team_program, now=NOW)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.starts_at == moved_to
    assert first.status == SessionStatus.SCHEDULED
    assert second.status == SessionStatus.CANCELLED
    assert second.cancel_reason == "Off sick"
    assert result.created > 0  # the weekly sessions in between


def test_a_schedule_change_cancels_slots_no_longer_planned_and_raises_sequence(org, team_program):
    session_plan(program=team_program, now=NOW)
    before = {s.planned_start: s for s in _sessions(team_program)}
    team_program.start_time = time(10, 0)
    team_program.save()
    session_plan(program=team_program, now=NOW)
    for session in Session.objects.filter(pk__in=[s.pk for s in before.values()]):
        assert session.status == SessionStatus.CANCELLED
        assert session.sequence == 1
    live = _sessions(team_program, status=SessionStatus.SCHEDULED)
    assert {s.starts_at.astimezone(BERLIN).hour for s in live} == {10}


def test_pausing_cancels_the_future_and_resuming_restores_it(org, team_program):
    session_plan(program=team_program, now=NOW)
    team_program.status = ProgramStatus.PAUSED
    team_program.save()
    session_plan(program=team_program, now=NOW)
    assert {s.status for s in _sessions(team_program)} == {SessionStatus.CANCELLED}
    team_program.status = ProgramStatus.ACTIVE
    team_program.save()
    session_plan(program=team_program, now=NOW)
    assert {s.status for s in _sessions(team_program)} == {SessionStatus.SCHEDULED}
    assert {s.sequence for s in _sessions(team_program)} == {2}


# The organisation changes -------------------------------------------------------


def test_new_hire_gets_1_on_1s_and_a_leaver_is_cancelled_with_history_kept(org, team_program):
    session_plan(program=team_program, now=NOW)
    past = make_session(
        team_program,
        series=f"pair:{org['manager'].pk}:{org['colleague'].pk}",
        start=NOW - timedelta(days=14),
        length=timedelta(minutes=30),
        title="Earlier 1-on-1",
        status=SessionStatus.HELD,
        uid="00000000-0000-0000-0000-000000000001",
    )
    newcomer = make_person("newcomer", manager=org["manager"])
    Person.objects.filter(pk=org["colleague"].pk).update(is_active=False)
    session_plan(program=team_program, now=NOW)
    assert len(_sessions(team_program, series=f"pair:{org['manager'].pk}:{newcomer.pk}")) == 4
    leaver = _sessions(team_program, series=f"pair:{org['manager'].pk}:{org['colleague'].pk}")
    assert [s.status for s in leaver if s.starts_at > NOW] == [SessionStatus.CANCELLED] * 4
    past.refresh_from_db()
    assert past.status == SessionStatus.HELD


def test_a_change_of_manager_moves_the_pair_to_the_new_manager(org):
    program = make_program(
        "EE10",
        owner=org["leader"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["leader"],
        audience_include_indirect=True,
    )
    session_plan(program=program, now=NOW)
    old_series = f"pair:{org['manager'].pk}:{org['employee'].pk}"
    assert ("manager", "host") in _people(_sessions(program, series=old_series)[0])
    Person.objects.filter(pk=org["employee"].pk).update(manager=org["leader"])
    session_plan(program=program, now=NOW)
    # The old pair's future is cancelled; the new pair starts its own series, so
    # nothing recorded with the previous manager carries over to the new one.
    assert {s.status for s in _sessions(program, series=old_series)} == {"cancelled"}
    new = _sessions(program, series=f"pair:{org['leader'].pk}:{org['employee'].pk}")[0]
    assert _people(new) == {("leader", "host"), ("employee", "attendee")}
    assert new.title.startswith(f"1-on-1: {org['leader']}")


# Rotations ----------------------------------------------------------------------


def _deep_org(org, teams=3, size=4):
    """Managers under the leader, each with a team: people two levels below the leader."""
    people = []
    for t in range(teams):
        boss = make_person(f"boss{t}", manager=org["leader"])
        people += [make_person(f"t{t}m{m}", manager=boss) for m in range(size)]
    return people


def test_skip_levels_meet_everyone_two_levels_down_once_least_recently_met_first(org):
    deep = _deep_org(org)
    program = make_program_below(
        "EE9",
        org["leader"],
        starts_on=date(2027, 3, 1),
        config={"rotation_months": 2, "questions": "How are things?", "reminder_lead_hours": 24},
    )
    eligible = {p.pk for p in deep} | {org["employee"].pk, org["colleague"].pk}
    # Met a month ago, so this one comes last.
    recent = deep[0]
    make_session(
        program,
        [(recent, "attendee")],
        series=f"skip:{org['leader'].pk}:{deep[0].pk}",
        start=NOW - timedelta(days=30),
        length=timedelta(0),
        title="Earlier skip-level",
        status=SessionStatus.HELD,
        uid="00000000-0000-0000-0000-000000000002",
    )
    session_plan(program=program, now=NOW, until=NOW + timedelta(weeks=9))
    met = [
        p.person_id
        for s in _sessions(program, starts_at__gt=NOW)
        for p in s.participants.filter(role="attendee")
    ]
    # 14 eligible over 9 weekly slots in a 2-month period: two back to back a week.
    assert len(met) == len(set(met))  # nobody twice within the period
    others = len(eligible) - 1
    assert set(met[:others]) == eligible - {recent.pk}  # never met: first
    assert met[others] == recent.pk  # met a month ago: once the period since has passed
    first_slot = _sessions(program, starts_at__gt=NOW)[:2]
    assert first_slot[1].starts_at - first_slot[0].starts_at == timedelta(minutes=30)
    assert org["manager"].pk not in met  # direct reports of the leader are not skip-levels


def test_round_tables_draw_from_different_teams_and_rotate(org):
    members = _deep_org(org, teams=4, size=3)
    program = make_program(
        "EE8",
        owner=org["leader"],
        rrule="FREQ=WEEKLY",
        starts_on=date(2027, 3, 1),
        config={
            "group_size": 4,
            "anonymous_topics": True,
            "agenda_template": "",
            "reminder_lead_hours": 24,
        },
    )
    program.audience_kind = AudienceKind.PEOPLE
    program.save()
    program.audience_people.set(members)
    session_plan(program=program, now=NOW, until=NOW + timedelta(weeks=4))
    groups = [
        [p.person for p in s.participants.filter(role="attendee").select_related("person")]
        for s in _sessions(program)
    ]
    assert len(groups) == 4
    for group in groups:
        assert len(group) == 4
        assert len({person.manager_id for person in group}) == 4  # four different teams
    first_three = [person.pk for group in groups[:3] for person in group]
    assert sorted(first_three) == sorted(p.pk for p in members)  # everyone once, then again


# Sign-up with a waitlist ----------------------------------------------------------


def test_a_full_lunch_and_learn_waitlists_and_promotes_when_someone_withdraws(
    org, django_capture_on_commit_callbacks, mailoutbox
):
    program = make_program(
        "EE15",
        owner=org["hr"],
        starts_on=date(2027, 3, 4),
        config={"capacity": 1, "location": "Room 4", "reminder_lead_hours": 24},
    )
    session_plan(program=program, now=NOW)
    session = _sessions(program)[0]
    assert session.capacity == 1
    first = services.session_sign_up(session=session, person=org["employee"])
    second = services.session_sign_up(session=session, person=org["colleague"])
    assert (first.signup, second.signup) == (SignUp.CONFIRMED, SignUp.WAITLISTED)
    with pytest.raises(Exception, match="already signed up"):
        services.session_sign_up(session=session, person=org["colleague"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        promoted = services.session_withdraw(session=session, person=org["employee"])
    assert promoted.person == org["colleague"]
    assert len(callbacks) == 1  # the promoted person is told, after commit
    second.refresh_from_db()
    assert second.signup == SignUp.CONFIRMED
    session_plan(program=program, now=NOW)  # re-planning keeps sign-ups
    assert session.participants.filter(person=org["colleague"]).exists()


# Submission periods -----------------------------------------------------------------


def test_monthly_accomplishments_are_due_days_after_month_end(org):
    program = make_program(
        "EE4",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=MONTHLY",
        starts_on=date(2027, 1, 1),
        time_zone="UTC",
        config={"due_offset_days": 3, "reminder_lead_hours": 48, "overdue_nudge": True},
    )
    session_plan(program=program, now=NOW)
    periods = _sessions(program)
    # February's period has ended but its accomplishments are due on 4 March: it is
    # still open on 1 March, so it is planned too.
    assert [(p.starts_at.date(), p.due_at.date()) for p in periods] == [
        (date(2027, 2, 1), date(2027, 3, 4)),
        (date(2027, 3, 1), date(2027, 4, 4)),
        (date(2027, 4, 1), date(2027, 5, 4)),
    ]
    assert _people(periods[0]) == {("employee", "submitter"), ("colleague", "submitter")}


def test_inter_department_sessions_bring_the_named_liaisons_together(org):
    operations, sales = org["departments"]["operations"], org["departments"]["sales"]
    operations.liaison, sales.liaison = org["manager"], org["sales_head"]
    operations.save()
    sales.save()
    program = make_program(
        "EE14",
        owner=org["leader"],
        audience_kind=AudienceKind.DEPARTMENTS,
        starts_on=date(2027, 3, 1),
    )
    program.audience_departments.set([operations, sales])
    session_plan(program=program, now=NOW)
    assert _people(_sessions(program)[0]) == {
        ("leader", "host"),
        ("manager", "attendee"),
        ("saleshead", "attendee"),
    }


# One pass over every program ----------------------------------------------------------


def _fail_with_key_error():
    raise KeyError("boom")


def _fail_in_the_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")


@pytest.mark.parametrize("fail", [_fail_with_key_error, _fail_in_the_database])
def test_one_failing_program_is_logged_and_the_others_are_planned(
    org, team_program, monkeypatch, caplog, fail
):
    def program(name):
        return make_program(
            "EE11",
            owner=org["manager"],
            name=name,
            audience_kind=AudienceKind.TEAM,
            audience_manager=org["manager"],
            rrule="FREQ=WEEKLY",
            starts_on=date(2027, 3, 1),
        )

    # The failing one comes between the others in the pass (it goes by id).
    before, broken, after = program("Before"), program("Broken"), program("After")
    real_specs = planner.session_specs

    def specs(program, *args, **kwargs):
        if program.pk == broken.pk:
            fail()
        return real_specs(program, *args, **kwargs)

    monkeypatch.setattr(planner, "session_specs", specs)
    with caplog.at_level(logging.ERROR, logger="scheduling.planner"):
        result = sessions_plan_all(now=NOW)
    for planned in (before, after, team_program):
        assert _sessions(planned), planned.name
    assert not _sessions(broken)
    assert result.created == sum(len(_sessions(p)) for p in (before, after, team_program))
    (record,) = caplog.records
    assert f"Planning program {broken.pk} failed" in record.getMessage()
    assert record.exc_info is not None  # logged with its traceback
