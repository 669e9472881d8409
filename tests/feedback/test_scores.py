"""Score formulas against hand-computed examples, and the minimum group size at every cut."""

import pytest
from django.urls import reverse

from feedback import scores, services
from feedback.models import Form, Question
from feedback.scores import Score
from tests.factories import make_person
from tests.feedback.conftest import answers_for, open_window


def _answer_all(form, window, people, values):
    for person, value in zip(people, values, strict=True):
        services.response_submit(window=window, person=person, answers=answers_for(form, **value))


def test_favourable_neutral_unfavourable_and_mean_by_hand(org, team, pulse):
    window = open_window(pulse.program)
    # Recognition answers 5, 4, 3, 2, 1, 4: favourable 3/6, neutral 1/6, unfavourable 2/6,
    # mean 19/6 = 3.17.
    values = [{"recognition": v} for v in (5, 4, 3, 2, 1, 4)]
    _answer_all(pulse, window, team, values)
    [result] = scores.trend(pulse, [window], scores.org_q(org["manager"].pk))
    recognition = result.drivers["recognition"]
    assert (recognition.n, recognition.favourable_pct) == (6, 50.0)
    assert recognition.neutral_pct == 16.7
    assert recognition.unfavourable_pct == 33.3
    assert recognition.mean == 3.17
    assert result.engagement.favourable_pct == 100.0  # every "Proud" answer was 4


def test_enps_is_promoters_minus_detractors_by_hand(org, team, pulse):
    window = open_window(pulse.program)
    # 10, 9 promoters; 8, 7 passives; 6, 0 detractors: (2 - 2) / 6 = 0.
    _answer_all(pulse, window, team, [{"enps": v} for v in (10, 9, 8, 7, 6, 0)])
    [result] = scores.trend(pulse, [window], scores.org_q(org["manager"].pk))
    assert result.enps.enps == 0.0
    assert Score(n=5, favourable=4, neutral=0, unfavourable=1).enps == 60.0


def test_participation_is_respondents_over_invited(org, team, pulse):
    window = open_window(pulse.program)
    _answer_all(pulse, window, team[:5], [{}] * 5)
    people = __import__("engagement.models", fromlist=["Person"]).Person.objects.below(
        org["leader"]
    )
    [result] = scores.trend(pulse, [window], scores.org_q(org["leader"].pk), people=people)
    # Invited: the manager and six reports; five answered.
    assert (result.responded, result.invited) == (5, 7)
    assert result.participation == 71.4


def test_a_cut_below_the_minimum_shows_nothing(client, org, team, pulse):
    window = open_window(pulse.program)
    _answer_all(pulse, window, team[:4], [{"comment": f"Comment {i}"} for i in range(4)])
    [result] = scores.trend(pulse, [window], scores.org_q(org["manager"].pk))
    assert result.respondents == 4
    assert not result.shown
    client.force_login(org["manager"])
    page = client.get(reverse("feedback:results", args=[org["manager"].pk])).content.decode()
    assert "Not enough responses yet" in page
    assert "Comment 0" not in page
    # The fifth answer makes the team visible.
    services.response_submit(window=window, person=team[4], answers=answers_for(pulse))
    page = client.get(reverse("feedback:results", args=[org["manager"].pk])).content.decode()
    assert "Comment 0" in page


def test_differencing_hides_a_part_whose_rest_is_a_small_group(org, team, pulse):
    """Leader's organisation: the manager's team (6) and the manager (1, a direct report
    of the leader). Showing the team's 6 next to the parent's 7 would reveal the manager."""
    window = open_window(pulse.program)
    _answer_all(pulse, window, [*team, org["manager"]], [{}] * 7)
    parts = {p.label: p for p in scores.breakdown(pulse, [window], org["leader"])}
    team_part = next(p for label, p in parts.items() if "organisation" in label)
    direct = next(p for label, p in parts.items() if "direct team" in label)
    assert team_part.respondents[window.pk] == 6
    assert not team_part.visible[window.pk]  # 7 - 6 = 1: below the minimum
    assert not direct.visible[window.pk]
    assert scores.shown(6, 5, parent=12)
    assert not scores.shown(6, 5, parent=7)
    assert scores.shown(6, 5, parent=6)  # nothing else in the parent: nothing revealed


