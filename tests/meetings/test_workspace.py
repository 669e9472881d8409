"""The working part of a meeting: talking points that carry over, notes, actions, outcome."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement.models import AudienceKind
from meetings.models import ActionItem, Note, TalkingPoint
from scheduling.models import Session, SessionStatus
from scheduling.planner import session_plan
from tests.factories import make_program, make_program_below, make_session, page_of


@pytest.fixture
def pair(org, team_program):
    """The employee's next two 1-on-1s with the manager."""
    team_program.starts_on = timezone.localdate()
    team_program.save()
    session_plan(program=team_program)
    first, second = Session.objects.filter(
        program=team_program, series=f"pair:{org['manager'].pk}:{org['employee'].pk}"
    ).order_by("starts_at")[:2]
    return first, second


def _page(client, person, session):
    client.force_login(person)
    return page_of(client.get(session.get_absolute_url()))


def test_an_unticked_talking_point_carries_over_to_the_next_session(client, org, pair):
    first, second = pair
    client.force_login(org["employee"])
    client.post(reverse("meetings:point_add", args=[first.pk]), {"text": "Training budget"})
    client.post(reverse("meetings:point_add", args=[first.pk]), {"text": "Rota swap"})
    assert "Training budget" in _page(client, org["manager"], first)
    rota = TalkingPoint.objects.get(text="Rota swap")
    client.post(reverse("meetings:point_tick", args=[first.pk, rota.pk]))
    next_page = _page(client, org["employee"], second)
    assert "Training budget" in next_page
    assert "carried over" in next_page
    assert "Rota swap" not in next_page
    first.refresh_from_db()
    assert first.touched  # annotated: re-planning leaves it alone


def test_notes_shared_by_the_pair_and_private_to_their_author(client, org, pair):
    first, _ = pair
    client.force_login(org["manager"])
    client.post(
        reverse("meetings:note_save", args=[first.pk]),
        {"save": "shared", "shared-body": "Agreed on the rota"},
    )
    client.post(
        reverse("meetings:note_save", args=[first.pk]),
        {"save": "private", "private-body": "Seems tired lately"},
    )
    employee_page = _page(client, org["employee"], first)
    assert "Agreed on the rota" in employee_page
    assert "Seems tired lately" not in employee_page
    assert "Seems tired lately" in _page(client, org["manager"], first)
    client.force_login(org["hr"])  # HR configures programs, not 1-on-1s
    assert client.get(first.get_absolute_url()).status_code == 404
    assert Note.objects.filter(session=first).count() == 2


@pytest.mark.parametrize("role", ["leader", "colleague", "outsider"])
def test_outsiders_to_a_1_on_1_cannot_read_or_write_it(client, org, pair, role):
    first, _ = pair
    client.force_login(org[role])
    assert client.get(first.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("meetings:note_save", args=[first.pk]), {"save": "shared", "shared-body": "x"}
    )
    assert response.status_code == 404
    assert not Note.objects.exists()


