"""The Django admin is no back door to private sessions, for superusers neither."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from engagement.models import AudienceKind
from scheduling.models import Participant, Reminder
from tests.factories import make_person, make_program, make_session, page_of


@pytest.fixture
def operator(db):
    from engagement.models import Person

    return Person.objects.create_superuser("root", "root@example.com", "pw")


@pytest.fixture
def sessions(org):
    manager, employee, leader = org["manager"], org["employee"], org["leader"]
    team = {"audience_kind": AudienceKind.TEAM, "audience_manager": manager}
    one_on_ones = make_program("EE10", owner=manager, name="Pairwise Alpha", **team)
    skip_levels = make_program("EE9", owner=leader, name="Skipwise Beta")
    team_meetings = make_program("EE11", owner=manager, name="Team meeting of Shift B", **team)
    return {
        "pair": make_session(
            one_on_ones,
            [(manager, "host"), (employee, "attendee")],
            series=f"pair:{manager.pk}:{employee.pk}",
        ),
        "skip": make_session(
            skip_levels,
            [(leader, "host"), (employee, "attendee")],
            series=f"skip:{leader.pk}:{employee.pk}",
        ),
        "team": make_session(
            team_meetings,
            [(manager, "host"), (employee, "attendee")],
            series=f"team:{manager.pk}",
        ),
    }


def _change_url(session):
    return reverse("admin:scheduling_session_change", args=[session.pk])


@pytest.mark.parametrize("who", ["operator", "hr"])
def test_private_sessions_are_not_listed_or_searchable(client, org, operator, sessions, who):
    user = operator if who == "operator" else org["hr"]
    user.is_staff = True
    user.save()
    client.force_login(user)
    listing = client.get(reverse("admin:scheduling_session_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Team meeting of Shift B" in page
    assert "Pairwise Alpha" not in page
    assert "Skipwise Beta" not in page
    found = client.get(reverse("admin:scheduling_session_changelist"), {"q": "wise"})
    assert "Pairwise Alpha" not in page_of(found)


@pytest.mark.parametrize("view", ["change", "delete", "history"])
@pytest.mark.parametrize("kind", ["pair", "skip"])
def test_a_superuser_gets_404_on_a_private_sessions_admin_urls(
    client, operator, sessions, kind, view
):
    client.force_login(operator)
    session = sessions[kind]
    url = reverse(f"admin:scheduling_session_{view}", args=[session.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"post": "yes", "title": "mine now"}).status_code == 404
    session.refresh_from_db()
    assert session.title != "mine now"


def test_a_private_session_looks_like_no_session_at_all(client, operator, sessions):
    client.force_login(operator)
    private = client.get(_change_url(sessions["pair"]))
    missing = client.get(reverse("admin:scheduling_session_change", args=[999_999]))
    assert private.status_code == missing.status_code == 404


def test_the_group_session_stays_in_the_admin(client, operator, sessions):
    client.force_login(operator)
    page = client.get(_change_url(sessions["team"]))
    assert page.status_code == 200
    assert "Team meeting of Shift B" in page.content.decode()


def test_reminders_of_private_sessions_are_left_out(client, org, operator, sessions):
    from django.utils import timezone

    for kind in ("pair", "team"):
        Reminder.objects.create(
            session=sessions[kind], person=org["employee"], kind="before", send_after=timezone.now()
        )
    client.force_login(operator)
    page = client.get(reverse("admin:scheduling_reminder_changelist")).content.decode()
    assert "Team meeting of Shift B" in page
    assert "Pairwise Alpha" not in page
    private = Reminder.objects.get(session=sessions["pair"])
    url = reverse("admin:scheduling_reminder_change", args=[private.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", ["pair", "skip"])
def test_nobody_but_the_two_people_joins_a_private_session(org, operator, sessions, kind):
    session = sessions[kind]
    for intruder in (operator, org["hr"], org["colleague"]):
        participant = Participant(session=session, person=intruder, role="attendee")
        with pytest.raises(ValidationError, match="private session"):
            participant.full_clean()


def test_the_two_people_are_valid_participants(org, sessions):
    pair = sessions["pair"]
    Participant.objects.filter(session=pair).delete()
    for person in (org["manager"], org["employee"]):
        Participant(session=pair, person=person, role="attendee").full_clean()
    skip = sessions["skip"]
    Participant.objects.filter(session=skip).delete()
    for person in (org["leader"], org["employee"]):
        Participant(session=skip, person=person, role="attendee").full_clean()


def test_anyone_may_join_a_group_session(org, sessions):
    newcomer = make_person("newcomer", manager=org["manager"])
    Participant(session=sessions["team"], person=newcomer, role="attendee").full_clean()


def test_a_session_form_in_the_admin_refuses_a_third_person_in_a_private_series(
    client, org, operator, sessions
):
    """Were a private session ever reachable, the inline's model validation still holds."""
    from django.forms import inlineformset_factory

    from scheduling.models import Session

    formset_class = inlineformset_factory(
        Session, Participant, fields=("person", "role"), extra=1, can_delete=False
    )
    session = sessions["pair"]
    existing = list(session.participants.order_by("pk"))
    data = {
        "participants-TOTAL_FORMS": "3",
        "participants-INITIAL_FORMS": "2",
        "participants-0-id": existing[0].pk,
        "participants-0-person": existing[0].person_id,
        "participants-0-role": existing[0].role,
        "participants-1-id": existing[1].pk,
        "participants-1-person": existing[1].person_id,
        "participants-1-role": existing[1].role,
        "participants-2-person": operator.pk,
        "participants-2-role": "attendee",
    }
    formset = formset_class(data, instance=session, prefix="participants")
    assert not formset.is_valid()
    assert "private session" in str(formset.errors)
    assert session.participants.count() == 2