def test_a_team_too_small_is_shown_within_the_next_level_up(client, org, pulse):
    """The manager has two reports; with the sales team the leader's level has enough."""
    window = open_window(pulse.program)
    # Four more people directly under the leader, plus the manager's two reports.
    extra = [make_person(f"peer{i}", manager=org["leader"]) for i in range(4)]
    from scheduling.models import Participant

    Participant.objects.bulk_create(
        [Participant(session=window, person=p, role="submitter") for p in extra]
    )
    _answer_all(pulse, window, [org["employee"], org["colleague"], *extra], [{}] * 6)
    assert scores.reporting_unit(pulse, org["manager"], window) == org["leader"]
    client.force_login(org["manager"])
    page = client.get(reverse("feedback:results", args=[org["manager"].pk])).content.decode()
    assert "Leader Tester" in page.split("organisation</strong>")[0][-200:]


def test_comments_follow_their_own_stricter_minimum(org, team, pulse):
    program = pulse.program
    program.config = {**program.config, "comment_min_group_size": 7}
    program.save()
    window = open_window(program)
    _answer_all(pulse, window, team, [{"comment": "Too quiet"}] * 6)
    from feedback import selectors

    assert selectors.comments(pulse, window, scores.org_q(org["manager"].pk), 6) is None
    assert (
        selectors.comments(pulse, window, scores.org_q(org["manager"].pk), 7) == ["Too quiet"] * 6
    )


def test_the_csv_export_hides_what_the_page_hides(client, org, team, pulse):
    window = open_window(pulse.program)
    _answer_all(pulse, window, [*team, org["manager"]], [{"recognition": 2}] * 7)
    client.force_login(org["leader"])
    url = reverse("feedback:results", args=[org["leader"].pk])
    export = client.get(url, {"table": "teams", "_export": "csv"})
    assert export.status_code == 200
    rows = list(__import__("csv").reader(export.content.decode().splitlines()))
    header, data = rows[0], rows[1:]
    assert len(data) == 2  # the manager's organisation and the leader's direct team
    for row in data:
        cells = dict(zip(header, row, strict=True))
        assert cells["Respondents"] in {"fewer than 5", "hidden to protect a smaller group"}
        scored = [v for k, v in cells.items() if k not in {"Team", "Respondents"}]
        assert set(scored) <= {"—", ""}, cells
    drivers = client.get(url, {"table": "drivers", "_export": "csv"}).content.decode()
    assert "Recognition" in drivers  # the leader's whole organisation (7) is shown
    assert client.get(url, {"table": "teams", "_export": "xlsx"}).status_code == 404


@pytest.mark.parametrize("teams", [2, 6])
def test_the_results_page_does_not_query_per_team(
    client, org, pulse, teams, django_assert_max_num_queries
):
    window = open_window(pulse.program)
    from scheduling.models import Participant

    for t in range(teams):
        boss = make_person(f"boss{t}", manager=org["leader"])
        members = [make_person(f"m{t}_{i}", manager=boss) for i in range(5)]
        Participant.objects.bulk_create(
            [Participant(session=window, person=p, role="submitter") for p in members]
        )
        _answer_all(pulse, window, members, [{}] * 5)
    client.force_login(org["leader"])
    # The same fixed number of queries for 2 teams and for 6 (30 when measured).
    with django_assert_max_num_queries(32):
        response = client.get(reverse("feedback:results", args=[org["leader"].pk]))
    assert response.status_code == 200
    assert response.content.decode().lower().count("boss") >= teams


def test_a_survey_with_no_window_yet_says_so(client, org, team):
    from tests.feedback.conftest import survey_program

    program = survey_program(org, name="Brand new")
    Form.objects.create(program=program)
    Question.objects.create(form=program.feedback_form, position=0, kind="likert", text="Q")
    client.force_login(org["manager"])
    page = client.get(reverse("feedback:results", args=[org["manager"].pk])).content.decode()
    assert "has not opened yet" in page
