"""Answering surveys: once per window, anonymity by construction, attributed edits."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from engagement import services as engagement_services
from feedback import services
from feedback.models import Answer, Form, Question, Response
from scheduling import planner
from scheduling.models import Participant, Session
from tests.factories import answers_for, open_window, survey_program


def test_an_anonymous_response_keeps_no_trace_of_its_author(org, pulse):
    window = open_window(pulse.program)
    assert (
        services.response_submit(window=window, person=org["employee"], answers=answers_for(pulse))
        is None
    )
    response = Response.objects.get()
    assert response.respondent is None
    assert response.submitted_at is None
    assert isinstance(response.pk, type(__import__("uuid").uuid4()))
    receipt = Participant.objects.get(session=window, person=org["employee"])
    assert receipt.submitted_on == timezone.localdate()
    # The receipt is a date, not a moment; the answers have no time at all.
    assert isinstance(Participant._meta.get_field("submitted_on"), models.DateField)
    for model in (Response, Answer):
        assert not any(
            isinstance(f, models.DateTimeField) and getattr(response, f.name, None)
            for f in model._meta.get_fields()
            if hasattr(f, "attname")
        )
        assert model._meta.pk.get_internal_type() == "UUIDField"


def test_there_is_no_join_path_from_receipts_to_answers():
    """No relation between the receipt table and the answer tables, either way."""
    for model in (Response, Answer):
        related = {
            f.related_model
            for f in model._meta.get_fields()
            if f.is_relation and f.related_model is not None
        }
        assert Participant not in related
    related = {f.related_model for f in Participant._meta.get_fields() if f.is_relation}
    assert Response not in related
    assert Answer not in related
    # Response rows reference the window or month (the shared key) and group columns only.
    columns = {f.name for f in Response._meta.concrete_fields}
    assert columns == {
        "id",
        "form",
        "window",
        "period",
        "respondent",
        "manager",
        "department",
        "submitted_at",
        "stage",
    }


def test_each_person_answers_once_per_window(org, pulse):
    window = open_window(pulse.program)
    services.response_submit(window=window, person=org["employee"], answers=answers_for(pulse))
    with pytest.raises(ValidationError, match="already answered"):
        services.response_submit(window=window, person=org["employee"], answers=answers_for(pulse))
    assert Response.objects.count() == 1


def test_someone_not_invited_cannot_answer(org, pulse):
    window = open_window(pulse.program)
    with pytest.raises(PermissionDenied):
        services.response_submit(window=window, person=org["outsider"], answers=answers_for(pulse))
    assert not Response.objects.exists()


def test_a_closed_window_takes_no_answers(org, pulse):
    window = open_window(pulse.program, days_ago=20)
    with pytest.raises(ValidationError, match="closed"):
        services.response_submit(window=window, person=org["employee"], answers=answers_for(pulse))


def test_bad_answers_get_the_form_back_with_messages(client, org, pulse):
    window = open_window(pulse.program)
    client.force_login(org["employee"])
    url = reverse("feedback:answer", args=[window.pk])
    proud = pulse.questions.get(text="Proud")
    response = client.post(url, {f"q{proud.pk}": "9"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "This field is required." in page
    assert not Response.objects.exists()
    assert Participant.objects.get(session=window, person=org["employee"]).submitted_on is None


def test_a_monthly_pulse_whose_window_opened_days_ago_is_open_on_surveys(client, org, pulse):
    # The program's monthly occurrence was three days ago: the planner opens that
    # window now rather than waiting for next month's.
    program = pulse.program
    program.starts_on = timezone.localdate() - timedelta(days=3)
    program.rrule = "FREQ=MONTHLY"
    program.save()
    planner.session_plan(program=program)
    window = Session.objects.filter(program=program).earliest("starts_at")
    assert window.starts_at < timezone.now() < window.due_at
    client.force_login(org["employee"])
    page = client.get(reverse("feedback:my_surveys")).content.decode()
    assert reverse("feedback:answer", args=[window.pk]) in page


def test_an_employee_answers_through_the_page(client, org, pulse):
    window = open_window(pulse.program)
    client.force_login(org["employee"])
    page = client.get(reverse("feedback:my_surveys")).content.decode()
    assert reverse("feedback:answer", args=[window.pk]) in page
    data = {f"q{q.pk}": "4" for q in pulse.questions.filter(kind="likert")}
    data[f"q{pulse.questions.get(kind='enps').pk}"] = "10"
    response = client.post(reverse("feedback:answer", args=[window.pk]), data, follow=True)
    assert "nobody can see who gave them" in response.content.decode()
    assert Answer.objects.filter(value=10).count() == 1
    again = client.get(reverse("feedback:answer", args=[window.pk])).content.decode()
    assert "You have answered this survey" in again


def test_an_attributed_response_can_be_changed_until_the_window_closes(org, team):
    program = survey_program(org, anonymous=False, name="Named pulse")
    form = Form.objects.create(program=program)
    question = Question.objects.create(
        form=form, position=0, kind="likert", text="Q", driver="growth"
    )
    window = open_window(program)
    response = services.response_submit(
        window=window, person=org["employee"], answers={question.pk: services.Given(value=2)}
    )
    assert response.respondent == org["employee"]
    services.response_update(
        response=response, person=org["employee"], answers={question.pk: services.Given(value=5)}
    )
    assert list(Answer.objects.values_list("value", flat=True)) == [5]
    with pytest.raises(PermissionDenied):
        services.response_update(
            response=response,
            person=org["colleague"],
            answers={question.pk: services.Given(value=1)},
        )
    window.due_at = timezone.now() - timedelta(minutes=1)
    window.save()
    response.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.response_update(
            response=response,
            person=org["employee"],
            answers={question.pk: services.Given(value=1)},
        )
    assert list(Answer.objects.values_list("value", flat=True)) == [5]


def test_the_minimum_group_size_is_fixed_once_the_survey_opens(org, pulse):
    program = pulse.program
    config = {**program.config, "min_group_size": 3}
    engagement_services.program_update(actor=org["hr"], program=program, config=config)
    program.refresh_from_db()
    assert program.config["min_group_size"] == 3
    open_window(program)
    with pytest.raises(ValidationError, match="can no longer change"):
        engagement_services.program_update(
            actor=org["hr"], program=program, config={**program.config, "min_group_size": 8}
        )
    with pytest.raises(ValidationError, match="can no longer change"):
        engagement_services.program_update(
            actor=org["hr"], program=program, config={**program.config, "anonymous": False}
        )
    program.refresh_from_db()
    assert program.config["min_group_size"] == 3


def test_the_minimum_group_size_is_never_below_three(client, org):
    from engagement.practices import get_practice

    with pytest.raises(ValidationError, match="at least 3"):
        get_practice("EE3").clean_config({"min_group_size": 2})


def test_questions_are_fixed_once_the_survey_opens(org, pulse):
    open_window(pulse.program)
    with pytest.raises(ValidationError, match="fixed"):
        services.question_add(actor=org["hr"], form=pulse, kind="likert", text="New")
    assert pulse.questions.count() == 4


def test_survey_reminders_go_only_to_those_who_have_not_answered(org, pulse, mailoutbox):
    from scheduling.reminders import reminders_prepare, reminders_send

    window = open_window(pulse.program, days_ago=9)  # closes in a day: inside the lead time
    services.response_submit(window=window, person=org["employee"], answers=answers_for(pulse))
    reminders_prepare(now=timezone.now())
    reminders_send(now=timezone.now())
    recipients = {m.to[0] for m in mailoutbox}
    assert org["employee"].email not in recipients
    assert org["colleague"].email in recipients
    message = next(m for m in mailoutbox if m.to == [org["colleague"].email])
    assert "You have not answered" in message.body
    assert reverse("feedback:answer", args=[window.pk]) in message.body
    for other in ("employee", "manager", "member0"):
        assert other not in message.body.lower().split("hello", 1)[1].split("\n", 1)[1]
