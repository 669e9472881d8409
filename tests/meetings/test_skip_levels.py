"""Skip-level interviews: a confidential questionnaire with themes, and the leader's coverage."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import SkipLevelAnswer
from scheduling.models import Session
from scheduling.planner import session_plan
from tests.factories import make_program_below, page_of


@pytest.fixture
def skip_program(org):
    program = make_program_below(
        "EE9",
        org["leader"],
        config={"rotation_months": 12, "questions": "What helps?\nWhat gets in the way?"},
    )
    session_plan(program=program)
    return program


def test_answers_and_themes_stay_between_leader_and_employee(client, org, skip_program):
    interview = (
        Session.objects.filter(program=skip_program, participants__person=org["employee"])
        .order_by("starts_at")
        .first()
    )
    client.force_login(org["leader"])
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "What gets in the way?" in page
    client.post(
        reverse("meetings:skip_level_answers", args=[interview.pk]),
        {
            "answer_0": "Clear priorities",
            "themes_0": ["strategy", "not-a-theme"],
            "answer_1": "My manager cancels our 1-on-1s",
            "themes_1": ["manager_support"],
        },
    )
    answers = list(SkipLevelAnswer.objects.filter(session=interview))
    assert [a.themes for a in answers] == [["strategy"], ["manager_support"]]
    client.force_login(org["employee"])
    assert "My manager cancels" in client.get(interview.get_absolute_url()).content.decode()
    client.force_login(org["manager"])  # the manager in between
    assert client.get(interview.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("meetings:skip_level_answers", args=[interview.pk]), {"answer_0": "x"}
    )
    assert response.status_code == 404


def test_coverage_shows_met_planned_and_overdue(client, org, skip_program):
    met = Session.objects.filter(
        program=skip_program, participants__person=org["colleague"]
    ).first()
    Session.objects.filter(pk=met.pk).update(
        status="held", starts_at=timezone.now() - timedelta(days=10), touched=True
    )
    Session.objects.filter(program=skip_program, participants__person=org["employee"]).delete()
    client.force_login(org["leader"])
    page = client.get(reverse("meetings:skip_level_coverage")).content.decode()
    colleague_row = page.split(str(org["colleague"]), 1)[1].split("</tr>", 1)[0]
    employee_row = page.split(str(org["employee"]), 1)[1].split("</tr>", 1)[0]
    assert ">met<" in colleague_row
    assert ">due later<" in employee_row  # the program began today: a year to go
    skip_program.starts_on = timezone.localdate() - timedelta(days=400)
    skip_program.save()
    page = client.get(reverse("meetings:skip_level_coverage")).content.decode()
    employee_row = page.split(str(org["employee"]), 1)[1].split("</tr>", 1)[0]
    assert ">overdue<" in employee_row
    assert str(org["manager"]) + "</a>" not in page  # a direct report is not a skip-level
    client.force_login(org["manager"])
    assert (
        "You run no skip-level program"
        in client.get(reverse("meetings:skip_level_coverage")).content.decode()
    )


def test_one_persons_skip_level_points_never_reach_another_persons_interview(
    client, org, skip_program
):
    mine = Session.objects.filter(
        program=skip_program, participants__person=org["employee"]
    ).earliest("starts_at")
    theirs = Session.objects.filter(
        program=skip_program, participants__person=org["colleague"]
    ).earliest("starts_at")
    assert mine.series != theirs.series
    client.force_login(org["employee"])
    client.post(reverse("meetings:point_add", args=[mine.pk]), {"text": "Confidential worry"})
    client.force_login(org["colleague"])
    assert "Confidential worry" not in page_of(client.get(theirs.get_absolute_url()))
    assert "Confidential worry" not in page_of(client.get(reverse("meetings:my_week")))


def test_answers_with_a_nul_byte_are_refused_whole(client, org, skip_program):
    interview = (
        Session.objects.filter(program=skip_program, participants__person=org["employee"])
        .order_by("starts_at")
        .first()
    )
    client.force_login(org["leader"])
    page = client.post(
        reverse("meetings:skip_level_answers", args=[interview.pk]),
        {"answer_0": "Fine", "answer_1": "Hidden\x00bytes"},
        follow=True,
    ).content.decode()
    assert "plain text" in page
    assert not SkipLevelAnswer.objects.filter(session=interview).exists()
