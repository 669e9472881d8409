"""Calendars: the private subscription feed, .ics downloads, "My calendar" and settings."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from engagement.models import AudienceKind, Person
from scheduling.models import (
    CalendarFeed,
    Participant,
    ParticipantRole,
    Session,
    SessionStatus,
    SignUp,
)
from scheduling.planner import session_plan
from tests.factories import make_program

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 3, 1, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    """Pages and feeds read the clock; pin it to the planning time."""
    current = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: current["now"])
    return current


@pytest.fixture
def program(org, clock):
    """Biweekly 1-on-1s of the manager's team, 09:00 Berlin from Monday 1 March 2027."""
    program = make_program(
        "EE10",
        owner=org["manager"],
        name="Shift B 1-on-1s",
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        starts_on=date(2027, 3, 1),
        start_time=time(9, 0),
        time_zone="Europe/Berlin",
    )
    session_plan(program=program, now=NOW)
    return program


def _feed_url(person: Person) -> str:
    feed, _ = CalendarFeed.objects.get_or_create(person=person)
    return reverse("scheduling:calendar_feed", args=[feed.token])


def _feed(client, person: Person) -> Calendar:
    response = client.get(_feed_url(person))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> list:
    return recurring_ical_events.of(calendar).between(
        NOW - timedelta(days=60), NOW + timedelta(days=400)
    )


def _uids(events) -> set[str]:
    return {str(event["UID"]) for event in events}


def _uid(session: Session) -> str:
    return f"{session.uid}@rapport"


def _sessions_of(person: Person):
    return Session.objects.filter(participants__person=person).order_by("starts_at")


# The feed ----------------------------------------------------------------------


def test_feed_agrees_with_the_database(client, org, program):
    employee = org["employee"]
    response = client.get(_feed_url(employee))  # calendar apps do not sign in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="rapport.ics"'

    calendar = Calendar.from_ical(response.content)
    assert str(calendar["PRODID"]) == "-//Rapport//Engagement programs//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert "X-WR-CALNAME" in calendar
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content
    assert b"X-PUBLISHED-TTL:PT1H" in response.content

    sessions = list(_sessions_of(employee))
    assert len(sessions) == 4  # 1 and 15 March, 29 March, 12 April within eight weeks
    events = _events(calendar)
    assert len(events) == len(sessions)
    assert _uids(events) == {_uid(s) for s in sessions}
    by_uid = {str(e["UID"]): e for e in events}
    for session in sessions:
        event = by_uid[_uid(session)]
        assert event.start.astimezone(UTC) == session.starts_at
        assert event.end.astimezone(UTC) == session.ends_at
        assert str(event["SUMMARY"]) == session.title
        assert str(event["STATUS"]) == "CONFIRMED"
        assert int(event["SEQUENCE"]) == session.sequence
        assert str(event["URL"]).endswith(session.get_absolute_url())
        assert program.name in str(event["DESCRIPTION"])


def test_the_feed_costs_two_queries_however_many_sessions(
    client, org, program, django_assert_num_queries
):
    url = _feed_url(org["manager"])  # eight sessions
    with django_assert_num_queries(2):  # the feed and its person, then the sessions
        assert client.get(url).status_code == 200


def test_it_keeps_0900_berlin_on_both_sides_of_dst(client, org, program):
    response = client.get(_feed_url(org["employee"]))
    assert b"BEGIN:VTIMEZONE" in response.content
    assert b"TZID:Europe/Berlin" in response.content
    assert response.content.count(b"DTSTART;TZID=Europe/Berlin:") == 4
    events = _events(Calendar.from_ical(response.content))
    starts = [event.start for event in sorted(events, key=lambda e: e.start)]
    assert [(s.hour, s.minute) for s in starts] == [(9, 0)] * 4
    assert {s.tzname() for s in starts} == {"CET", "CEST"}  # before and after 28 March
    assert [s.astimezone(UTC).hour for s in starts] == [8, 8, 7, 7]


