"""Anonymous answers are rewritten so that no order the database keeps, not even its
own row numbers, lines them up with the receipts (``feedback.ballots``)."""

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from feedback import ballots, scores, services
from feedback.models import Answer, Response, Stage
from scheduling.models import Participant
from scheduling.schedules import JOBS
from tests.factories import make_person
from tests.feedback.conftest import answers_for, open_window


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
    services.response_submit(window=window, person=person, answers=answers_for(form, **values))


def test_held_until_the_group_is_full_then_rewritten_in_the_order_of_a_shuffle(
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


def _two_teams_and_directs(org, team):
    """The manager's six, a second manager with five, and five direct reports of the
    leader: every team big enough to file under at answer time."""
    second = make_person("second", manager=org["leader"])
    theirs = [make_person(f"theirs{i}", manager=second) for i in range(5)]
    directs = [make_person(f"direct{i}", manager=org["leader"]) for i in range(5)]
    return second, theirs, directs


def test_a_closed_window_is_sealed_with_no_group_below_the_minimum(org, team, pulse):
    second, theirs, directs = _two_teams_and_directs(org, team)
    window = open_window(pulse.program)
    for person in team[:5]:
        _answer(window, person, pulse, recognition=5)
    for person in theirs[:2]:  # two of five: at answer time filed with their team
        _answer(window, person, pulse, recognition=1)
    for person in directs[:3]:
        _answer(window, person, pulse, recognition=3)
    assert Response.objects.filter(manager=second).count() == 2
    before = scores.trend(pulse, [window], scores.org(org["leader"].pk))[0]
    ids = set(Response.objects.values_list("id", flat=True))

    assert ballots.seal_closed() == 0  # still open: nothing sealed
    window.due_at = window.ends_at = timezone.now() - timedelta(minutes=1)
    window.save()
    assert ballots.seal_closed() == 10

    assert set(Response.objects.values_list("stage", flat=True)) == {Stage.SEALED}
    assert not ids & set(Response.objects.values_list("id", flat=True))
    groups = Counter(Response.objects.values_list("manager_id", "department_id"))
    # The two moved up to the leader, joining the leader's three direct reports.
    ops = org["departments"]["operations"].pk  # everyone's department here
    assert groups == {(org["manager"].pk, ops): 5, (org["leader"].pk, ops): 5}
    assert all(n >= pulse.min_group_size for n in groups.values())
    assert Counter(Answer.objects.values_list("manager_id", flat=True)) == {
        org["manager"].pk: 15,
        org["leader"].pk: 15,
    }
    after = scores.trend(pulse, [window], scores.org(org["leader"].pk))[0]
    assert after.respondents == before.respondents == 10
    assert after.drivers["recognition"].mean == before.drivers["recognition"].mean == 3.6
    assert ballots.seal_closed() == 0  # sealed once


def test_coarsening_keeps_a_department_only_where_each_one_in_the_group_has_enough(org):
    ops, sales = org["departments"]["operations"], org["departments"]["sales"]
    top = org["leader"].pk
    manager = org["manager"].pk
    rows = [{"manager_id": manager, "department_id": ops.pk} for _ in range(5)]
    rows += [{"manager_id": manager, "department_id": sales.pk}]
    rows += [{"manager_id": top, "department_id": sales.pk} for _ in range(5)]
    ballots._coarsen(rows, 5)
    # The lone sales answer would be singled out by its department; dropping only its
    # own would single it out by difference, so the whole group loses its department.
    assert Counter((r["manager_id"], r["department_id"]) for r in rows) == {
        (manager, None): 6,
        (top, sales.pk): 5,
    }


def test_coarsening_climbs_until_a_group_is_big_enough(org):
    manager, leader, ceo = org["manager"].pk, org["leader"].pk, org["ceo"].pk
    rows = [{"manager_id": manager, "department_id": None} for _ in range(2)]
    rows += [{"manager_id": leader, "department_id": None} for _ in range(2)]
    rows += [{"manager_id": ceo, "department_id": None} for _ in range(3)]
    ballots._coarsen(rows, 5)
    assert Counter(r["manager_id"] for r in rows) == {ceo: 7}


def test_sealing_runs_hourly_with_the_other_jobs():
    assert any(job.func == "feedback.tasks.seal_closed_windows" for job in JOBS)


def test_attributed_responses_are_left_as_written(org, team):
    from feedback.models import Form, Question
    from tests.feedback.conftest import survey_program

    program = survey_program(org, anonymous=False, name="Named pulse")
    form = Form.objects.create(program=program, created_by=org["hr"])
    for position, text in enumerate(("Proud", "Recognised")):
        Question.objects.create(form=form, position=position, kind="likert", text=text)
    Question.objects.create(form=form, position=2, kind="enps", text="Recommend")
    Question.objects.create(form=form, position=3, kind="text", text="Comment", required=False)
    window = open_window(program)
    mine = [
        services.response_submit(window=window, person=p, answers=answers_for(form))
        for p in team[:5]
    ]
    window.due_at = window.ends_at = timezone.now() - timedelta(minutes=1)
    window.save()
    ballots.seal_closed()
    assert {r.pk for r in mine} == set(Response.objects.values_list("id", flat=True))
    assert set(Response.objects.values_list("stage", flat=True)) == {Stage.HELD}


@pytest.mark.django_db(transaction=True)
def test_postgresql_transaction_stamps_no_longer_pair_answers_with_receipts(org, team, pulse):
    """PostgreSQL stamps every row with the transaction that wrote it: a held answer
    shares its stamp with its receipt. Once mixed, the group's answers all carry the
    stamp of one transaction."""
    if connection.vendor != "postgresql":
        pytest.skip("transaction stamps (xmin) are PostgreSQL's")
    window = open_window(pulse.program)
    for person in team[:4]:
        _answer(window, person, pulse)
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
        assert len(stamps(Response._meta.db_table, "window_id = %s", [window.pk])) == 1
