"""Feedback after the sessions of other programs: a month at a time, into the same scores."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from feedback import scores, services
from feedback import windows as feedback_windows
from feedback.models import Answer, Response
from tests.factories import make_session


def _pulse_answers(form, value=4):
    return {
        q.pk: services.Given(value=value) if q.kind == "likert" else services.Given(text="")
        for q in form.questions.all()
    }


@pytest.fixture
def one_on_one_pulse(org, team, team_program):
    form = services.form_create(actor=org["manager"], program=team_program)
    sessions = {
        person.pk: make_session(
            team_program,
            [(org["manager"], "host"), (person, "attendee")],
            series=f"pair:{org['manager'].pk}:{person.pk}",
            hours_from_now=-3,
            status="held",
        )
        for person in team
    }
    return form, sessions


def test_the_template_follows_the_practice(org, one_on_one_pulse):
    form, _ = one_on_one_pulse
    texts = list(form.questions.values_list("text", flat=True))
    assert "This 1-on-1 was a good use of my time." in texts
    assert form.after_sessions


def test_an_answer_names_the_month_never_the_session(org, team, one_on_one_pulse):
    form, sessions = one_on_one_pulse
    session = sessions[org["employee"].pk]
    assert (
        services.response_submit(
            window=session, person=org["employee"], answers=_pulse_answers(form)
        )
        is None
    )
    response = Response.objects.get()
    assert response.window is None
    assert response.period is not None
    assert response.period.starts_at <= session.starts_at < response.period.ends_at
    assert not Answer.objects.filter(window__isnull=False).exists()


def test_one_answer_per_person_and_month(org, team, team_program, one_on_one_pulse):
    """A second 1-on-1 in the same month asks nothing more: respondents stay people."""
    form, sessions = one_on_one_pulse
    first = sessions[org["employee"].pk]
    services.response_submit(window=first, person=org["employee"], answers=_pulse_answers(form))
    later = make_session(
        team_program,
        [(org["manager"], "host"), (org["employee"], "attendee")],
        series=f"pair:{org['manager'].pk}:{org['employee'].pk}",
        status="held",
    )
    later.starts_at = first.starts_at + timedelta(minutes=1)
    later.save()
    with pytest.raises(ValidationError, match="already given feedback"):
        services.response_submit(window=later, person=org["employee"], answers=_pulse_answers(form))
    assert Response.objects.count() == 1


def test_the_host_and_outsiders_do_not_rate_it(client, org, one_on_one_pulse):
    form, sessions = one_on_one_pulse
    session = sessions[org["employee"].pk]
    with pytest.raises(PermissionDenied):
        services.response_submit(
            window=session, person=org["manager"], answers=_pulse_answers(form)
        )
    client.force_login(org["outsider"])
    assert client.get(reverse("feedback:answer", args=[session.pk])).status_code == 404
    client.force_login(org["colleague"])  # someone else's 1-on-1
    assert client.get(reverse("feedback:answer", args=[session.pk])).status_code == 404


def test_feedback_closes_two_weeks_after_the_session(org, team, team_program, one_on_one_pulse):
    form, _ = one_on_one_pulse
    old = make_session(
        team_program,
        [(org["manager"], "host"), (org["colleague"], "attendee")],
        series="pair:old",
        hours_from_now=-24 * 15,
        status="held",
    )
    with pytest.raises(ValidationError, match="closed"):
        services.response_submit(window=old, person=org["colleague"], answers=_pulse_answers(form))


def test_the_pages_offer_it_and_the_scores_count_it(client, org, team, one_on_one_pulse):
    form, sessions = one_on_one_pulse
    client.force_login(org["employee"])
    session = sessions[org["employee"].pk]
    assert "How was it?" in client.get(session.get_absolute_url()).content.decode()
    assert (
        reverse("feedback:answer", args=[session.pk])
        in client.get(reverse("feedback:my_surveys")).content.decode()
    )
    for person in team[:4]:
        services.response_submit(
            window=sessions[person.pk], person=person, answers=_pulse_answers(form, 5)
        )
    windows = feedback_windows.windows_of(form)
    [month] = scores.trend(form, windows, scores.org(org["manager"].pk))
    assert not month.shown  # four people: not enough
    services.response_submit(
        window=sessions[team[4].pk], person=team[4], answers=_pulse_answers(form, 5)
    )
    [month] = scores.trend(form, windows, scores.org(org["manager"].pk))
    assert month.shown
    assert month.drivers["manager_support"].favourable_pct == 100.0
    client.force_login(org["manager"])
    page = client.get(
        reverse("feedback:results", args=[org["manager"].pk]), {"survey": form.program_id}
    ).content.decode()
    assert "Manager support" in page
    assert "Make or open the action plan" not in page
    # The month that was rated no longer asks the employee again.
    client.force_login(org["employee"])
    assert (
        "You have given feedback"
        in client.get(reverse("feedback:answer", args=[session.pk])).content.decode()
    )
    assert timedelta(days=1)


def test_program_health_shows_after_session_feedback_of_closed_months(org, team, one_on_one_pulse):
    from feedback import selectors
    from feedback.models import Period

    form, sessions = one_on_one_pulse
    for person in team[:4]:
        services.response_submit(
            window=sessions[person.pk], person=person, answers=_pulse_answers(form, 5)
        )
    month = Period.objects.get()
    closed = month.ends_at + timedelta(days=feedback_windows.FEEDBACK_DAYS, hours=1)

    def ee10(leader, now=closed):
        health = selectors.program_health(leader, now=now)
        return next(r for r in health if r["practice"].code == "EE10")

    assert ee10(org["leader"])["feedback"] is None  # four people: not shown
    assert ee10(org["leader"])["feedback_responses"] == 0
    services.response_submit(
        window=sessions[team[4].pk], person=team[4], answers=_pulse_answers(form, 2)
    )
    # While the month is open the figure does not move answer by answer.
    assert ee10(org["leader"], now=month.ends_at - timedelta(hours=1))["feedback"] is None
    row = ee10(org["leader"])
    # Five responses of three agreement questions: 4 x 3 answers of 5, 3 answers of 2.
    assert (row["feedback"], row["feedback_responses"]) == (80.0, 5)
    assert ee10(org["ceo"])["feedback"] == 80.0
    # The sales organisation holds none of it.
    assert ee10(org["sales_head"])["feedback"] is None
    # Sealed, the month is read from its tallies, to the same figures.
    from feedback import ballots

    assert ballots.seal_closed(now=closed) == 5
    assert (ee10(org["leader"])["feedback"], ee10(org["leader"])["feedback_responses"]) == (80.0, 5)


def test_program_health_counts_a_sessions_ratings_once_five_people_rated_it(org, team):
    from feedback import selectors
    from meetings.models import Rating
    from tests.factories import make_program

    program = make_program("EE15", owner=org["hr"])
    people = [(p, "attendee") for p in team]
    session = make_session(program, [(org["hr"], "host"), *people], hours_from_now=-3)
    small = make_session(
        program, [(org["hr"], "host"), *people], hours_from_now=-30, series="second"
    )
    given = zip(team[:4], (5, 4, 4, 3), strict=True)
    Rating.objects.bulk_create([Rating(session=session, rater=p, score=s) for p, s in given])
    Rating.objects.create(session=small, rater=team[0], score=1)

    def ee15():
        return next(
            r for r in selectors.program_health(org["leader"]) if r["practice"].code == "EE15"
        )

    assert (ee15()["rating"], ee15()["ratings"]) == (None, 0)
    Rating.objects.create(session=session, rater=team[4], score=2)
    # The five of the first session; the lone rating of the second does not count.
    assert (ee15()["rating"], ee15()["ratings"]) == (3.6, 5)


def test_a_closed_month_is_sealed_and_scored_from_its_tallies(org, team, one_on_one_pulse):
    from feedback import ballots
    from feedback.models import Period, Stage

    form, sessions = one_on_one_pulse
    for person, value in zip(team[:5], (5, 4, 3, 2, 1), strict=True):
        services.response_submit(
            window=sessions[person.pk], person=person, answers=_pulse_answers(form, value)
        )
    windows = feedback_windows.windows_of(form)
    [before] = scores.trend(form, windows, scores.org(org["manager"].pk))
    month = Period.objects.get()
    assert ballots.seal_closed(now=month.ends_at) == 0  # still open for feedback
    closed = month.ends_at + timedelta(days=feedback_windows.FEEDBACK_DAYS, hours=1)
    assert ballots.seal_closed(now=closed) == 5
    assert set(Response.objects.values_list("stage", flat=True)) == {Stage.SEALED}
    [after] = scores.trend(form, windows, scores.org(org["manager"].pk))
    assert (after.respondents, after.drivers) == (before.respondents, before.drivers)
    assert after.drivers["manager_support"].mean == 3.0