def test_uid_is_stable_across_replanning(client, org, program):
    before = _uids(_events(_feed(client, org["employee"])))
    session_plan(program=program, now=NOW)
    assert _uids(_events(_feed(client, org["employee"]))) == before

    gone = _sessions_of(org["employee"]).last()
    old_uid = _uid(gone)
    gone.delete()
    session_plan(program=program, now=NOW)
    again = _sessions_of(org["employee"]).last()
    assert again.pk != gone.pk
    assert _uid(again) == old_uid
    assert _uids(_events(_feed(client, org["employee"]))) == before


def test_a_cancelled_session_stays_with_status_cancelled_and_a_higher_sequence(
    client, org, program
):
    session = _sessions_of(org["employee"])[1]
    session.status = SessionStatus.CANCELLED
    session.touched = True
    session.sequence += 1
    session.save()

    events = {str(e["UID"]): e for e in _events(_feed(client, org["employee"]))}
    assert len(events) == 4
    cancelled = events[_uid(session)]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 1
    others = [e for uid, e in events.items() if uid != _uid(session)]
    assert {str(e["STATUS"]) for e in others} == {"CONFIRMED"}
    assert {int(e["SEQUENCE"]) for e in others} == {0}


def test_the_feed_holds_only_the_persons_own_sessions(client, org, program):
    employee_feed = _uids(_events(_feed(client, org["employee"])))
    colleague_sessions = {_uid(s) for s in _sessions_of(org["colleague"])}
    assert colleague_sessions
    assert not employee_feed & colleague_sessions
    manager_feed = _uids(_events(_feed(client, org["manager"])))
    assert manager_feed == employee_feed | colleague_sessions
    assert _events(_feed(client, org["outsider"])) == []


def test_the_feed_keeps_30_days_of_the_past(client, org, program, clock):
    clock["now"] = datetime(2027, 4, 20, tzinfo=UTC)
    events = _events(_feed(client, org["employee"]))
    starts = sorted(e.start.date() for e in events)
    assert starts == [date(2027, 3, 29), date(2027, 4, 12)]


def test_a_waitlisted_place_is_marked_in_the_summary(client, org, program):
    session = _sessions_of(org["employee"]).first()
    Participant.objects.create(
        session=session,
        person=org["outsider"],
        role=ParticipantRole.ATTENDEE,
        planned=False,
        signup=SignUp.WAITLISTED,
    )
    (event,) = _events(_feed(client, org["outsider"]))
    assert str(event["SUMMARY"]) == f"{session.title} (waitlist)"


def test_a_due_date_is_an_all_day_event(client, org, clock):
    program = make_program(
        "EE1", owner=org["hr"], starts_on=date(2027, 3, 1), time_zone="Europe/Berlin"
    )
    session_plan(program=program, now=NOW)
    session = _sessions_of(org["employee"]).get(program=program)
    (event,) = _events(_feed(client, org["employee"]))
    due = session.due_at.astimezone(BERLIN).date()
    assert event.start == due
    assert event.end == due + timedelta(days=1)
    assert str(event["SUMMARY"]) == f"Due: {session.title}"


def test_an_unknown_token_is_404(client, org, program):
    response = client.get(reverse("scheduling:calendar_feed", args=["not-a-token"]))
    assert response.status_code == 404


def test_regenerating_kills_the_old_link(client, org, program):
    employee = org["employee"]
    client.force_login(employee)
    assert client.get(reverse("scheduling:my_calendar")).status_code == 200
    old = CalendarFeed.objects.get(person=employee)
    old_url = reverse("scheduling:calendar_feed", args=[old.token])
    assert client.get(old_url).status_code == 200

    assert client.get(reverse("scheduling:feed_regenerate")).status_code == 405
    response = client.post(reverse("scheduling:feed_regenerate"), follow=True)
    assert response.redirect_chain == [(reverse("scheduling:my_calendar"), 302)]
    assert "Your old calendar link no longer works" in response.content.decode()

    new = CalendarFeed.objects.get(person=employee)
    assert new.token != old.token
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(reverse("scheduling:calendar_feed", args=[new.token])).status_code == 200


