"""EE6 social events: RSVP yes, no or maybe, with capacity, waitlist and attendance."""

import pytest
from django.urls import reverse

from feedback import windows as feedback_windows
from meetings.models import Note
from scheduling import access as scheduling_access
from scheduling.calendar import feed_sessions
from scheduling.models import WITHOUT_PLACE, Participant, Session, SignUp
from tests.factories import make_program, make_session, page_of


@pytest.fixture
def party(org):
    program = make_program("EE6", owner=org["hr"], name="Summer barbecue")
    return make_session(program, [(org["hr"], "host")], hours_from_now=72, capacity=1)


def _rsvp(client, person, session, answer):
    client.force_login(person)
    return client.post(
        reverse("scheduling:session_rsvp", args=[session.pk]), {"answer": answer}, follow=True
    )


def test_yes_takes_a_seat_and_a_full_event_waitlists(
    client, org, party, django_capture_on_commit_callbacks
):
    _rsvp(client, org["employee"], party, "yes")
    page = _rsvp(client, org["colleague"], party, "yes").content.decode()
    assert "on the waitlist" in page
    seats = dict(
        Participant.objects.filter(session=party, planned=False).values_list(
            "person__username", "signup"
        )
    )
    assert seats == {"employee": "confirmed", "colleague": "waitlisted"}

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _rsvp(client, org["employee"], party, "maybe")
    assert len(callbacks) == 1  # the promoted colleague is told
    seats = dict(
        Participant.objects.filter(session=party, planned=False).values_list(
            "person__username", "signup"
        )
    )
    assert seats == {"employee": "maybe", "colleague": "confirmed"}


def test_maybe_holds_no_seat_and_no_leaves_the_calendar(client, org, party):
    _rsvp(client, org["employee"], party, "maybe")
    page = _rsvp(client, org["colleague"], party, "yes").content.decode()
    assert "0 of 1" not in page
    assert "1 of 1 seats taken" in page
    assert "1 going · 1 maybe · 0 can't come" in page
    assert party in feed_sessions(org["employee"])

    page = _rsvp(client, org["employee"], party, "no").content.decode()
    assert "You told the host you can't come." in page
    assert party not in feed_sessions(org["employee"])
    assert party not in Session.objects.with_place_for(org["employee"])
    assert party in Session.objects.with_place_for(org["colleague"])


def test_someone_who_declined_cannot_write_in_the_event(client, org):
    program = make_program("EE6", owner=org["hr"])
    event = make_session(program, [(org["hr"], "host")], hours_from_now=-1)
    Participant.objects.create(
        session=event, person=org["employee"], role="attendee", signup="declined", rsvp="no"
    )
    client.force_login(org["employee"])
    client.post(
        reverse("meetings:note_save", args=[event.pk]), {"save": "shared", "shared-body": "hello"}
    )
    assert not Note.objects.exists()


@pytest.mark.parametrize("answer", ["", "perhaps", "YES"])
def test_a_bad_answer_changes_nothing(client, org, party, answer):
    page = _rsvp(client, org["employee"], party, answer).content.decode()
    assert "Answer yes, no or maybe." in page
    assert not Participant.objects.filter(person=org["employee"]).exists()


def test_rsvp_is_for_the_events_audience_and_before_it_starts(client, org):
    program = make_program("EE6", owner=org["hr"])
    past = make_session(program, [(org["hr"], "host")], hours_from_now=-1)
    page = _rsvp(client, org["employee"], past, "yes").content.decode()
    assert "Answers have closed" in page
    from engagement.models import AudienceKind

    team_party = make_program(
        "EE6",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
    )
    future = make_session(team_party, [(org["manager"], "host")], hours_from_now=24)
    client.force_login(org["outsider"])
    response = client.post(reverse("scheduling:session_rsvp", args=[future.pk]), {"answer": "yes"})
    assert response.status_code == 404
    assert not Participant.objects.filter(person=org["outsider"]).exists()


def test_the_event_page_offers_yes_maybe_no(client, org, party):
    client.force_login(org["employee"])
    page = client.get(party.get_absolute_url()).content.decode()
    assert "Going?" in page
    for value in ("yes", "maybe", "no"):
        assert f'value="{value}"' in page
    assert ">Sign up<" not in page


def test_the_host_records_attendance_of_those_going(client, org):
    program = make_program("EE6", owner=org["hr"])
    event = make_session(program, [(org["hr"], "host")], hours_from_now=-2)
    for person, signup, rsvp in [
        (org["employee"], "confirmed", "yes"),
        (org["colleague"], "declined", "no"),
    ]:
        Participant.objects.create(
            session=event, person=person, role="attendee", signup=signup, rsvp=rsvp
        )
    client.force_login(org["hr"])
    client.post(
        reverse("meetings:outcome", args=[event.pk]),
        {"status": "held", "attended": [org["employee"].pk]},
    )
    attended = dict(
        Participant.objects.filter(session=event).values_list("person__username", "attended")
    )
    assert attended["employee"] is True
    assert attended["colleague"] is None  # declined: never marked


def test_the_host_is_not_offered_an_rsvp_and_cannot_post_one(client, org, party):
    client.force_login(org["hr"])
    assert "Going?" not in page_of(client.get(party.get_absolute_url()))
    response = client.post(reverse("scheduling:session_rsvp", args=[party.pk]), {"answer": "no"})
    assert response.status_code == 403
    assert not Participant.objects.filter(session=party, rsvp="no").exists()


def test_access_knows_the_same_places_as_scheduling():
    """Who is invited to give feedback and who holds no place split the sign-ups."""

    assert scheduling_access.WITHOUT_PLACE is WITHOUT_PLACE  # one definition, no copy
    assert set(feedback_windows.FEEDBACK_SIGNUPS) | set(WITHOUT_PLACE) == set(SignUp.values) | {""}
    assert not set(feedback_windows.FEEDBACK_SIGNUPS) & set(WITHOUT_PLACE)
