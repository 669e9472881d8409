"""Private sessions (1-on-1s, skip-levels) carry their privacy and their two people as
columns, set by the planner and filled from the old series keys by a migration; the
rules read the columns, never the series."""

import importlib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from engagement.models import AudienceKind
from scheduling import access as scheduling_access
from scheduling import services
from scheduling.models import Participant, Session
from scheduling.planner import session_plan
from tests.factories import make_person, make_program, make_program_below, make_session

NOW = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)


def _columns(program):
    return set(
        Session.objects.filter(program=program).values_list(
            "series", "private", "pair_lead", "pair_person"
        )
    )


def test_the_planner_makes_each_1_on_1_private_to_its_manager_and_report(org, team_program):
    session_plan(program=team_program, now=NOW)
    manager, employee, colleague = org["manager"].pk, org["employee"].pk, org["colleague"].pk
    assert _columns(team_program) == {
        (f"pair:{manager}:{employee}", True, manager, employee),
        (f"pair:{manager}:{colleague}", True, manager, colleague),
    }
    session = Session.objects.filter(program=team_program, pair_person=employee).first()
    assert session.private
    assert session.pair_people == {manager, employee}
    assert str(session) == "A private session"


def test_the_planner_makes_each_skip_level_private_to_its_leader_and_person(org):
    program = make_program_below(
        "EE9", org["leader"], starts_on=date(2027, 3, 1), config={"rotation_months": 1}
    )
    session_plan(program=program, now=NOW, until=NOW + timedelta(weeks=5))
    rows = _columns(program)
    leader = org["leader"].pk
    assert {(org["employee"].pk), org["colleague"].pk} <= {row[3] for row in rows}
    assert rows == {(f"skip:{leader}:{person}", True, leader, person) for *_, person in rows}


def test_team_meetings_are_not_private_and_name_no_pair(org):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=WEEKLY",
        starts_on=date(2027, 3, 1),
    )
    session_plan(program=program, now=NOW)
    assert _columns(program) == {(f"team:{org['manager'].pk}", False, None, None)}
    session = Session.objects.filter(program=program).first()
    assert not session.private
    assert session.pair_people is None
    assert str(session) == program.name


def test_the_migration_fills_the_columns_from_the_series(org, team_program):
    manager, employee, leader = org["manager"], org["employee"], org["leader"]
    gone = make_person("gone", manager=manager)
    skip_program = make_program("EE9", owner=leader)
    team = make_program("EE11", owner=manager)
    unmarked = {"private": False, "pair_lead": None, "pair_person": None}
    pair = make_session(team_program, series=f"pair:{manager.pk}:{employee.pk}", **unmarked)
    skip = make_session(skip_program, series=f"skip:{leader.pk}:{employee.pk}", **unmarked)
    left = make_session(team_program, series=f"pair:{manager.pk}:{gone.pk}", **unmarked)
    malformed = make_session(team_program, series="pair:old", **unmarked)
    group = make_session(team, series=f"team:{manager.pk}")
    gone_pk = gone.pk
    Session.objects.filter(pk=left.pk).update(series=f"pair:{manager.pk}:{gone_pk}")
    gone.delete()

    migration = importlib.import_module("scheduling.migrations.0007_session_private_pair")
    migration.fill(apps, None)

    def columns(session):
        session.refresh_from_db()
        return session.private, session.pair_lead_id, session.pair_person_id

    assert columns(pair) == (True, manager.pk, employee.pk)
    assert columns(skip) == (True, leader.pk, employee.pk)
    # Someone no longer on record is named by nobody; the session stays private.
    assert columns(left) == (True, manager.pk, None)
    assert columns(malformed) == (True, None, None)
    assert columns(group) == (False, None, None)


def test_a_third_person_is_refused_on_a_private_session_by_its_columns(org, team_program):
    """Whatever the series says: a private session admits its two people only."""
    manager, employee, colleague = org["manager"], org["employee"], org["colleague"]
    session = make_session(
        team_program, series="main", private=True, pair_lead=manager, pair_person=employee
    )
    for person in (manager, employee):
        Participant(session=session, person=person, role="attendee").full_clean()
    with pytest.raises(ValidationError, match="private session"):
        Participant(session=session, person=colleague, role="attendee").full_clean()


def test_a_series_key_alone_makes_nothing_private(org, team_program):
    session = make_session(
        team_program,
        series=f"pair:{org['manager'].pk}:{org['employee'].pk}",
        private=False,
        pair_lead=None,
        pair_person=None,
    )
    Participant(session=session, person=org["colleague"], role="attendee").full_clean()
    assert session in scheduling_access.admin_sessions(Session.objects.all())


@pytest.mark.parametrize("service", ["cancel", "move"])
def test_a_service_refuses_an_actor_who_may_not_manage_the_session(org, service):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
    )
    session = make_session(
        program,
        [(org["manager"], "host"), (org["employee"], "attendee")],
        hours_from_now=24,
        series=f"team:{org['manager'].pk}",
    )
    before = Session.objects.values().get(pk=session.pk)
    calls = {
        "cancel": lambda actor: services.session_cancel(session=session, actor=actor),
        "move": lambda actor: services.session_move(
            session=session, actor=actor, starts_at=session.starts_at + timedelta(days=1)
        ),
    }
    for outsider in (org["outsider"], org["employee"]):
        with pytest.raises(PermissionDenied):
            calls[service](outsider)
    assert Session.objects.values().get(pk=session.pk) == before
    calls[service](org["manager"])  # the host may
    assert Session.objects.get(pk=session.pk).touched


@pytest.mark.parametrize(
    ("practice", "answer"), [("EE15", None), ("EE6", "yes")], ids=["sign-up", "rsvp"]
)
def test_signing_up_refuses_someone_outside_the_audience_whoever_calls(org, practice, answer):
    """The service asks access itself: a caller that skips the view's check (a task, a
    script, a later page) still cannot put an outsider on the list."""
    program = make_program(
        practice,
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
    )
    session = make_session(program, [(org["manager"], "host")], hours_from_now=48)
    outsider = make_person("olga")

    def join(person):
        if answer is None:
            return services.session_sign_up(session=session, person=person)
        return services.session_rsvp(session=session, person=person, answer=answer)

    with pytest.raises(PermissionDenied):
        join(outsider)
    assert not session.participants.filter(person=outsider).exists()
    # Someone in the audience is let in by the same call.
    join(org["employee"])
    assert session.participants.filter(person=org["employee"]).exists()