def test_deleting_a_program_does_not_name_its_private_sessions(client, org, operator, sessions):
    """The deletion's confirmation lists what goes with the program; a private session
    is listed without its title, which names the two people (its link is a 404)."""
    pair = sessions["pair"]
    pair.title = "Shift B catch-up of Employee Tester"
    pair.save()
    client.force_login(operator)
    program = pair.program
    page = client.get(reverse("admin:engagement_program_delete", args=[program.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "A private session" in text
    assert "catch-up of Employee" not in text
    assert client.get(_change_url(pair)).status_code == 404


def test_no_staff_member_reaches_a_calendar_feeds_secret(client, org, operator, sessions):
    """The feed opens a person's calendar, private sessions included, without signing
    in: it is not in the admin, and the admin's "view on site" shortcut cannot open it."""
    from django.contrib.contenttypes.models import ContentType

    from scheduling.models import CalendarFeed

    feed = CalendarFeed.objects.create(person=org["employee"])
    kind = ContentType.objects.get_for_model(CalendarFeed)
    for user in (operator, org["hr"]):
        user.is_staff = True
        user.save()
        client.force_login(user)
        shortcut = client.get(f"/admin/r/{kind.pk}/{feed.pk}/")
        assert feed.token not in shortcut.get("Location", "")
        assert shortcut.status_code == 404
        listing = client.get("/admin/scheduling/calendarfeed/")
        assert listing.status_code == 404


def test_nobody_joins_a_group_session_through_the_admin(client, org, operator, sessions):
    """Joining a session opens its records: HR adding themself to a team meeting's
    participants in the admin must change nothing."""
    team = sessions["team"]
    hr = org["hr"]
    hr.is_staff = True
    hr.save()
    client.force_login(hr)
    url = _change_url(team)
    page = client.get(url)
    assert page.status_code == 200
    # No row to add a participant, no field to swap one for another.
    assert "participants-__prefix__-person" not in page.content.decode()
    assert "participants-0-person" not in page.content.decode()
    existing = list(team.participants.values_list("pk", flat=True))
    data = {
        "program": team.program_id,
        "title": team.title,
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-0-person": hr.pk,
        "participants-0-role": "attendee",
        "participants-0-session": team.pk,
    }
    client.post(url, data)
    assert not team.participants.filter(person=hr).exists()
    assert list(team.participants.values_list("pk", flat=True)) == existing


def test_a_skip_level_admits_its_leader_and_employee_by_its_columns(org, sessions):
    """The session names both people (pair_lead, pair_person); the program's owner is
    not one of them unless they are the leader."""

    skip = sessions["skip"]
    assert skip.pair_people == {org["leader"].pk, org["employee"].pk}
