"""What the meetings app plugs into the pages below it (engagement.extensions): the
session and program sections, the today list, the measures; and services that refuse
an actor with no business in the session."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from engagement import extensions
from engagement.models import AudienceKind
from engagement.practices import get_practice
from meetings import measures
from meetings.models import ActionItem, Rating, TalkingPoint, Topic
from meetings.services import huddles, round_tables, workspace
from meetings.today import today_items
from scheduling.models import Session
from tests.factories import make_person, make_program, make_program_below, make_session


def _names(place, code):
    return [s.name for s in extensions.sections_for(place, get_practice(code))]


def test_the_session_sections_come_in_todays_order_and_only_where_they_apply():
    assert _names("session", "EE15")[-2:] == ["learning_topic", "workspace"]
    assert _names("session", "EE8")[-2:] == ["round_table", "workspace"]
    assert "workspace" in _names("session", "EE10")
    assert "round_table" not in _names("session", "EE10")
    assert "workspace" not in _names("session", "EE3")  # a survey's windows are no meeting
    assert "huddle" in _names("session_actions", "EE12")
    assert "huddle" not in _names("session_actions", "EE11")
    assert "links" in _names("program", "EE5")
    assert "links" not in _names("program", "EE3")


def test_run_the_huddle_shows_to_the_supervisor_only(client, org):
    program = make_program(
        "EE12",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
    )
    session = make_session(program, [(org["manager"], "host"), (org["employee"], "attendee")])
    client.force_login(org["manager"])
    assert "Run the huddle" in client.get(session.get_absolute_url()).content.decode()
    client.force_login(org["employee"])
    assert "Run the huddle" not in client.get(session.get_absolute_url()).content.decode()


def test_a_councils_program_page_links_its_council_and_no_feedback_page(client, org):
    program = make_program("EE5", owner=org["hr"])
    client.force_login(org["hr"])
    page = client.get(program.get_absolute_url()).content.decode()
    assert reverse("meetings:council", args=[program.pk]) in page
    assert reverse("feedback:survey_edit", args=[program.pk]) not in page


def test_today_lists_due_actions_and_the_weeks_meetings_in_two_queries(
    org, team_program, django_assert_max_num_queries
):
    employee, manager = org["employee"], org["manager"]
    pair = [(manager, "host"), (employee, "attendee")]
    past = make_session(team_program, pair, hours_from_now=-48, series="pair")
    soon = make_session(team_program, pair, hours_from_now=24, series="pair")
    bare = make_session(team_program, pair, hours_from_now=48, series="bare")
    make_session(team_program, pair, hours_from_now=24 * 9, series="later")
    today = timezone.localdate()
    for text, owner, due, done in [
        ("Overdue", employee, today - timedelta(days=2), None),
        ("This week", employee, today + timedelta(days=3), None),
        ("Next month", employee, today + timedelta(days=30), None),
        ("Already done", employee, today - timedelta(days=1), timezone.now()),
        ("The manager's", manager, today, None),
        ("No date", employee, None, None),
    ]:
        ActionItem.objects.create(
            program=team_program,
            series="pair",
            raised_in=past,
            owner=owner,
            created_by=manager,
            text=text,
            due_on=due,
            done_at=done,
        )
    TalkingPoint.objects.create(
        program=team_program, series="pair", raised_in=past, author=employee, text="Rota"
    )
    with django_assert_max_num_queries(2):
        items = list(today_items(employee, timezone.now()))
    actions = {i.title: i for i in items if i.kind == "action"}
    assert set(actions) == {"Overdue", "This week"}
    assert actions["Overdue"].overdue
    assert not actions["This week"].overdue
    assert actions["Overdue"].url == past.get_absolute_url() + "#actions"
    meetings = {i.url: i for i in items if i.kind == "meeting"}
    assert set(meetings) == {
        soon.get_absolute_url() + "#agenda",
        bare.get_absolute_url() + "#agenda",
    }
    assert meetings[soon.get_absolute_url() + "#agenda"].detail == "1 point on the agenda"
    assert meetings[bare.get_absolute_url() + "#agenda"].detail == "No points on the agenda yet"
    assert today_items(org["outsider"], timezone.now()) == []


def test_the_actions_measure_counts_what_the_manager_owns_or_hosted(org, team_program):
    manager, employee = org["manager"], org["employee"]
    hosted = make_session(team_program, [(manager, "host"), (employee, "attendee")])
    elsewhere = make_session(
        make_program("EE11", owner=org["leader"]), [(org["leader"], "host"), (manager, "attendee")]
    )
    today = timezone.localdate()
    for session, owner, due, done in [
        (hosted, employee, today - timedelta(days=3), timezone.now()),
        (hosted, employee, today - timedelta(days=1), None),
        (elsewhere, manager, today, None),
        (elsewhere, org["leader"], today, timezone.now()),  # neither theirs nor hosted
        (hosted, employee, today + timedelta(days=2), None),  # not due yet
        (hosted, employee, today - timedelta(days=200), None),  # before the period
    ]:
        ActionItem.objects.create(
            program=session.program,
            series=session.series,
            raised_in=session,
            owner=owner,
            created_by=manager,
            text="An action",
            due_on=due,
            done_at=done,
        )
    now = timezone.now()
    assert measures.actions_done(manager, now - timedelta(days=90), now) == (1, 3)
    names = {(m.scope, m.name) for m in extensions.registry.measures}
    assert {("manager", "actions"), ("practice", "ratings")} <= names


def test_the_ratings_measure_counts_sessions_rated_by_the_minimum_group(org):
    team = [org["employee"], org["colleague"], *(make_person(f"m{i}") for i in range(3))]
    program = make_program("EE15", owner=org["hr"])
    people = [(org["hr"], "host"), *((p, "attendee") for p in team)]
    rated = make_session(program, people, hours_from_now=-3)
    lone = make_session(program, people, hours_from_now=-30, series="second")
    Rating.objects.bulk_create(
        [
            Rating(session=rated, rater=p, score=s)
            for p, s in zip(team, (5, 4, 4, 3, 2), strict=True)
        ]
    )
    Rating.objects.create(session=lone, rater=team[0], score=1)
    now = timezone.now()
    since = now - timedelta(days=90)
    figures = measures.ratings(Session.objects.all(), since, now)
    assert figures == {"EE15": {"rating": 3.6, "ratings": 5}}
    assert measures.ratings(Session.objects.filter(pk=lone.pk), since, now) == {}


@pytest.fixture
def round_table(org):
    program = make_program_below("EE8", org["leader"])
    return make_session(program, [(org["leader"], "host"), (org["employee"], "attendee")])


def test_services_refuse_an_actor_with_no_business_in_the_session(org, round_table):
    with pytest.raises(PermissionDenied):
        workspace.talking_point_add(session=round_table, author=org["outsider"], text="Hello")
    topic = Topic.objects.create(session=round_table, author=org["employee"], text="Pay")
    with pytest.raises(PermissionDenied):
        round_tables.topic_answer(topic=topic, actor=org["employee"], answer="Later")
    with pytest.raises(PermissionDenied):
        round_tables.summary_publish(session=round_table, actor=org["outsider"], body="Done")
    huddle = make_session(make_program("EE12", owner=org["manager"]), [(org["manager"], "host")])
    with pytest.raises(PermissionDenied):
        huddles.huddle_record(
            session=huddle, actor=org["employee"], why="Why", focus="", present=set(), moods={}
        )
    assert not TalkingPoint.objects.exists()
    assert Topic.objects.get().answer == ""


def test_a_programs_meetings_on_the_today_list_share_a_series_named_by_its_schedule(
    org, team_program
):
    manager, employee = org["manager"], org["employee"]
    for hours in (24, 48):
        make_session(
            team_program,
            [(manager, "host"), (employee, "attendee")],
            hours_from_now=hours,
            series=f"pair:{manager.pk}:{employee.pk}",
        )
    items = [i for i in today_items(employee, timezone.now()) if i.kind == "meeting"]
    assert len(items) == 2
    assert {i.series for i in items} == {f"program:{team_program.pk}"}
    words = team_program.schedule_in_words  # "Every two weeks on Monday at 09:00"
    assert items[0].recurring == f"{team_program.name}, {words[0].lower()}{words[1:]}"
