"""One organisation with a record of every kind a route works on, for the role matrix
(tests/test_access_matrix.py). Built once per module; each test runs in a savepoint
that is rolled back, so a POST never leaks into the next case.

ceo (senior leader)
├── leader (senior leader)             Operations
│   ├── manager                         Operations
│   │   ├── employee
│   │   └── colleague  (employee's teammate; serves on the council)
│   └── peer  (peer manager)            Operations
│       └── peer_report
├── hr (HR administrator)               People
└── saleshead                           Sales
    └── outsider (unrelated colleague)
operator (superuser, outside the organisation chart)
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from engagement.models import AudienceKind, ProgramMember
from feedback.models import ActionPlan, Commitment, Question
from meetings.models import ActionItem, LearningTopic, Note, Proposal, TalkingPoint, Topic
from scheduling.models import CalendarFeed, Session
from scheduling.planner import session_plan
from tests.factories import (
    make_org,
    make_person,
    make_program,
    make_program_below,
    make_session,
    open_window,
    pulse_form,
    survey_program,
)


def _team(manager) -> dict:
    return {"audience_kind": AudienceKind.TEAM, "audience_manager": manager}


def _private(program, lead, person):
    """A past and a future session of the planned private series of ``lead`` and
    ``person`` (a 1-on-1 or skip-level), whatever the planner names its series."""
    now = timezone.now()
    sessions = Session.objects.filter(program=program, participants__person=lead).filter(
        participants__person=person
    )
    return (
        sessions.filter(starts_at__lt=now).order_by("starts_at").last(),
        sessions.filter(starts_at__gt=now).order_by("starts_at").first(),
    )


def build_world() -> dict:
    org = make_org()
    manager, employee, colleague = org["manager"], org["employee"], org["colleague"]
    leader, hr = org["leader"], org["hr"]
    peer = make_person("peer", manager=leader, title="Peer Manager")
    make_person("peerreport", manager=peer)
    operator = make_person(
        "operator", is_superuser=True, is_staff=True, title="Operator", department=None
    )
    now = timezone.now()
    since = now - timedelta(days=21)
    people = {
        "employee": employee,
        "manager": manager,
        "leader": leader,
        "hr": hr,
        "colleague": colleague,
        "outsider": org["outsider"],
        "peer": peer,
        "superuser": operator,
    }

    # A 1-on-1 program of the manager's team, planned from three weeks ago: the pair of
    # manager and employee has a past and a future session.
    one_on_ones = make_program(
        "EE10",
        owner=manager,
        name="Shift B 1-on-1s",
        rrule="FREQ=WEEKLY",
        starts_on=since.date(),
        **_team(manager),
    )
    session_plan(program=one_on_ones, now=since, until=now + timedelta(days=21))
    one_on_one_past, one_on_one = _private(one_on_ones, manager, employee)
    point = TalkingPoint.objects.create(
        program=one_on_ones,
        series=one_on_one.series,
        raised_in=one_on_one,
        author=employee,
        text="Training budget",
    )
    Note.objects.create(session=one_on_one, author=manager, body="We agreed on the rota")
    Note.objects.create(session=one_on_one, author=manager, private=True, body="Seems tired lately")
    action = ActionItem.objects.create(
        program=one_on_ones,
        series=one_on_one.series,
        raised_in=one_on_one,
        owner=employee,
        created_by=manager,
        text="Book the course",
    )

    # The leader set up 1-on-1s for the manager's team and owns them: the owner sees
    # when and with whom a pair meets, not what they say.
    leaders_one_on_ones = make_program(
        "EE10",
        owner=leader,
        name="1-on-1s the leader runs",
        rrule="FREQ=WEEKLY",
        starts_on=now.date(),
        **_team(manager),
    )
    session_plan(program=leaders_one_on_ones, now=now, until=now + timedelta(days=14))
    leaders_one_on_one = _private(leaders_one_on_ones, manager, employee)[1]
    Note.objects.create(session=leaders_one_on_one, author=employee, body="We agreed on the rota")

    # A skip-level program of the leader: the leader and the employee, past and future.
    skip_levels = make_program_below(
        "EE9",
        leader,
        starts_on=since.date(),
        config={"rotation_months": 1, "questions": "What helps?", "reminder_lead_hours": 24},
    )
    session_plan(program=skip_levels, now=since, until=now + timedelta(days=60))
    skip_past, skip_level = _private(skip_levels, leader, employee)
    skip_level = skip_past or skip_level

    # Group sessions of the manager's team: a team meeting, a daily huddle.
    team_meetings = make_program("EE11", owner=manager, name="Shift B team", **_team(manager))
    crew = [(manager, "host"), (employee, "attendee"), (colleague, "attendee")]
    team_meeting = make_session(team_meetings, crew, hours_from_now=24)
    team_meeting_past = make_session(team_meetings, crew, hours_from_now=-2)
    huddles = make_program("EE12", owner=manager, name="Shift B huddle", **_team(manager))
    huddle = make_session(huddles, crew, hours_from_now=-0.5)

    # A round table the leader holds for everyone below, with a topic of the employee's.
    round_tables = make_program_below("EE8", leader, name="Round table")
    round_table = make_session(
        round_tables,
        [(leader, "host"), (employee, "attendee"), (colleague, "attendee")],
        hours_from_now=48,
    )
    topic = Topic.objects.create(session=round_table, author=employee, text="Why the rota?")

    # The manager's team council: the colleague serves on it, the employee proposes.
    councils = make_program("EE5", owner=manager, name="Shift B council", **_team(manager))
    ProgramMember.objects.create(
        program=councils, person=colleague, role="member", starts_on=date(2025, 1, 1)
    )
    proposal = Proposal.objects.create(program=councils, author=employee, title="Bike racks")
    council_meeting = make_session(
        councils, [(manager, "host"), (colleague, "attendee")], hours_from_now=-3
    )

    # HR's lunch & learns for Operations: a past session the employee attended (rated
    # afterwards), a coming one to sign up for, and a topic the colleague proposed.
    lunches = make_program(
        "EE15",
        owner=hr,
        name="Lunch & learn",
        audience_kind=AudienceKind.DEPARTMENTS,
        config={"capacity": 10, "location": "Room 4", "reminder_lead_hours": 24},
    )
    lunches.audience_departments.set([org["departments"]["operations"]])
    lunch_held = make_session(
        lunches, [(hr, "host"), (employee, "attendee"), (colleague, "attendee")], status="held"
    )
    lunch = make_session(lunches, [(hr, "host"), (colleague, "attendee")], hours_from_now=72)
    lunch.participants.filter(person=colleague).update(planned=False, signup="confirmed")
    learning_topic = LearningTopic.objects.create(
        program=lunches, proposed_by=colleague, title="Spreadsheets"
    )

    # The manager's own lunch & learns for the team, with a topic the colleague proposed.
    team_lunches = make_program("EE15", owner=manager, name="Team lunches", **_team(manager))
    team_learning_topic = LearningTopic.objects.create(
        program=team_lunches, proposed_by=colleague, title="Forklift basics"
    )

    # HR's social event for Operations, to RSVP to.
    socials = make_program(
        "EE6",
        owner=hr,
        name="Summer party",
        audience_kind=AudienceKind.DEPARTMENTS,
    )
    socials.audience_departments.set([org["departments"]["operations"]])
    social = make_session(socials, [(hr, "host")], hours_from_now=96)

    # HR's pulse for everyone below the leader, an open window, and the manager's shared
    # action plan with a commitment the employee owns. A second survey has no questions.
    for n in range(4):
        make_person(f"member{n}", manager=manager)
    pulse = pulse_form(survey_program(org), hr)
    window = open_window(pulse.program)
    plan = ActionPlan.objects.create(
        form=pulse, window=window, manager=manager, created_by=manager, shared_at=now
    )
    commitment = Commitment.objects.create(
        plan=plan,
        driver="recognition",
        text="Shout-outs",
        owner=employee,
        due_on=timezone.localdate() + timedelta(days=14),
    )
    draft_plan = ActionPlan.objects.create(
        form=pulse,
        window=open_window(pulse.program, days_ago=45),
        manager=manager,
        created_by=manager,
    )
    Commitment.objects.create(
        plan=draft_plan,
        driver="workload",
        text="Fewer late shifts",
        owner=manager,
        due_on=timezone.localdate() + timedelta(days=14),
    )
    unplanned_window = open_window(pulse.program, days_ago=80)
    # Questions change only while no window is open: a survey still being written.
    draft_survey = pulse_form(survey_program(org, name="Draft survey"), hr)
    bare_survey = survey_program(org, name="Fresh survey")
    paused = make_program(
        "EE11", owner=manager, name="Paused team meeting", status="paused", **_team(manager)
    )

    feed = CalendarFeed.objects.create(person=manager)

    return {
        "people": people,
        **{f"person:{role}": person for role, person in people.items()},
        "org": org,
        "one_on_ones": one_on_ones,
        "one_on_one": one_on_one,
        "one_on_one_past": one_on_one_past,
        "leaders_one_on_one": leaders_one_on_one,
        "point": point,
        "action": action,
        "skip_level": skip_level,
        "team_meeting": team_meeting,
        "team_meeting_past": team_meeting_past,
        "huddle": huddle,
        "round_table": round_table,
        "topic": topic,
        "council": councils,
        "member": ProgramMember.objects.get(program=councils, person=colleague),
        "proposal": proposal,
        "council_meeting": council_meeting,
        "lunches": lunches,
        "lunch": lunch,
        "lunch_held": lunch_held,
        "learning_topic": learning_topic,
        "team_lunches": team_lunches,
        "team_learning_topic": team_learning_topic,
        "social": social,
        "pulse": pulse,
        "pulse_program": pulse.program,
        "draft_survey": draft_survey.program,
        "question": Question.objects.filter(form=draft_survey).order_by("position")[1],
        "unplanned_window": unplanned_window,
        "window": window,
        "plan": plan,
        "draft_plan": draft_plan,
        "paused": paused,
        "commitment": commitment,
        "bare_survey": bare_survey,
        "feed": feed,
    }
