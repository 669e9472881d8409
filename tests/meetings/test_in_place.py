"""The 1-on-1 page works in place (htmx) and without JavaScript, and loses no draft:
talking points, ticks, actions, notes, moods and how it went."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, Note, TalkingPoint
from scheduling.models import Session, SessionStatus
from scheduling.services import HELD_LOG_DAYS
from tests.factories import make_session, page_of

HTMX = {"HTTP_HX_REQUEST": "true"}


def _at(session, day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A time in the session's program zone, ``day_offset`` days from today there."""
    zone = session.program.zone
    day = timezone.localdate(timezone=zone) + timedelta(days=day_offset)
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


@pytest.fixture
def one_on_one(org, team_program):
    """The manager's 1-on-1 with the employee, tomorrow at 10:00."""
    manager, employee = org["manager"], org["employee"]
    session = make_session(
        team_program,
        [(manager, "host"), (employee, "attendee")],
        series=f"pair:{manager.pk}:{employee.pk}",
        start=timezone.now(),
        title="1-on-1",
    )
    start = _at(session, 1, 10)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, planned_start=start, ends_at=start + timedelta(minutes=30)
    )
    session.refresh_from_db()
    return session


def _starting(session, start: datetime) -> Session:
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, planned_start=start, ends_at=start + timedelta(minutes=30)
    )
    session.refresh_from_db()
    return session


# Talking points ------------------------------------------------------------------


def test_a_point_added_in_place_comes_back_as_its_card_only(client, org, one_on_one):
    client.force_login(org["employee"])
    url = reverse("meetings:point_add", args=[one_on_one.pk])
    response = client.post(url, {"text": "Training budget"}, **HTMX)
    assert response.status_code == 200
    card = response.content.decode()
    assert card.lstrip().startswith('<section class="card" id="agenda">')
    assert "<html" not in card
    assert "Training budget" in card
    assert 'name="text"' in card
    assert 'value="Training budget"' not in card  # a fresh field
    assert TalkingPoint.objects.filter(text="Training budget").exists()