def test_an_action_item_reaches_the_owners_list_and_is_done_in_one_click(client, org, pair):
    first, second = pair
    client.force_login(org["manager"])
    response = client.post(
        reverse("meetings:action_add", args=[first.pk]),
        {
            "text": "Book the forklift course",
            "owner": org["employee"].pk,
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert "Book the forklift course" in _page(client, org["employee"], second)  # carries over
    client.force_login(org["employee"])
    mine = client.get(reverse("meetings:my_actions")).content.decode()
    assert "Book the forklift course" in mine
    item = ActionItem.objects.get()
    client.post(reverse("meetings:action_toggle", args=[item.pk]))
    item.refresh_from_db()
    assert not item.is_open
    assert "Book the forklift course" not in page_of(client.get(reverse("meetings:my_actions")))


def test_an_overdue_action_is_marked(client, org, pair):
    first, _ = pair
    ActionItem.objects.create(
        program=first.program,
        series=first.series,
        raised_in=first,
        owner=org["employee"],
        created_by=org["manager"],
        text="Send the report",
        due_on=timezone.localdate() - timedelta(days=2),
    )
    client.force_login(org["employee"])
    assert "overdue" in client.get(reverse("meetings:my_actions")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "Late", "due_on": "2020-01-01"}, "The due date cannot be in the past."),
        ({"text": "x" * 301}, "At most 300 characters (you typed 301)"),
        ({"text": "   "}, "Write the action first."),
        ({"text": "Not theirs", "owner": "outsider"}, "Select a valid choice"),
    ],
)
def test_bad_action_items_get_the_form_back(client, org, pair, data, message):
    first, _ = pair
    data = {"owner": org["employee"].pk, **data}
    if data["owner"] == "outsider":
        data["owner"] = org["outsider"].pk
    client.force_login(org["manager"])
    response = client.post(reverse("meetings:action_add", args=[first.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ActionItem.objects.exists()


def test_an_over_long_talking_point_gets_the_form_back(client, org, pair):
    first, _ = pair
    client.force_login(org["employee"])
    response = client.post(reverse("meetings:point_add", args=[first.pk]), {"text": "y" * 400})
    assert response.status_code == 400
    assert "At most 300 characters (you typed 400)" in response.content.decode()


def test_the_host_records_held_with_attendance_from_its_day(client, org, pair):
    first, _ = pair
    client.force_login(org["manager"])
    url = reverse("meetings:outcome", args=[first.pk])
    in_two_days = timezone.now() + timedelta(days=2)
    Session.objects.filter(pk=first.pk).update(starts_at=in_two_days, ends_at=in_two_days)
    early = client.post(url, {"status": "held", "attended": [org["employee"].pk]})
    assert early.status_code == 400
    assert "It is planned for a later day" in early.content.decode()
    Session.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5), planned_start=first.planned_start
    )
    client.post(url, {"status": "held", "attended": [org["employee"].pk, org["manager"].pk]})
    first.refresh_from_db()
    assert first.status == SessionStatus.HELD
    assert set(first.participants.filter(attended=True).values_list("person", flat=True)) == {
        org["employee"].pk,
        org["manager"].pk,
    }
    client.force_login(org["employee"])
    assert client.post(url, {"status": "missed"}).status_code == 403


def test_skip_level_content_stays_between_leader_and_employee(client, org):
    program = make_program_below(
        "EE9",
        org["leader"],
    )
    session_plan(program=program)
    interview = Session.objects.filter(program=program).earliest("starts_at")
    interviewee = interview.participants.get(role="attendee").person
    client.force_login(interviewee)
    client.post(
        reverse("meetings:note_save", args=[interview.pk]),
        {"save": "shared", "shared-body": "My manager micromanages"},
    )
    assert "My manager micromanages" in _page(client, org["leader"], interview)
    client.force_login(org["manager"])  # the manager in between
    assert client.get(interview.get_absolute_url()).status_code == 404
    feed_page = client.get(reverse("scheduling:my_calendar")).content.decode()
    assert "micromanages" not in feed_page


def test_team_meeting_minutes_are_shared_with_the_team(client, org):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        starts_on=timezone.localdate(),
    )
    session_plan(program=program)
    meeting = Session.objects.filter(program=program).earliest("starts_at")
    client.force_login(org["manager"])
    client.post(
        reverse("meetings:note_save", args=[meeting.pk]),
        {"save": "shared", "shared-body": "Decided: new rota"},
    )
    assert "Decided: new rota" in _page(client, org["colleague"], meeting)
    assert "Decided: new rota" not in _page(client, org["leader"], meeting)


def test_my_week_shows_what_i_must_prepare(client, org, pair, django_assert_max_num_queries):
    first, _ = pair
    soon = timezone.now() + timedelta(days=2)
    Session.objects.filter(pk=first.pk).update(starts_at=soon, ends_at=soon)
    client.force_login(org["employee"])
    page = client.get(reverse("meetings:my_week")).content.decode()
    assert first.get_absolute_url() in page
    assert "add your points" in page
    client.post(reverse("meetings:point_add", args=[first.pk]), {"text": "Holiday plans"})
    page = client.get(reverse("meetings:my_week")).content.decode()
    assert "prepared (1)" in page
    client.force_login(org["manager"])
    with django_assert_max_num_queries(12):  # counts come from subqueries, not per row
        page = client.get(reverse("meetings:my_week")).content.decode()
    assert "add your points" in page  # the manager has not added any yet


def test_both_sides_check_in_their_mood(client, org, pair):
    first, _ = pair
    client.force_login(org["employee"])
    client.post(reverse("meetings:mood", args=[first.pk]), {"mood": "4"})
    client.post(reverse("meetings:mood", args=[first.pk]), {"mood": "2"})  # changes it
    page = client.post(reverse("meetings:mood", args=[first.pk]), {"mood": "9"}, follow=True)
    assert "Choose a mood from 1 to 5." in page.content.decode()
    manager_page = _page(client, org["manager"], first)
    mood = manager_page.split('id="mood"', 1)[1].split("</section>", 1)[0]
    assert f"{org['employee'].first_name}: <strong>2</strong>" in mood
    assert "mood_between" not in manager_page
    client.force_login(org["leader"])
    assert client.get(first.get_absolute_url()).status_code == 404


