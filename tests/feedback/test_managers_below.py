"""A leader's managers side by side on their home page: engagement and participation
as each manager's results page shows them (and hidden where it hides them), and how
they run the routines, in a fixed number of queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagement.models import AudienceKind
from feedback import dashboards, selectors, services
from meetings import measures
from meetings.models import ActionItem
from scheduling.models import Session
from tests.factories import answers_for, make_person, make_program, make_session, open_window


def _small_team(org, name):
    """A second manager below the leader, with two reports: too few to show."""
    boss = make_person(name, manager=org["leader"], title="Quality Manager")
    return boss, [make_person(f"{name}-r{i}", manager=boss) for i in range(2)]


def _answer(pulse, window, people, likert):
    for person in people:
        services.response_submit(
            window=window, person=person, answers=answers_for(pulse, likert=likert)
        )


def test_each_managers_figures_are_those_of_their_results_page_or_hidden(org, team, pulse):
    quality, small = _small_team(org, "quality")
    window = open_window(pulse.program)
    _answer(pulse, window, team, likert=4)
    _answer(pulse, window, small, likert=2)
    rows = {row["manager"].pk: row for row in selectors.managers_below(org["leader"])}
    assert set(rows) == {org["manager"].pk, quality.pk}
    assert rows[quality.pk]["hidden"]
    assert rows[quality.pk]["engagement"] is None
    assert rows[quality.pk]["participation"] is None
    for manager in (org["manager"], quality):
        page = dashboards.build(form=pulse, manager=manager, upward=None, viewer=org["leader"])
        row = rows[manager.pk]
        if page.unit.pk == manager.pk and page.kpi("engagement")["value"] is not None:
            assert row["engagement"] == page.kpi("engagement")["value"]
            assert row["participation"] == page.kpi("participation")["value"]
        else:
            assert row["engagement"] is None
            assert row["hidden"]


def test_a_team_that_can_be_shown_shows_engagement_and_participation(org, team, pulse):
    window = open_window(pulse.program)
    _answer(pulse, window, team[:5], likert=5)
    (row,) = selectors.managers_below(org["leader"])
    assert not row["hidden"]
    assert row["engagement"] == 100.0
    assert row["participation"] == round(100 * 5 / 6, 1)


def test_the_managers_table_takes_the_same_queries_for_more_managers(org, team, pulse):
    window = open_window(pulse.program)
    _answer(pulse, window, team, likert=4)
    with CaptureQueriesContext(connection) as few:
        selectors.managers_below(org["leader"])
    for n in range(3):
        boss = make_person(f"extra{n}", manager=org["leader"])
        reports = [make_person(f"extra{n}-{i}", manager=boss) for i in range(5)]
        window.participants.create(person=boss, role="submitter")
        for person in reports:
            window.participants.create(person=person, role="submitter")
        _answer(pulse, window, reports, likert=3)
    with CaptureQueriesContext(connection) as many:
        rows = selectors.managers_below(org["leader"])
    assert len(rows) == 4
    assert len(many) == len(few)


def test_routines_for_many_managers_agree_with_each_managers_own(org, team_program):
    manager, leader, employee = org["manager"], org["leader"], org["employee"]
    pair = [(manager, "host"), (employee, "attendee")]
    series = f"pair:{manager.pk}:{employee.pk}"
    held = make_session(team_program, pair, hours_from_now=-24 * 3, series=series, status="held")
    make_session(team_program, pair, hours_from_now=-24 * 10, series=series)
    leaders_program = make_program(
        "EE11", owner=leader, audience_kind=AudienceKind.TEAM, audience_manager=leader
    )
    theirs = make_session(leaders_program, [(leader, "host"), (manager, "attendee")])
    today = timezone.localdate()
    for session, owner, done in [
        (held, employee, timezone.now()),
        (held, manager, None),  # owned and hosted by the manager: counted once
        (theirs, manager, None),
        (theirs, leader, timezone.now()),
    ]:
        ActionItem.objects.create(
            program=session.program,
            series=session.series,
            raised_in=session,
            owner=owner,
            created_by=manager,
            text="An action",
            due_on=today - timedelta(days=1),
            done_at=done,
        )
    now = timezone.now()
    since = now - timedelta(days=90)
    ids = [manager.pk, leader.pk, org["colleague"].pk]
    many = measures.actions_done_many(ids, since, now)
    for pk in ids:
        person = type(manager).objects.get(pk=pk)
        assert many[pk] == measures.actions_done(person, since, now)
    assert many[manager.pk] == (1, 3)
    by_host = Session.objects.one_on_ones_held_by_host(hosts=ids, now=now)
    assert (
        by_host[manager.pk] == Session.objects.one_on_ones_due(host=manager, now=now).held_of_due()
    )
    assert by_host[manager.pk] == (1, 2)
    assert leader.pk not in by_host


def test_hrs_results_open_the_whole_organisation_and_a_managers_their_team(client, org):
    make_person("hr-report", manager=org["hr"])  # HR has a team of their own
    client.force_login(org["hr"])
    response = client.get(reverse("feedback:results_home"))
    assert response["Location"] == reverse("feedback:results", args=[org["ceo"].pk])
    client.force_login(org["manager"])
    response = client.get(reverse("feedback:results_home"))
    assert response["Location"] == reverse("feedback:results", args=[org["manager"].pk])
