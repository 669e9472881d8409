"""Session pages: what they show, how they change, and what bad input gets back. Who
may open or change them is in the role matrix (tests/test_access_matrix.py)."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from engagement import extensions
from engagement.models import AudienceKind
from scheduling.models import Session, SessionStatus, SignUp
from scheduling.planner import session_plan
from scheduling.views.sessions import session_page
from tests.factories import make_program, page_of


@pytest.fixture
def one_on_one(org, team_program):
    team_program.starts_on = timezone.localdate()
    team_program.save()
    session_plan(program=team_program)
    return Session.objects.filter(
        program=team_program, series=f"pair:{org['manager'].pk}:{org['employee'].pk}"
    ).earliest("starts_at")


def test_others_see_a_program_without_its_private_1_on_1s(client, org, one_on_one):
    client.force_login(org["colleague"])
    html = client.get(one_on_one.program.get_absolute_url()).content.decode()
    assert one_on_one.get_absolute_url() not in html  # the employee's pair
    assert f"{org['colleague']}" in html.split('id="sessions"', 1)[1]  # their own


def test_who_owes_a_submission_is_shown_to_the_owner_only(client, org):
    program = make_program(
        "EE4",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        starts_on=timezone.localdate(),
    )
    session_plan(program=program)
    period = Session.objects.filter(program=program).earliest("starts_at")
    client.force_login(org["employee"])
    html = client.get(period.get_absolute_url()).content.decode()
    assert str(org["colleague"]) not in html
    assert "2 people owe a submission" in html
    client.force_login(org["manager"])
    html = client.get(period.get_absolute_url()).content.decode()
    assert str(org["colleague"]) in html, html.split('id="people"')[1][:1500]


def test_program_page_lists_upcoming_sessions(client, org, team_program, one_on_one):
    client.force_login(org["manager"])
    html = client.get(team_program.get_absolute_url()).content.decode()
    section = html.split('id="sessions"', 1)[1]
    assert one_on_one.get_absolute_url() in section
    assert "1-on-1:" in section


def test_the_host_moves_a_session(client, org, one_on_one):
    client.force_login(org["manager"])
    new_day = (one_on_one.starts_at + timedelta(days=2)).astimezone(one_on_one.program.zone)
    response = client.post(
        reverse("scheduling:session_move", args=[one_on_one.pk]),
        {"starts_on": new_day.date().isoformat(), "start_time": "14:15"},
    )
    assert response.status_code == 302
    one_on_one.refresh_from_db()
    local = one_on_one.starts_at.astimezone(one_on_one.program.zone)
    assert (local.date(), local.hour, local.minute) == (new_day.date(), 14, 15)
    assert one_on_one.touched
    assert one_on_one.sequence == 1


def test_only_a_session_a_person_moved_is_labelled_moved(client, org, team_program, one_on_one):
    # The colleague's 1-on-1 is laid straight after the employee's, in the same slot.
    second = Session.objects.filter(
        program=team_program, series=f"pair:{org['manager'].pk}:{org['colleague'].pk}"
    ).earliest("starts_at")
    assert second.starts_at == one_on_one.ends_at
    assert second.planned_start == one_on_one.planned_start
    client.force_login(org["manager"])
    program_page = client.get(team_program.get_absolute_url()).content.decode()
    assert "1-on-1:" in program_page
    assert "(moved)" not in program_page
    assert "Originally" not in page_of(client.get(second.get_absolute_url()))

    zone = team_program.zone
    laid_at = second.starts_at.astimezone(zone)
    new_day = laid_at + timedelta(days=1)
    client.post(
        reverse("scheduling:session_move", args=[second.pk]),
        {"starts_on": new_day.date().isoformat(), "start_time": "16:00"},
    )
    page = client.get(second.get_absolute_url()).content.decode()
    originally = page.split("<dt>Originally</dt>", 1)[1].split("</dd>", 1)[0]
    assert f"{laid_at:%H:%M}" in originally  # where the planner had put it
    assert client.get(team_program.get_absolute_url()).content.decode().count("(moved)") == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts_on": "2020-01-01", "start_time": "10:00"}, "Choose a time in the future."),
        ({"starts_on": "not a date", "start_time": "10:00"}, "Enter a valid date."),
        ({"starts_on": "2030-01-01", "start_time": "25:00"}, "Enter a valid time."),
    ],
)
def test_a_bad_move_returns_the_form_with_a_message(client, org, one_on_one, data, message):
    client.force_login(org["manager"])
    response = client.post(reverse("scheduling:session_move", args=[one_on_one.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    before = one_on_one.starts_at
    one_on_one.refresh_from_db()
    assert one_on_one.starts_at == before
    assert not one_on_one.touched


def test_sign_up_past_capacity_goes_to_the_waitlist(client, org):
    program = make_program(
        "EE15",
        owner=org["hr"],
        audience_kind=AudienceKind.DEPARTMENTS,
        starts_on=timezone.localdate() + timedelta(days=3),
        config={"capacity": 1, "location": "Room 4", "reminder_lead_hours": 24},
    )
    program.audience_departments.set([org["departments"]["operations"]])
    session_plan(program=program)
    session = Session.objects.filter(program=program).earliest("starts_at")
    url = reverse("scheduling:session_sign_up", args=[session.pk])

    client.force_login(org["employee"])
    assert "Sign up" in client.get(session.get_absolute_url()).content.decode()
    client.post(url)
    client.force_login(org["colleague"])
    page = client.post(url, follow=True).content.decode()
    assert "you are on the waitlist" in page
    assert session.participants.get(person=org["colleague"]).signup == SignUp.WAITLISTED
    page = client.post(url, follow=True).content.decode()
    assert "already signed up" in page

    client.force_login(org["outsider"])  # Sales is not in the audience
    assert client.post(url).status_code == 404

    client.force_login(org["employee"])
    client.post(reverse("scheduling:session_withdraw", args=[session.pk]))
    assert session.participants.get(person=org["colleague"]).signup == SignUp.CONFIRMED


def test_a_held_session_cannot_be_cancelled(client, org, one_on_one):
    Session.objects.filter(pk=one_on_one.pk).update(status=SessionStatus.HELD)
    client.force_login(org["manager"])
    page = client.post(
        reverse("scheduling:session_cancel", args=[one_on_one.pk]), follow=True
    ).content.decode()
    assert "can no longer be cancelled" in page


def test_a_period_page_shows_its_due_date(client, org):
    program = make_program(
        "EE4",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=MONTHLY",
        starts_on=date(2027, 1, 1),
        time_zone="UTC",
    )
    session_plan(program=program, now=datetime(2027, 3, 1, tzinfo=UTC))
    period = Session.objects.get(program=program, planned_start=datetime(2027, 3, 1, 9, tzinfo=UTC))
    client.force_login(org["employee"])
    html = client.get(period.get_absolute_url()).content.decode()
    assert "Due" in html
    assert "Sunday 4 April 2027" in html


def test_home_shows_my_next_sessions(client, org, one_on_one):
    # The today list shows the coming week's meetings.
    Session.objects.filter(pk=one_on_one.pk).update(starts_at=timezone.now() + timedelta(days=2))
    client.force_login(org["employee"])
    section = client.get("/").content.decode().split('id="today"', 1)[1]
    assert one_on_one.get_absolute_url() in section
    client.force_login(org["outsider"])
    section = client.get("/").content.decode().split('id="today"', 1)[1]
    assert "No meetings in the coming week" in section


def test_a_confirmed_place_shows_even_when_others_are_waitlisted(client, org):
    program = make_program(
        "EE15",
        owner=org["hr"],
        starts_on=timezone.localdate() + timedelta(days=2),
        config={"capacity": 1, "location": "Room 4", "reminder_lead_hours": 24},
    )
    session_plan(program=program)
    session = Session.objects.filter(program=program).earliest("starts_at")
    from scheduling import services

    services.session_sign_up(session=session, person=org["employee"])
    services.session_sign_up(session=session, person=org["colleague"])  # waitlisted
    client.force_login(org["employee"])
    section = client.get("/").content.decode().split('id="today"', 1)[1]
    assert session.get_absolute_url() in section
    client.force_login(org["colleague"])
    section = client.get("/").content.decode().split('id="today"', 1)[1]
    assert session.get_absolute_url() not in section


def test_a_cancel_reason_with_a_nul_byte_is_refused_and_nothing_changes(client, org, one_on_one):
    client.force_login(org["manager"])
    page = client.post(
        reverse("scheduling:session_cancel", args=[one_on_one.pk]),
        {"reason": "Sick\x00"},
        follow=True,
    ).content.decode()
    assert "Null characters are not allowed" in page
    one_on_one.refresh_from_db()
    assert one_on_one.status == SessionStatus.SCHEDULED
    assert one_on_one.cancel_reason == ""


class _NoteForm(forms.Form):
    text = forms.CharField(label="Probe note", max_length=5)


@pytest.fixture
def probe_sections():
    """Sections an app above would register on the session page, for the page's side of
    the protocol: placed where they belong, each handed its own bound form."""
    seen = []

    def context(request, session, bound):
        seen.append(bound)
        return {"field": (bound or _NoteForm())["text"]}

    added = [
        extensions.Section("session", "probe", "snippets/field.html", context),
        extensions.Section("session_actions", "probe_action", "snippets/field.html", context),
    ]
    extensions.registry.sections.extend(added)
    yield seen
    for section in added:
        extensions.registry.sections.remove(section)


def test_the_session_page_renders_the_registered_sections_with_their_bound_form(
    rf, org, one_on_one, probe_sections
):
    request = rf.get("/")
    request.user = org["manager"]
    response = session_page(request, one_on_one.pk)
    assert response.status_code == 200
    assert response.content.decode().count("Probe note") == 2
    assert probe_sections == [None, None]

    form = _NoteForm({"text": "far too long"})
    assert not form.is_valid()
    response = session_page(request, one_on_one.pk, bound_forms={"probe": form}, status=400)
    assert response.status_code == 400
    assert "at most 5 characters" in response.content.decode()
    assert probe_sections[2:] == [None, form]  # the actions' head comes first


def test_the_session_page_names_no_upper_app(client, org, one_on_one):
    """What meetings and feedback add comes through the registry, not by name."""
    source = Path(settings.BASE_DIR, "templates/scheduling/session_detail.html").read_text()
    assert "meetings" not in source
    assert "feedback" not in source
