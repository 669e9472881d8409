"""Text limits are said, never applied in silence: a text over its limit comes back
with "At most N characters (you typed M)" and nothing of it is cut or saved."""

import importlib
import inspect
from datetime import timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from engagement import validators
from engagement.models import AudienceKind
from scheduling.models import Session, SessionStatus
from scheduling.planner import session_plan
from tests.factories import (
    make_program,
    make_program_below,
    open_window,
    page_of,
    pulse_form,
    survey_program,
)

FORM_MODULES = (
    "engagement.forms",
    "scheduling.forms",
    "scheduling.views.sessions",
    "meetings.forms",
    "feedback.forms",
)


def test_the_message_says_the_limit_and_what_was_typed():
    assert validators.too_long(300, 412) == "At most 300 characters (you typed 412)."
    with pytest.raises(ValidationError) as refused:
        validators.check_length("x" * 151, 150, field="title")
    assert refused.value.message_dict == {"title": ["At most 150 characters (you typed 151)."]}
    assert validators.check_length("fits", 4) == "fits"


def test_every_form_with_a_text_limit_says_it():
    """A new form with a limited text field joins ``TextLimits`` or this fails."""
    offenders = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module_name:
                continue
            limited = any(getattr(f, "max_length", None) for f in form.base_fields.values())
            if limited and not issubclass(form, validators.TextLimits):
                offenders.append(f"{module_name}.{name}")
    assert offenders == []


def test_a_form_field_added_when_the_form_is_made_says_its_limit_too():
    class Dynamic(validators.TextLimits, forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["answer"] = forms.CharField(max_length=5)

    form = Dynamic({"answer": "far too long"})
    assert not form.is_valid()
    assert form.errors["answer"] == ["At most 5 characters (you typed 12)."]


def test_an_over_long_talking_point_comes_back_with_the_limit(client, org, team_program):
    team_program.starts_on = timezone.localdate()
    team_program.save()
    session_plan(program=team_program)
    session = Session.objects.filter(
        program=team_program, series=f"pair:{org['manager'].pk}:{org['employee'].pk}"
    ).earliest("starts_at")
    client.force_login(org["manager"])
    response = client.post(reverse("meetings:point_add", args=[session.pk]), {"text": "p" * 340})
    assert response.status_code == 400
    page = response.content.decode()
    assert "At most 300 characters (you typed 340)." in page
    assert "p" * 340 in page  # what was typed is given back, not lost
    assert not session.talking_points.exists()


def test_an_over_long_survey_comment_comes_back_with_the_limit(client, org):
    pulse = pulse_form(survey_program(org), org["hr"])
    window = open_window(pulse.program)
    questions = {q.text: q.pk for q in pulse.questions.all()}
    client.force_login(org["employee"])
    response = client.post(
        reverse("feedback:answer", args=[window.pk]),
        {
            f"q{questions['Proud']}": "4",
            f"q{questions['Recognised']}": "4",
            f"q{questions['Recommend']}": "9",
            f"q{questions['Comment']}": "c" * 2100,
        },
    )
    assert response.status_code == 400
    assert "At most 2000 characters (you typed 2100)." in response.content.decode()


def test_an_over_long_cancel_reason_is_refused_not_shortened(client, org, team_program):
    session_plan(program=team_program)
    session = Session.objects.filter(program=team_program).earliest("starts_at")
    client.force_login(org["manager"])
    page = page_of(
        client.post(
            reverse("scheduling:session_cancel", args=[session.pk]),
            {"reason": "r" * 250},
            follow=True,
        )
    )
    assert "At most 200 characters (you typed 250)." in page
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_services_refuse_over_long_text_instead_of_cutting_it(org):
    from meetings.services import huddles

    program = make_program(
        "EE12",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        starts_on=timezone.localdate(),
    )
    session_plan(program=program)
    huddle = Session.objects.filter(program=program).earliest("starts_at")
    Session.objects.filter(pk=huddle.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    huddle.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        huddles.huddle_record(
            session=huddle,
            actor=org["manager"],
            why="Our customers ship on time",
            focus="f" * 2001,
            present=set(),
            moods={},
        )
    assert refused.value.message_dict == {"focus": ["At most 2000 characters (you typed 2001)."]}


def test_a_skip_level_question_over_300_characters_is_refused_by_the_program(org):
    program = make_program_below("EE9", org["leader"])
    field = next(f for f in program.practice_info.config_fields if f.name == "questions")
    with pytest.raises(ValidationError) as refused:
        field.clean("What helps?\n" + "q" * 301)
    assert refused.value.messages == ["Line 2: At most 300 characters (you typed 301)."]
    assert field.clean("What helps?\n" + "q" * 300).endswith("q" * 300)