def test_a_point_added_without_javascript_goes_back_to_the_agenda(client, org, one_on_one):
    client.force_login(org["employee"])
    response = client.post(
        reverse("meetings:point_add", args=[one_on_one.pk]), {"text": "Rota swap"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{one_on_one.get_absolute_url()}#agenda"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Write the talking point first."),
        ("y" * 301, "At most 300 characters (you typed 301)."),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_a_refused_point_gives_its_form_back_with_the_draft(
    client, org, one_on_one, text, message, htmx
):
    client.force_login(org["employee"])
    url = reverse("meetings:point_add", args=[one_on_one.pk])
    response = client.post(url, {"text": text}, **(HTMX if htmx else {}))
    assert response.status_code == (422 if htmx else 400)
    page = response.content.decode()
    assert message in page
    if text.strip():
        assert f'value="{text}"' in page  # the draft is kept to shorten, not retyped
    assert ("<html" in page) is not htmx
    assert not TalkingPoint.objects.exists()


def test_ticking_in_place_answers_with_the_list_only(client, org, one_on_one):
    client.force_login(org["manager"])
    client.post(reverse("meetings:point_add", args=[one_on_one.pk]), {"text": "Rota"})
    point = TalkingPoint.objects.get()
    url = reverse("meetings:point_tick", args=[one_on_one.pk, point.pk])
    response = client.post(url, **HTMX)
    listing = response.content.decode()
    # The list alone: the add field below it, and whatever is typed there, stays.
    assert listing.lstrip().startswith('<div id="points">')
    assert 'id="point-form"' not in listing
    assert "<s>Rota</s>" in listing
    point.refresh_from_db()
    assert point.done_in == one_on_one


# Notes -----------------------------------------------------------------------------


def test_saving_shared_notes_in_place_leaves_the_private_draft_alone(client, org, one_on_one):
    client.force_login(org["manager"])
    url = reverse("meetings:note_save", args=[one_on_one.pk])
    response = client.post(
        url,
        {"save": "shared", "shared-body": "Agreed the rota", "private-body": "Seems tired"},
        **HTMX,
    )
    assert response.status_code == 200
    card = response.content.decode()
    assert card.lstrip().startswith('<section class="card" id="notes">')
    assert "Agreed the rota" in card
    assert "Saved at" in card
    assert "Seems tired" not in card  # not swapped, so the draft on the page stays
    assert list(Note.objects.values_list("private", "body")) == [(False, "Agreed the rota")]


def test_without_javascript_the_other_note_draft_comes_back_unsaved(client, org, one_on_one):
    client.force_login(org["manager"])
    url = reverse("meetings:note_save", args=[one_on_one.pk])
    response = client.post(
        url, {"save": "shared", "shared-body": "Agreed the rota", "private-body": "Seems tired"}
    )
    assert response.status_code == 200
    page = page_of(response)
    private = page.split('id="private-note"', 1)[1]
    assert "Seems tired</textarea>" in private
    assert "Not saved yet" in private
    assert "Shared notes saved." in page
    assert list(Note.objects.values_list("private", "body")) == [(False, "Agreed the rota")]
    # Nothing else typed: back to the notes, as before.
    again = client.post(
        url, {"save": "private", "private-body": "Seems tired", "shared-body": "Agreed the rota"}
    )
    assert again.status_code == 302
    assert again["Location"].endswith("#notes")
    assert Note.objects.get(private=True).body == "Seems tired"


@pytest.mark.parametrize("htmx", [True, False])
def test_an_over_long_note_is_refused_and_kept(client, org, one_on_one, htmx):
    client.force_login(org["manager"])
    body = "n" * 20001
    response = client.post(
        reverse("meetings:note_save", args=[one_on_one.pk]),
        {"save": "private", "private-body": body},
        **(HTMX if htmx else {}),
    )
    assert response.status_code == (422 if htmx else 400)
    page = response.content.decode()
    assert "At most 20000 characters (you typed 20001)." in page
    assert f"{body}</textarea>" in page
    assert not Note.objects.exists()


# Actions ---------------------------------------------------------------------------


@pytest.mark.parametrize(("viewer", "other"), [("manager", "employee"), ("employee", "manager")])
def test_the_owner_list_starts_on_the_other_person(client, org, one_on_one, viewer, other):
    client.force_login(org[viewer])
    page = page_of(client.get(one_on_one.get_absolute_url()))
    form = page.split('id="action-form"', 1)[1].split("</form>", 1)[0]
    assert f'<option value="{org[other].pk}" selected>' in form
    assert "---------" not in form


def test_an_action_added_in_place_and_done_in_place(client, org, one_on_one):
    client.force_login(org["manager"])
    response = client.post(
        reverse("meetings:action_add", args=[one_on_one.pk]),
        {"text": "Book the course", "owner": org["employee"].pk},
        **HTMX,
    )
    card = response.content.decode()
    assert card.lstrip().startswith('<section class="card" id="actions">')
    assert "Book the course" in card
    item = ActionItem.objects.get()
    response = client.post(
        reverse("meetings:action_toggle", args=[item.pk]),
        {"session": one_on_one.pk, "next": one_on_one.get_absolute_url()},
        **HTMX,
    )
    listing = response.content.decode()
    assert listing.lstrip().startswith('<div id="action-list">')
    assert "<s>Book the course</s>" in listing
    item.refresh_from_db()
    assert not item.is_open


def test_a_refused_action_in_place_keeps_what_was_typed(client, org, one_on_one):
    client.force_login(org["manager"])
    response = client.post(
        reverse("meetings:action_add", args=[one_on_one.pk]),
        {"text": "Late", "owner": org["employee"].pk, "due_on": "2020-01-01"},
        **HTMX,
    )
    assert response.status_code == 422
    card = response.content.decode()
    assert "The due date cannot be in the past." in card
    assert 'value="Late"' in card
    assert not ActionItem.objects.exists()


def test_the_mood_in_place(client, org, one_on_one):
    client.force_login(org["employee"])
    url = reverse("meetings:mood", args=[one_on_one.pk])
    card = client.post(url, {"mood": "4"}, **HTMX).content.decode()
    assert card.lstrip().startswith('<section class="card" id="mood">')
    assert 'id="mood-4" aria-pressed="true"' in card
    refused = client.post(url, {"mood": "9"}, **HTMX)
    assert refused.status_code == 422
    assert "Choose a mood from 1 to 5." in refused.content.decode()


# How it went -----------------------------------------------------------------------


def test_held_is_recorded_on_the_day_before_the_start(client, org, one_on_one):
    now = timezone.localtime(timezone.now(), one_on_one.program.zone)
    later_today = min(now + timedelta(minutes=30), _at(one_on_one, 0, 23, 59))
    if later_today <= now:
        pytest.skip("too close to midnight for a later time today")
    _starting(one_on_one, later_today)
    client.force_login(org["manager"])
    page = page_of(client.get(one_on_one.get_absolute_url()))
    main = page.split('<main id="content"', 1)[1]  # the phone menu is a <details> too
    assert 'id="outcome-form"' in main.split("<details", 1)[0]  # offered, not folded away
    response = client.post(
        reverse("meetings:outcome", args=[one_on_one.pk]),
        {"status": "held", "attended": [org["employee"].pk, org["manager"].pk]},
    )
    assert response.status_code == 302
    one_on_one.refresh_from_db()
    assert one_on_one.status == SessionStatus.HELD
    assert one_on_one.starts_at == later_today  # as planned
    assert set(one_on_one.participants.values_list("attended", flat=True)) == {True}


def test_a_meeting_planned_for_a_later_day_is_logged_when_it_took_place(client, org, one_on_one):
    client.force_login(org["manager"])
    url = reverse("meetings:outcome", args=[one_on_one.pk])
    page = page_of(client.get(one_on_one.get_absolute_url()))
    assert "Already took place?" in page  # folded away before its day
    # As planned (tomorrow): refused beside the day, nothing changed.
    planned = timezone.localtime(one_on_one.starts_at, one_on_one.program.zone)
    refused = client.post(
        url,
        {
            "status": "held",
            "started_on": planned.date().isoformat(),
            "started_time": "10:00",
        },
    )
    assert refused.status_code == 400
    field = refused.content.decode().split('id="field-started_on"', 1)[1].split("</div>", 1)[0]
    assert "It is planned for a later day" in field
    # Yesterday at 15:30: it moves there and counts as held.
    yesterday = _at(one_on_one, -1, 15, 30)
    response = client.post(
        url,
        {
            "status": "held",
            "attended": [org["employee"].pk],
            "started_on": yesterday.date().isoformat(),
            "started_time": "15:30",
        },
        **HTMX,
    )
    assert response.status_code == 200
    card = response.content.decode()
    assert 'id="session-status" hx-swap-oob="true"' in card
    assert '<section id="manage" hx-swap-oob="delete">' in card
    one_on_one.refresh_from_db()
    assert one_on_one.status == SessionStatus.HELD
    assert one_on_one.starts_at == yesterday
    assert one_on_one.ends_at == yesterday + timedelta(minutes=30)
    assert one_on_one.moved_from == planned


@pytest.mark.parametrize("htmx", [True, False])
def test_a_meeting_cannot_be_logged_in_the_far_past(client, org, one_on_one, htmx):
    client.force_login(org["manager"])
    far = _at(one_on_one, -(HELD_LOG_DAYS + 5), 9)
    response = client.post(
        reverse("meetings:outcome", args=[one_on_one.pk]),
        {"status": "held", "started_on": far.date().isoformat(), "started_time": "09:00"},
        **(HTMX if htmx else {}),
    )
    assert response.status_code == (422 if htmx else 400)
    page = response.content.decode()
    assert f"Choose a day in the last {HELD_LOG_DAYS} days" in page
    assert f'value="{far.date().isoformat()}"' in page
    planned = one_on_one.starts_at
    one_on_one.refresh_from_db()
    assert (one_on_one.status, one_on_one.starts_at) == (SessionStatus.SCHEDULED, planned)


def test_a_refused_move_is_shown_beside_the_move_form(client, org, one_on_one):
    client.force_login(org["manager"])
    response = client.post(
        reverse("scheduling:session_move", args=[one_on_one.pk]),
        {
            "starts_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "start_time": "09:00",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    # The form posts to its own anchor, so the answer opens at the card, with the
    # message inside the form that caused it.
    manage = page.split('id="manage"', 1)[1]
    form = manage.split('id="move-form"', 1)[1].split("</form>", 1)[0]
    assert "Choose a time in the future." in form
    assert "recorded as held instead" in form
    assert f"{reverse('scheduling:session_move', args=[one_on_one.pk])}#manage" in page


def test_the_page_loads_htmx_from_this_host(client, org, one_on_one):
    client.force_login(org["manager"])
    page = page_of(client.get(one_on_one.get_absolute_url()))
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in page
    assert '"includeIndicatorStyles": false' in page
