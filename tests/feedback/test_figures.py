"""A sealed window's figures are kept in the cache per cut (``feedback.figures``): the
results page counts only its open window, a new answer shows at once, and a changed
organisation tree counts again."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback import anonymity, ballots, figures, scores, services
from feedback.windows import windows_of
from tests.factories import answers_for, make_person, open_window

pytestmark = pytest.mark.django_db


def _answer(window, person, form, **values):
    services.response_submit(window=window, person=person, answers=answers_for(form, **values))


def _seal_past(pulse, team, months):
    """Past windows (``months`` ago), each answered by five of the team, sealed."""
    for month in months:
        # Open long enough to answer now, then closed as it would have been.
        window = open_window(pulse.program, days_ago=40 * month, length=40 * month + 5)
        for person in team[:5]:
            _answer(window, person, pulse, recognition=5 if month % 2 else 2)
        window.due_at = window.ends_at = timezone.now() - timedelta(days=40 * month - 10)
        window.save()
    ballots.seal_closed()


def _sealed_and_open(pulse, team):
    """A sealed window a month ago, and an open window answered by five."""
    _seal_past(pulse, team, [1])
    current = open_window(pulse.program)
    for person in team[:5]:
        _answer(current, person, pulse, recognition=4)
    return current


def _results(client, manager, django_capture_on_commit_callbacks):
    # The cache is written once the page's snapshot ends: run those callbacks.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("feedback:results", args=[manager.pk]))
    assert response.status_code == 200
    return response


def _figures(response) -> list:
    return [
        (r.window.pk, r.shown, r.respondents, r.invited, r.engagement, r.drivers)
        for r in response.context["board"].results
    ]


def _counts_tallies(queries) -> int:
    """Statements that count a sealed window (from its tallies)."""
    return sum("FROM feedback_tally x" in q["sql"] for q in queries.captured_queries)


def test_a_sealed_windows_figures_are_read_from_the_cache_not_counted_again(
    client, org, team, pulse, django_capture_on_commit_callbacks
):
    _sealed_and_open(pulse, team)
    client.force_login(org["manager"])
    with CaptureQueriesContext(connection) as first:
        before = _results(client, org["manager"], django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as second:
        after = _results(client, org["manager"], django_capture_on_commit_callbacks)

    assert _counts_tallies(first) > 0
    assert _counts_tallies(second) == 0
    assert len(second) < len(first)
    assert _figures(after) == _figures(before)
    sealed, latest = _figures(after)
    assert sealed[1:4] == latest[1:4] == (True, 5, 6)
    assert sealed[5]["recognition"].favourable_pct == latest[5]["recognition"].favourable_pct


def test_the_cache_is_keyed_by_cut_and_seal_never_by_who_looks(
    client, org, team, pulse, django_capture_on_commit_callbacks
):
    _sealed_and_open(pulse, team)
    client.force_login(org["manager"])
    _results(client, org["manager"], django_capture_on_commit_callbacks)
    # The leader opening the manager's page reads what the manager's page kept.
    client.force_login(org["leader"])
    with CaptureQueriesContext(connection) as queries:
        _results(client, org["manager"], django_capture_on_commit_callbacks)
    assert _counts_tallies(queries) == 0
    window = windows_of(pulse)[0]
    [key] = figures._keys(
        pulse, [window], anonymity.disclosure(pulse, [window.pk]), "org", org["manager"].pk
    ).values()
    assert f":{window.pk}:seal" in key
    assert key.endswith(f":org:{org['manager'].pk}")


def test_a_new_answer_in_the_open_window_shows_at_once(
    client, org, team, pulse, django_capture_on_commit_callbacks
):
    current = _sealed_and_open(pulse, team)
    client.force_login(org["manager"])
    _results(client, org["manager"], django_capture_on_commit_callbacks)

    _answer(current, team[5], pulse, recognition=1)

    page = _results(client, org["manager"], django_capture_on_commit_callbacks)
    latest = page.context["board"].latest
    assert (latest.respondents, latest.responded) == (6, 6)
    assert latest.drivers["recognition"].favourable_pct == pytest.approx(83.3)


def test_a_changed_organisation_tree_counts_the_sealed_window_again(
    client, org, team, pulse, django_capture_on_commit_callbacks
):
    """Moving a team to another senior leader changes who is below whom: the sealed
    window's figures of the leader's organisation, and the decision, are counted
    again; the team's own figures are not changed by the move."""
    second = make_person("second", manager=org["leader"])
    theirs = [make_person(f"theirs{i}", manager=second) for i in range(5)]
    window = open_window(pulse.program, days_ago=40, length=45)
    for person in [*team[:5], *theirs]:
        _answer(window, person, pulse)
    window.due_at = window.ends_at = timezone.now() - timedelta(days=30)
    window.save()
    ballots.seal_closed()
    client.force_login(org["leader"])
    before = _figures(_results(client, org["leader"], django_capture_on_commit_callbacks))
    assert before[0][1:4] == (True, 10, 13)

    second.manager = org["ceo"]
    second.save()

    with CaptureQueriesContext(connection) as queries:
        after = _results(client, org["leader"], django_capture_on_commit_callbacks)
    assert _counts_tallies(queries) > 0
    assert _figures(after)[0][1:4] == (True, 5, 7)


