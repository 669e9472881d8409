"""Anonymous answers are rewritten so that no order the database keeps, not even its
own row numbers, lines them up with the receipts (``feedback.ballots``)."""

import random
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from feedback import anonymity, ballots, scores, services
from feedback.models import Answer, Response, Stage, Tally
from scheduling.models import Participant
from scheduling.schedules import jobs
from tests.factories import answers_for, make_person, open_window, pulse_form, survey_program


def _physical(sql_table: str, question_id) -> list[int]:
    """Values of one question in the order the database stores the rows."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT value FROM {sql_table} WHERE question_id = %s ORDER BY {order}",
            [question_id],
        )
        return [value for (value,) in cursor.fetchall()]


def _answer(window, person, form, **values):
    return services.response_submit(
        window=window, person=person, answers=answers_for(form, **values)
    )


def _close(window):
    window.due_at = window.ends_at = timezone.now() - timedelta(minutes=1)
    window.save()


def test_held_until_the_window_has_the_minimum_then_rewritten_in_the_order_of_a_shuffle(
    org, team, pulse, monkeypatch
):
    # A shuffle that puts the highest recognition first, so that the stored order
    # can be seen to follow the shuffle and not the order people answered in.
    def by_value_descending(items):
        if items and isinstance(items[0], Answer):
            items.sort(key=lambda a: -(a.value or 0))

    monkeypatch.setattr(ballots, "_shuffle", by_value_descending)
    window = open_window(pulse.program)
    recognised = pulse.questions.get(text="Recognised").pk
    for person, value in zip(team[:4], (1, 2, 3, 4), strict=True):
        _answer(window, person, pulse, recognition=value)
    held = set(Response.objects.values_list("id", flat=True))
    assert set(Response.objects.values_list("stage", flat=True)) == {Stage.HELD}
    assert _physical(Answer._meta.db_table, recognised) == [1, 2, 3, 4]

    _answer(window, team[4], pulse, recognition=5)
    assert Response.objects.filter(stage=Stage.MIXED).count() == 5
    assert not held & set(Response.objects.values_list("id", flat=True))  # all new keys
    assert _physical(Answer._meta.db_table, recognised) == [5, 4, 3, 2, 1]
    # Nothing counted twice or lost: the hand-computed score is unchanged.
    [result] = scores.trend(pulse, [window], scores.team(org["manager"].pk))
    assert result.drivers["recognition"].n == 5
    assert result.drivers["recognition"].favourable_pct == 40.0
    assert Answer.objects.count() == 5 * 3  # the empty comment is not stored


def test_the_shuffle_is_the_operating_systems_randomness():
    assert isinstance(ballots._shuffle.__self__, random.SystemRandom)


def test_the_window_mixes_across_teams_and_seals_at_close_without_moving_anyone(org, team, pulse):
    second = make_person("second", manager=org["leader"])
    theirs = [make_person(f"theirs{i}", manager=second) for i in range(5)]
    window = open_window(pulse.program)
    for person in team[:3]:
        _answer(window, person, pulse, recognition=5)
    for person in theirs[:2]:  # the fifth answer of the window, from another team
        _answer(window, person, pulse, recognition=1)
    assert set(Response.objects.values_list("stage", flat=True)) == {Stage.MIXED}
    _answer(window, team[3], pulse, recognition=4)
    assert Response.objects.filter(stage=Stage.HELD).count() == 1
    groups = Counter(Response.objects.values_list("manager_id", flat=True))
    before = scores.trend(pulse, [window], scores.org(org["leader"].pk))[0]
    ids = set(Response.objects.values_list("id", flat=True))

    assert ballots.seal_closed() == 0  # still open: nothing sealed
    _close(window)
    assert ballots.seal_closed() == 6

    assert set(Response.objects.values_list("stage", flat=True)) == {Stage.SEALED}
    assert not ids & set(Response.objects.values_list("id", flat=True))
    # Nobody's group changes, so no figure already shown changes either.
    assert Counter(Response.objects.values_list("manager_id", flat=True)) == groups
    after = scores.trend(pulse, [window], scores.org(org["leader"].pk))[0]
    assert after.respondents == before.respondents == 6
    assert after.drivers["recognition"].mean == before.drivers["recognition"].mean == 3.5
    assert Answer.objects.count() == 6 * 3
    assert ballots.seal_closed() == 0  # sealed once


def test_sealing_runs_hourly_with_the_other_jobs():
    assert any(job.func == "feedback.tasks.seal_closed_windows" for job in jobs())


def test_attributed_responses_are_tallied_but_never_rewritten(org, team):
    program = survey_program(org, anonymous=False, name="Named pulse")
    form = pulse_form(program, org["hr"])
    window = open_window(program)
    mine = [_answer(window, p, form) for p in team[:5]]
    team[0].delete()  # their response stays, its respondent now empty
    _close(window)
    assert ballots.seal_closed() == 5  # counted into tallies, not rewritten
    assert {r.pk for r in mine} == set(Response.objects.values_list("id", flat=True))
    assert set(Response.objects.values_list("stage", flat=True)) == {Stage.SEALED}
    assert Response.objects.filter(submitted_at__isnull=False).count() == 5


@pytest.mark.django_db(transaction=True)
def test_postgresql_transaction_stamps_no_longer_pair_answers_with_receipts(org, team, pulse):
    """PostgreSQL stamps every row with the transaction that wrote it: a held answer
    shares its stamp with its receipt. Once mixed, the window's answers all carry the
    stamp of one transaction."""
    if connection.vendor != "postgresql":
        pytest.skip("transaction stamps (xmin) are PostgreSQL's")
    window = open_window(pulse.program)
    for person in team[:4]:
        _answer(window, person, pulse)
    assert Response.objects.filter(stage=Stage.HELD).count() == 4
    with connection.cursor() as cursor:

        def stamps(table, where, params):
            cursor.execute(f"SELECT DISTINCT xmin::text FROM {table} WHERE {where}", params)
            return {row[0] for row in cursor.fetchall()}

        receipts = stamps(
            Participant._meta.db_table,
            "session_id = %s AND submitted_on IS NOT NULL",
            [window.pk],
        )
        held = stamps(Answer._meta.db_table, "window_id = %s", [window.pk])
        assert held == receipts  # the pairing mixing removes
        assert len(held) == 4
        _answer(window, team[4], pulse)
        mixed = stamps(Answer._meta.db_table, "window_id = %s", [window.pk])
        assert len(mixed) == 1
        # The batch carries the stamp of the answer that completed it, none of the others.
        assert not mixed & receipts
        assert len(stamps(Response._meta.db_table, "window_id = %s", [window.pk])) == 1


@pytest.mark.django_db(transaction=True)
def test_postgresql_two_answers_at_once_still_mix_the_window(org, team, pulse, monkeypatch):
    """Without the window lock, two transactions that each wrote the fourth and fifth
    answer would each count four and leave five rows held."""
    if connection.vendor != "postgresql":
        pytest.skip("READ COMMITTED concurrency is PostgreSQL's; SQLite has one writer")
    from django.db import connections

    window = open_window(pulse.program)
    for person in team[:3]:
        _answer(window, person, pulse)
    both_written = threading.Barrier(2, timeout=10)
    real_lock = ballots._lock
    waited = threading.local()

    def lock_when_both_have_written(form, where):
        # Once per answer: the first lock is taken right after the answer is written.
        if not getattr(waited, "done", False):
            waited.done = True
            both_written.wait()
        real_lock(form, where)

    monkeypatch.setattr(ballots, "_lock", lock_when_both_have_written)
    errors = []

    def answer(person):
        try:
            _answer(window, person, pulse)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(p,)) for p in team[3:5]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Response.objects.count() == 5
    assert set(Response.objects.values_list("stage", flat=True)) == {Stage.MIXED}


def test_scores_from_tallies_equal_scores_from_answers(org, team, pulse):
    """Every figure of a closed window is the same read from its tallies as it was
    read from its answers: trends of an organisation and a team, participation, the
    breakdown by team and what each cut may show."""
    second = make_person("second", manager=org["leader"])
    theirs = [make_person(f"theirs{i}", manager=second) for i in range(6)]
    window = open_window(pulse.program)
    values = [(5, 9, "Good"), (4, 10, ""), (3, 6, "Meh"), (2, 8, ""), (1, 0, "Bad"), (4, 7, "")]
    for person, (value, enps, comment) in zip(team + theirs, values * 2, strict=True):
        _answer(
            window, person, pulse, recognition=value, likert=6 - value, enps=enps, comment=comment
        )
    _answer(window, org["manager"], pulse, recognition=2)

    def figures():
        cuts = [scores.org(org["leader"].pk), scores.team(org["manager"].pk), scores.org(second.pk)]
        trends = [scores.trend(pulse, [window], cut)[0] for cut in cuts]
        parts = scores.breakdown(pulse, [window], org["leader"])
        return (
            [
                (t.respondents, t.invited, t.responded, t.engagement, t.enps, t.drivers)
                for t in trends
            ],
            [(p.respondents, p.scores, p.enps, p.visible) for p in parts],
            anonymity.disclosure(pulse, [window.pk]).shows(window.pk, anonymity.org(second.pk)),
        )

    before = figures()
    _close(window)
    assert ballots.seal_closed() == 13
    assert Tally.objects.filter(form=pulse, window=window, kind=Tally.SEALED).exists()
    # The answers themselves are no longer read: the figures come from the tallies.
    Answer.objects.filter(window=window).delete()
    after = figures()
    assert after == before
    # Whole numbers, as from the answers (PostgreSQL sums the tallies as numeric).
    assert isinstance(after[0][0][5]["recognition"].total, int)
    assert type(after[0][0][5]["recognition"].mean) is float
    assert before[0][0][0] == 12  # not empty (the manager's answer is filed above)
    assert before[1][0][1]  # the breakdown scored something


def test_a_window_that_takes_answers_again_is_read_from_its_answers(org, team, pulse):
    window = open_window(pulse.program)
    for person in team[:5]:
        _answer(window, person, pulse, recognition=5)
    _close(window)
    ballots.seal_closed()
    window.due_at = window.ends_at = timezone.now() + timedelta(days=1)  # reopened
    window.save()
    _answer(window, team[5], pulse, recognition=1)
    [result] = scores.trend(pulse, [window], scores.team(org["manager"].pk))
    assert result.respondents == 6
    assert result.drivers["recognition"].favourable_pct == 83.3


def test_a_window_sealed_before_tallies_existed_is_tallied_by_the_next_run(org, team, pulse):
    window = open_window(pulse.program)
    for person in team[:5]:
        _answer(window, person, pulse, recognition=4)
    _close(window)
    ballots.seal_closed()
    Tally.objects.all().delete()  # as after an upgrade from before tallies
    assert ballots.seal_closed() == 0  # nothing to rewrite...
    assert Tally.objects.filter(window=window, kind=Tally.SEALED).exists()  # ...but tallied
    [result] = scores.trend(pulse, [window], scores.team(org["manager"].pk))
    assert (result.respondents, result.drivers["recognition"].favourable_pct) == (5, 100.0)


def test_a_sealed_windows_decision_is_kept_until_the_tree_or_the_seal_changes(
    org, team, pulse, django_assert_num_queries
):
    """The engine's walk is kept in the cache for a sealed window; moving someone to
    another manager, or reopening the window, decides again."""
    window = open_window(pulse.program)
    for person in team[:5]:
        _answer(window, person, pulse, recognition=4)
    _close(window)
    ballots.seal_closed()
    manager = anonymity.org(org["manager"].pk)
    assert anonymity.disclosure(pulse, [window.pk]).shows(window.pk, manager)
    # Kept: the tree and the seal, nothing else (no count of responses).
    with django_assert_num_queries(2):
        kept = anonymity.disclosure(pulse, [window.pk])
    assert kept.shows(window.pk, manager)
    assert kept.size(window.pk, manager) == 5
    # A new manager above the manager's team: a new tree, a new decision.
    newcomer = make_person("newcomer", manager=org["leader"])
    org["manager"].manager = newcomer
    org["manager"].save()
    with django_assert_num_queries(3):
        anonymity.disclosure(pulse, [window.pk])