def test_a_person_who_left_has_no_feed(client, org, program):
    url = _feed_url(org["employee"])
    Person.objects.filter(pk=org["employee"].pk).update(is_active=False)
    assert client.get(url).status_code == 404


# One session as a file ------------------------------------------------------------


def test_a_participant_downloads_the_session_and_an_outsider_gets_404(client, org, program):
    session = _sessions_of(org["employee"]).first()
    url = reverse("scheduling:session_ics", args=[session.pk])

    client.force_login(org["employee"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    (event,) = _events(Calendar.from_ical(response.content))
    assert str(event["UID"]) == _uid(session)
    assert event.start.astimezone(UTC) == session.starts_at

    client.force_login(org["outsider"])
    assert client.get(url).status_code == 404


# My calendar ----------------------------------------------------------------------


def test_my_calendar_lists_my_sessions_and_my_link(client, org, program):
    client.force_login(org["employee"])
    response = client.get(reverse("scheduling:my_calendar"))
    assert response.status_code == 200
    page = response.content.decode()
    mine = list(_sessions_of(org["employee"]))
    for session in mine:
        assert session.get_absolute_url() in page
    assert escape(mine[0].title) in page
    for session in _sessions_of(org["colleague"]):
        assert session.get_absolute_url() not in page
    feed = CalendarFeed.objects.get(person=org["employee"])
    assert f"http://testserver/calendar/feed/{feed.token}.ics" in page
    assert response.context["table"].paginator.count == 4


@pytest.mark.parametrize("sort", ["when", "-when", "title", "program", "role", "status", "due"])
def test_my_calendar_sorts_by_every_column(client, org, program, sort):
    client.force_login(org["manager"])
    response = client.get(reverse("scheduling:my_calendar"), {"sort": sort})
    assert response.status_code == 200
    assert response.context["table"].paginator.count == 8


def test_my_calendar_shows_times_in_my_zone(client, org, program):
    Person.objects.filter(pk=org["employee"].pk).update(time_zone="America/New_York")
    client.force_login(Person.objects.get(pk=org["employee"].pk))
    page = client.get(reverse("scheduling:my_calendar")).content.decode()
    assert "Mon 01 Mar 2027, 03:00" in page  # 09:00 Berlin


def test_my_calendar_says_what_to_do_when_empty(client, org, program):
    client.force_login(org["outsider"])
    response = client.get(reverse("scheduling:my_calendar"))
    assert response.status_code == 200
    assert "Nothing planned for you yet" in response.content.decode()


def test_my_calendar_needs_sign_in(client, org):
    response = client.get(reverse("scheduling:my_calendar"))
    assert response.status_code == 302


# Settings -----------------------------------------------------------------------------


def test_a_person_turns_reminders_off(client, org):
    client.force_login(org["employee"])
    response = client.post(
        reverse("scheduling:my_settings"), {"time_zone": "America/New_York"}, follow=True
    )
    assert response.redirect_chain == [(reverse("scheduling:my_settings"), 302)]
    assert "Your settings are saved" in response.content.decode()
    employee = Person.objects.get(pk=org["employee"].pk)
    assert employee.email_reminders is False
    assert employee.time_zone == "America/New_York"


def test_an_empty_time_zone_is_allowed(client, org):
    Person.objects.filter(pk=org["employee"].pk).update(time_zone="Europe/Berlin")
    client.force_login(org["employee"])
    response = client.post(
        reverse("scheduling:my_settings"), {"email_reminders": "on", "time_zone": ""}
    )
    assert response.status_code == 302
    employee = Person.objects.get(pk=org["employee"].pk)
    assert employee.time_zone == ""
    assert employee.email_reminders is True


def test_a_bad_time_zone_gets_the_form_back_with_an_error(client, org):
    client.force_login(org["employee"])
    response = client.post(
        reverse("scheduling:my_settings"), {"email_reminders": "", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "time_zone" in form.errors
    assert "not a known time zone" in response.content.decode()
    employee = Person.objects.get(pk=org["employee"].pk)
    assert employee.time_zone == ""
    assert employee.email_reminders is True