def test_a_hidden_cut_is_kept_without_a_figure(
    client, org, team, pulse, django_capture_on_commit_callbacks
):
    """Four answers: the manager's team is hidden. What the cache keeps for it says
    hidden and holds no count."""
    window = open_window(pulse.program, days_ago=40, length=45)
    for person in team[:4]:
        _answer(window, person, pulse)
    window.due_at = window.ends_at = timezone.now() - timedelta(days=30)
    window.save()
    ballots.seal_closed()
    with django_capture_on_commit_callbacks(execute=True):
        shown = anonymity.disclosure(pulse, [window.pk])
        [result] = figures.trend(
            pulse,
            [window],
            scores.team(org["manager"].pk),
            shown,
            anonymity.team(org["manager"].pk),
        )
    assert (result.shown, result.respondents, result.invited, result.engagement.n) == (
        False,
        0,
        0,
        0,
    )
    [key] = figures._keys(pulse, [window], shown, "team", org["manager"].pk).values()
    assert caches["default"].get(key) == figures.HIDDEN


def test_the_results_page_reads_as_many_queries_for_six_windows_as_for_two(
    client, org, team, pulse, django_capture_on_commit_callbacks
):
    """No query per window (each window's program was fetched one by one)."""
    _sealed_and_open(pulse, team)
    client.force_login(org["manager"])
    counted = []
    for older in ([], [2, 3, 4, 5]):
        _seal_past(pulse, team, older)
        caches["default"].clear()
        anonymity._recent.clear()
        with CaptureQueriesContext(connection) as queries:
            page = _results(client, org["manager"], django_capture_on_commit_callbacks)
        counted.append((len(page.context["board"].results), len(queries)))
    assert [windows for windows, _ in counted] == [2, 6]
    assert counted[0][1] == counted[1][1]


@pytest.mark.django_db(transaction=True)
def test_the_database_cache_works_inside_the_read_only_snapshot(client, org, team, pulse, settings):
    """The default cache is a table; the results page reads it inside a read-only
    transaction, where an expired entry must read as missing rather than be deleted
    (PostgreSQL refuses the delete there), and writes once the snapshot ends."""
    settings.CACHES = {
        "default": {"BACKEND": "engagement.cache.DatabaseCache", "LOCATION": "test_rapport_cache"}
    }
    call_command("createcachetable", verbosity=0)
    try:
        _sealed_and_open(pulse, team)
        window = windows_of(pulse)[0]
        [key] = figures._keys(
            pulse, [window], anonymity.disclosure(pulse, [window.pk]), "org", org["manager"].pk
        ).values()
        cache = caches["default"]
        cache.set(key, figures.HIDDEN, timeout=1)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE test_rapport_cache SET expires = %s",
                [timezone.now() - timedelta(days=1)],
            )
        anonymity._recent.clear()
        client.force_login(org["manager"])

        page = client.get(reverse("feedback:results", args=[org["manager"].pk]))

        assert page.status_code == 200
        sealed = page.context["board"].results[0]
        assert (sealed.shown, sealed.respondents) == (True, 5)
        assert cache.get(key)[0] == 5  # written again once the page's snapshot ended
        again = client.get(reverse("feedback:results", args=[org["manager"].pk]))
        assert again.context["board"].results[0].respondents == 5
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE test_rapport_cache")
