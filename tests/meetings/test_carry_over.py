"""What carries over from one meeting to the next: only within a series of the same people."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from engagement.models import AudienceKind
from meetings.models import ActionItem, TalkingPoint
from scheduling.models import Session
from scheduling.planner import session_plan
from tests.factories import make_program, make_program_below, make_session, page_of


def _planned(program, count=2):
    session_plan(program=program)
    return list(Session.objects.filter(program=program).order_by("starts_at")[:count])


def _page(client, person, session):
    client.force_login(person)
    return page_of(client.get(session.get_absolute_url()))


def _people(session):
    return set(session.participants.values_list("person__username", flat=True))


@pytest.fixture
def two_round_tables(org):
    """The leader's next two round tables: the manager and the employee, then the
    colleague and the manager (the least recently invited first)."""
    program = make_program_below(
        "EE8",
        org["leader"],
        config={"group_size": 2, "agenda_template": "", "reminder_lead_hours": 24},
    )
    first, second = _planned(program)
    assert "employee" in _people(first) - _people(second)
    assert "colleague" in _people(second) - _people(first)
    return first, second


def test_a_round_table_groups_points_actions_and_notes_stay_with_that_group(
    client, org, two_round_tables
):
    first, second = two_round_tables
    client.force_login(org["employee"])
    client.post(reverse("meetings:point_add", args=[first.pk]), {"text": "Rota of my manager"})
    client.post(
        reverse("meetings:note_save", args=[first.pk]),
        {"save": "shared", "shared-body": "Notes of group one"},
    )
    client.post(
        reverse("meetings:action_add", args=[first.pk]),
        {"text": "Follow-up for the employee", "owner": org["employee"].pk},
    )
    assert "Rota of my manager" in _page(client, org["manager"], first)
    for person in (org["colleague"], org["manager"], org["leader"]):
        page = _page(client, person, second)
        assert "Rota of my manager" not in page
        assert "Follow-up for the employee" not in page
        client.force_login(person)
        history = client.get(reverse("meetings:series_history", args=[second.pk]))
        assert history.status_code == 200
        assert "Notes of group one" not in history.content.decode()
        assert "Rota of my manager" not in history.content.decode()
    assert "the whole history" not in _page(client, org["leader"], second)


def test_the_next_round_tables_group_cannot_tick_off_an_earlier_groups_point(
    client, org, two_round_tables
):
    first, second = two_round_tables
    client.force_login(org["employee"])
    client.post(reverse("meetings:point_add", args=[first.pk]), {"text": "About my manager"})
    point = TalkingPoint.objects.get()
    client.force_login(org["colleague"])
    response = client.post(reverse("meetings:point_tick", args=[second.pk, point.pk]))
    assert response.status_code == 404
    point.refresh_from_db()
    assert point.done_at is None


@pytest.mark.parametrize("practice", ["EE6", "EE15"])
def test_each_sign_up_session_starts_with_nothing_from_the_last(client, org, practice):
    program = make_program(
        practice, owner=org["leader"], rrule="FREQ=WEEKLY", starts_on=timezone.localdate()
    )
    first, second = _planned(program)
    client.force_login(org["leader"])
    client.post(reverse("meetings:point_add", args=[first.pk]), {"text": "Book the room"})
    assert "Book the room" in _page(client, org["leader"], first)
    assert "Book the room" not in _page(client, org["leader"], second)


def test_a_1_on_1_pair_still_carries_its_points_and_actions_over(client, org, team_program):
    team_program.starts_on = timezone.localdate()
    team_program.save()
    session_plan(program=team_program)
    first, second = Session.objects.filter(
        program=team_program, series=f"pair:{org['manager'].pk}:{org['employee'].pk}"
    ).order_by("starts_at")[:2]
    client.force_login(org["employee"])
    client.post(reverse("meetings:point_add", args=[first.pk]), {"text": "Training budget"})
    client.post(
        reverse("meetings:action_add", args=[first.pk]),
        {"text": "Send the course link", "owner": org["manager"].pk},
    )
    page = _page(client, org["manager"], second)
    assert "Training budget" in page
    assert "carried over" in page
    assert "Send the course link" in page
    point = TalkingPoint.objects.get()
    client.post(reverse("meetings:point_tick", args=[second.pk, point.pk]))
    point.refresh_from_db()
    assert point.done_in == second


def test_a_team_meeting_still_carries_its_points_over(client, org):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        starts_on=timezone.localdate(),
    )
    first, second = _planned(program)
    client.force_login(org["colleague"])
    client.post(reverse("meetings:point_add", args=[first.pk]), {"text": "Friday late shift"})
    page = _page(client, org["employee"], second)
    assert "Friday late shift" in page
    assert "carried over" in page


def test_a_skip_level_handed_to_another_leader_starts_a_new_series(org):
    program = make_program_below(
        "EE9",
        org["leader"],
    )
    before = set(_planned(program, count=100))
    program.owner = org["ceo"]
    program.save()
    after = set(_planned(program, count=100)) - before
    assert after
    for session in after:
        assert session.series.startswith(f"skip:{org['ceo'].pk}:")
    assert not {s.series for s in before if s.participants.exists()} & {s.series for s in after}


def _migration(name):
    return importlib.import_module(name)


def test_the_data_migration_splits_round_tables_that_shared_one_series(org):
    """Before the fix every round table was series "main": after the migration each is its
    own series, its records follow it, and a point another group ticked off is open again."""
    program = make_program("EE8", owner=org["leader"])
    first = make_session(program, [(org["employee"], "attendee")], hours_from_now=-48)
    second = make_session(program, [(org["colleague"], "attendee")], hours_from_now=-24)
    point = TalkingPoint.objects.create(
        program=program, series="main", raised_in=first, author=org["employee"], text="Mine"
    )
    TalkingPoint.objects.filter(pk=point.pk).update(done_in=second, done_at=timezone.now())
    ActionItem.objects.create(
        program=program,
        series="main",
        raised_in=first,
        owner=org["employee"],
        created_by=org["employee"],
        text="Follow up",
    )
    pairs = make_program(
        "EE9",
        owner=org["leader"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["leader"],
        audience_include_indirect=True,
    )
    skip = make_session(
        pairs,
        [(org["leader"], "host"), (org["employee"], "attendee")],
        series=f"skip:{org['employee'].pk}",
    )

    _migration("scheduling.migrations.0005_series_follow_the_people").rename(apps, None)
    _migration("meetings.migrations.0009_records_follow_their_sessions_series").follow(apps, None)

    first.refresh_from_db()
    second.refresh_from_db()
    skip.refresh_from_db()
    assert first.series != second.series
    assert first.series.startswith("main@")
    assert skip.series == f"skip:{org['leader'].pk}:{org['employee'].pk}"
    point.refresh_from_db()
    assert (point.series, point.done_in, point.done_at) == (first.series, None, None)
    assert ActionItem.objects.get().series == first.series
    assert list(TalkingPoint.objects.of_series(second)) == []