def test_the_manager_overview_shows_last_next_and_adherence(
    client, org, team_program, django_assert_max_num_queries
):
    now = timezone.now()
    series = f"pair:{org['manager'].pk}:{org['employee'].pk}"
    for days, status in ((-60, "held"), (-30, "missed"), (-14, "held")):
        start = now + timedelta(days=days)
        make_session(
            team_program,
            [(org["manager"], "host"), (org["employee"], "attendee")],
            series=series,
            start=start,
            length=timedelta(0),
            title="Earlier 1-on-1",
            status=status,
            touched=True,
            uid=f"00000000-0000-0000-0000-0000000000{-days:02d}",
        )
    session_plan(program=team_program)
    client.force_login(org["manager"])
    with django_assert_max_num_queries(10):
        page = client.get(reverse("meetings:one_on_ones")).content.decode()
    row = page.split(str(org["employee"]), 1)[1].split("</tr>", 1)[0]
    assert "2 of 3" in row
    assert "67%" in row
    assert (now - timedelta(days=14)).strftime("%-d %b %Y") in row
    client.force_login(org["employee"])
    assert (
        "You have no direct reports" in client.get(reverse("meetings:one_on_ones")).content.decode()
    )


def test_my_actions_lists_actions_without_a_due_date(client, org, pair):
    first, _ = pair
    client.force_login(org["manager"])
    client.post(
        reverse("meetings:action_add", args=[first.pk]),
        {"text": "Think about next steps", "owner": org["employee"].pk},
    )
    client.force_login(org["employee"])
    response = client.get(reverse("meetings:my_actions"))
    assert response.status_code == 200
    assert "Think about next steps" in response.content.decode()


def test_a_new_manager_does_not_inherit_the_old_pairs_points(client, org):
    from engagement.models import Person

    program = make_program("EE10", owner=org["hr"], starts_on=timezone.localdate())
    session_plan(program=program)
    old = Session.objects.filter(
        program=program, series=f"pair:{org['manager'].pk}:{org['employee'].pk}"
    ).earliest("starts_at")
    client.force_login(org["manager"])
    client.post(reverse("meetings:point_add", args=[old.pk]), {"text": "Between us two"})
    Person.objects.filter(pk=org["employee"].pk).update(manager=org["sales_head"])
    session_plan(program=program)
    new = Session.objects.filter(
        program=program, series=f"pair:{org['sales_head'].pk}:{org['employee'].pk}"
    ).earliest("starts_at")
    client.force_login(org["sales_head"])
    assert "Between us two" not in page_of(client.get(new.get_absolute_url()))


def test_the_action_toggle_only_redirects_within_the_site(client, org, pair):
    first, _ = pair
    item = ActionItem.objects.create(
        program=first.program,
        series=first.series,
        raised_in=first,
        owner=org["employee"],
        created_by=org["manager"],
        text="Anything",
    )
    client.force_login(org["employee"])
    response = client.post(
        reverse("meetings:action_toggle", args=[item.pk]), {"next": "https://evil.example/x"}
    )
    assert response["Location"] == reverse("meetings:my_actions")


def test_the_pairs_whole_history_on_one_page_without_others_private_notes(
    client, org, pair, django_assert_max_num_queries
):
    first, second = pair
    client.force_login(org["manager"])
    client.post(
        reverse("meetings:note_save", args=[first.pk]),
        {"save": "shared", "shared-body": "Shared first"},
    )
    client.post(
        reverse("meetings:note_save", args=[first.pk]),
        {"save": "private", "private-body": "Manager only"},
    )
    client.post(reverse("meetings:point_add", args=[second.pk]), {"text": "Later point"})
    client.force_login(org["employee"])
    with django_assert_max_num_queries(15):
        page = client.get(reverse("meetings:series_history", args=[second.pk])).content.decode()
    assert "Shared first" in page
    assert "Later point" in page
    assert "Manager only" not in page
    client.force_login(org["leader"])
    assert client.get(reverse("meetings:series_history", args=[first.pk])).status_code == 404
