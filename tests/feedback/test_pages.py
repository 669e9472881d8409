"""Survey building and the action plan flow. Who opens which feedback page is in the
role matrix (tests/test_access_matrix.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.models import ActionPlan, Commitment, Form
from tests.factories import answers_for, open_window, page_of


def test_hr_builds_a_survey_from_a_template_and_reorders_it(client, org, team):
    from tests.factories import survey_program

    program = survey_program(org, name="Fresh survey")
    client.force_login(org["hr"])
    client.post(reverse("feedback:survey_create", args=[program.pk]), {"template": "pulse"})
    questions = list(program.feedback_form.questions.order_by("position"))
    assert len(questions) == 12
    assert {q.driver for q in questions} >= {"engagement", "recognition", "workload", "enps"}
    second = questions[1]
    client.post(reverse("feedback:question_change", args=[program.pk, second.pk]), {"action": "up"})
    assert program.feedback_form.questions.order_by("position").first() == second
    bad = client.post(
        reverse("feedback:question_add", args=[program.pk]),
        {"kind": "single", "text": "Which shift?", "choices": "Only one"},
    )
    assert bad.status_code == 400
    assert "at least two choices" in bad.content.decode()
    client.post(
        reverse("feedback:question_add", args=[program.pk]),
        {"kind": "single", "text": "Which shift?", "choices": "Early\nLate\nNight"},
    )
    assert program.feedback_form.questions.get(text="Which shift?").choices == [
        "Early",
        "Late",
        "Night",
    ]


def test_the_upward_template_asks_about_the_leadership_principles(org, team):
    from tests.factories import survey_program

    program = survey_program(org, name="Upward")
    form = services.form_create(actor=org["hr"], program=program, template="upward")
    codes = set(form.questions.values_list("code", flat=True))
    assert {"LP1", "LP2", "LP3", "LP4"} <= codes
    assert any(code.startswith("LC") for code in codes)


def test_the_action_plan_flow_closes_the_loop(client, org, team, pulse):
    window = open_window(pulse.program)
    for person in team[:5]:
        services.response_submit(window=window, person=person, answers=answers_for(pulse))
    client.force_login(org["manager"])
    response = client.post(
        reverse("feedback:plan_start", args=[org["manager"].pk]),
        {"survey": pulse.program_id, "window": window.pk},
    )
    plan = ActionPlan.objects.get()
    assert response.url == plan.get_absolute_url()
    url = reverse("feedback:commitment_add", args=[plan.pk])
    past = client.post(
        url,
        {
            "driver": "recognition",
            "text": "Weekly shout-outs",
            "owner": org["manager"].pk,
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert past.status_code == 400
    assert "cannot be in the past" in past.content.decode()
    share_empty = client.post(reverse("feedback:plan_share", args=[plan.pk]), follow=True)
    assert "at least one commitment" in share_empty.content.decode()
    client.post(
        url,
        {
            "driver": "recognition",
            "text": "Weekly shout-outs",
            "owner": org["employee"].pk,
            "due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        },
    )
    assert Commitment.objects.count() == 1

    client.force_login(org["employee"])
    assert "Weekly shout-outs" not in page_of(client.get(reverse("feedback:my_surveys")))
    assert client.get(plan.get_absolute_url()).status_code == 404  # a draft stays with managers

    client.force_login(org["manager"])
    client.post(reverse("feedback:plan_share", args=[plan.pk]))
    client.force_login(org["employee"])
    assert "Weekly shout-outs" in client.get(reverse("feedback:my_surveys")).content.decode()
    client.post(reverse("feedback:commitment_toggle", args=[Commitment.objects.get().pk]))
    assert Commitment.objects.get().done_at is not None  # the owner marks it done

    client.force_login(org["outsider"])
    assert client.get(plan.get_absolute_url()).status_code == 404
    client.force_login(org["manager"])
    page = client.get(reverse("feedback:results", args=[org["manager"].pk])).content.decode()
    assert "You said, we did" in page
    assert "Weekly shout-outs" in page


def test_an_employee_cannot_make_a_plan_for_their_own_team(client, org, team, pulse):
    window = open_window(pulse.program)
    client.force_login(org["employee"])
    response = client.post(
        reverse("feedback:plan_start", args=[org["manager"].pk]),
        {"survey": pulse.program_id, "window": window.pk},
    )
    assert response.status_code == 404
    assert not ActionPlan.objects.exists()


@pytest.mark.parametrize(("survey", "window"), [("abc", "1"), ("1", "abc"), ("", ""), ("999", "1")])
def test_a_bad_plan_request_is_a_404_not_a_500(client, org, team, pulse, survey, window):
    client.force_login(org["manager"])
    response = client.post(
        reverse("feedback:plan_start", args=[org["manager"].pk]),
        {"survey": survey, "window": window},
    )
    assert response.status_code in (302, 404)
    assert not ActionPlan.objects.exists()


def test_program_health_below_a_leader_exports_to_csv(client, org, team, pulse, team_program):
    from tests.factories import make_session

    open_window(pulse.program)
    make_session(
        team_program,
        [(org["manager"], "host"), (org["employee"], "attendee")],
        series=f"pair:{org['manager'].pk}:{org['employee'].pk}",
        status="held",
    )
    client.force_login(org["leader"])
    url = reverse("feedback:results", args=[org["leader"].pk])
    page = client.get(url).content.decode()
    assert "Program health below" in page
    export = client.get(url, {"table": "health", "_export": "csv"})
    assert export.status_code == 200
    lines = export.content.decode().splitlines()
    assert lines[0] == "Practice,Held,Planned,On time,Due,Rating 1-5,Ratings,Favourable %,Responses"
    # A senior leader reads practices by name; codes are for administrators.
    assert any(line.startswith("Structured 1-on-1 Meetings,1,1") for line in lines)


def test_only_the_owner_and_the_planners_mark_a_commitment_done(client, org, team, pulse):
    window = open_window(pulse.program)
    plan = ActionPlan.objects.create(
        form=pulse, window=window, manager=org["manager"], shared_at=timezone.now()
    )
    commitment = Commitment.objects.create(
        plan=plan,
        driver="recognition",
        text="Shout-outs",
        owner=org["employee"],
        due_on=timezone.localdate() + timedelta(days=7),
    )
    toggle = reverse("feedback:commitment_toggle", args=[commitment.pk])
    client.force_login(org["colleague"])  # sees the shared plan, does not own the commitment
    page = client.get(plan.get_absolute_url()).content.decode()
    assert toggle not in page
    assert client.post(toggle).status_code == 403
    commitment.refresh_from_db()
    assert commitment.done_at is None
    client.force_login(org["leader"])  # above the manager: plans for the team
    assert toggle in client.get(plan.get_absolute_url()).content.decode()
    client.post(toggle)
    commitment.refresh_from_db()
    assert commitment.done_at is not None


def test_an_unknown_template_or_question_action_says_why_and_changes_nothing(client, org, team):
    from tests.factories import survey_program

    program = survey_program(org, name="Fresh survey")
    client.force_login(org["hr"])
    refused = client.post(
        reverse("feedback:survey_create", args=[program.pk]), {"template": "pulse\x00"}, follow=True
    )
    assert "Choose one of the templates." in refused.content.decode()
    assert not Form.objects.filter(program=program).exists()
    client.post(reverse("feedback:survey_create", args=[program.pk]), {"template": "pulse"})
    before = list(program.feedback_form.questions.order_by("position").values_list("pk", flat=True))
    url = reverse("feedback:question_change", args=[program.pk, before[1]])
    page = client.post(url, {"action": "sideways"}, follow=True).content.decode()
    assert "Choose move up, move down or remove." in page
    after = list(program.feedback_form.questions.order_by("position").values_list("pk", flat=True))
    assert after == before
