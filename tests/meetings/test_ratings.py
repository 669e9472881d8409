"""Ratings after lunch & learns (EE15) and inter-department sessions (EE14)."""

import pytest
from django.urls import reverse

from engagement.models import AudienceKind
from meetings.models import Rating
from tests.factories import make_program, make_session


def _held_session(program, people, hours_ago=2):
    return make_session(
        program,
        people,
        hours_from_now=-hours_ago,
        status="held",
        touched=True,
        uid=f"00000000-0000-0000-0000-{program.pk:012d}",
    )


def test_an_attendee_rates_a_lunch_and_learn_once(client, org):
    program = make_program("EE15", owner=org["hr"])
    session = _held_session(program, [(org["hr"], "host"), (org["employee"], "attendee")])
    client.force_login(org["employee"])
    page = client.get(session.get_absolute_url()).content.decode()
    assert "How was it?" in page
    url = reverse("meetings:rate", args=[session.pk])
    client.post(url, {"score": "4", "comment": "Clear and practical"})
    client.post(url, {"score": "5", "comment": "Even better on reflection"})
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (5, "Even better on reflection")
    bad = client.post(url, {"score": "7"}, follow=True).content.decode()
    assert "Choose a rating from 1 to 5." in bad
    assert Rating.objects.get().score == 5
    client.force_login(org["outsider"])  # in the audience? no: only those who took part
    assert client.post(url, {"score": "1"}).status_code in (403, 404)
    assert Rating.objects.count() == 1


def test_a_session_is_rated_only_after_it_took_place(client, org):
    program = make_program("EE15", owner=org["hr"])
    session = _held_session(
        program, [(org["hr"], "host"), (org["employee"], "attendee")], hours_ago=-24
    )
    client.force_login(org["employee"])
    page = client.post(
        reverse("meetings:rate", args=[session.pk]), {"score": "3"}, follow=True
    ).content.decode()
    assert "once it has taken place" in page
    assert not Rating.objects.exists()


def test_each_side_rates_the_other_department(client, org):
    operations, sales = org["departments"]["operations"], org["departments"]["sales"]
    program = make_program("EE14", owner=org["leader"], audience_kind=AudienceKind.DEPARTMENTS)
    program.audience_departments.set([operations, sales])
    session = _held_session(
        program,
        [(org["leader"], "host"), (org["manager"], "attendee"), (org["sales_head"], "attendee")],
    )
    client.force_login(org["manager"])  # Operations rates Sales
    page = client.get(session.get_absolute_url()).content.decode()
    rating_card = page.split('id="rating"', 1)[1].split("</section>", 1)[0]
    assert "Sales" in rating_card
    assert "Operations" not in rating_card
    url = reverse("meetings:rate", args=[session.pk])
    client.post(url, {"score": "2", "comment": "Slow to answer", "about": sales.pk})
    page = client.post(url, {"score": "5", "about": operations.pk}, follow=True)
    assert "Rate another department taking part." in page.content.decode()
    client.force_login(org["sales_head"])  # Sales rates Operations
    client.post(url, {"score": "4", "about": operations.pk})
    assert {(r.rater_id, r.about_id, r.score) for r in Rating.objects.all()} == {
        (org["manager"].pk, sales.pk, 2),
        (org["sales_head"].pk, operations.pk, 4),
    }


@pytest.mark.parametrize("practice", ["EE10", "EE11"])
def test_other_meetings_take_no_ratings(client, org, practice):
    program = make_program(practice, owner=org["manager"])
    session = _held_session(program, [(org["manager"], "host"), (org["employee"], "attendee")])
    client.force_login(org["employee"])
    client.post(reverse("meetings:rate", args=[session.pk]), {"score": "3"})
    assert not Rating.objects.exists()


def test_a_program_with_an_after_session_form_asks_through_it_not_a_rating(client, org):
    from feedback import services as feedback_services

    program = make_program("EE15", owner=org["hr"])
    session = _held_session(program, [(org["hr"], "host"), (org["employee"], "attendee")])
    feedback_services.form_create(actor=org["hr"], program=program)
    client.force_login(org["employee"])
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'id="rating"' not in page  # one ask, the form's
    assert "How was it?" in page
    response = client.post(reverse("meetings:rate", args=[session.pk]), {"score": "4"}, follow=True)
    assert "asks for feedback with its own questions" in response.content.decode()
    assert not Rating.objects.exists()
