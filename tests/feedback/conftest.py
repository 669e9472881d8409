"""A survey program with one open window and a past one, and a team big enough to show."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engagement.models import AudienceKind
from feedback import services
from feedback.models import Form, Question
from scheduling.models import Participant, Session
from tests.factories import make_person, make_program


def open_window(program, *, days_ago=1, length=10):
    start = timezone.now() - timedelta(days=days_ago)
    window = Session.objects.create(
        program=program,
        series="main",
        planned_start=start,
        starts_at=start,
        ends_at=start + timedelta(days=length),
        due_at=start + timedelta(days=length),
        kind="period",
        title=program.name,
        uid=__import__("uuid").uuid4(),
    )
    people = program.audience_members()
    Participant.objects.bulk_create(
        [Participant(session=window, person=p, role="submitter") for p in people]
    )
    return window


@pytest.fixture
def team(org):
    """The manager's team grown to six: employee, colleague and four more."""
    extra = [make_person(f"member{i}", manager=org["manager"]) for i in range(4)]
    return [org["employee"], org["colleague"], *extra]


def survey_program(org, *, anonymous=True, minimum=5, name="Team pulse", team_only=True):
    audience = (
        {
            "audience_kind": AudienceKind.TEAM,
            "audience_manager": org["leader"],
            "audience_include_indirect": True,
        }
        if team_only
        else {}
    )
    program = make_program(
        "EE3",
        owner=org["hr"],
        name=name,
        config={
            "window_days": 10,
            "anonymous": anonymous,
            "min_group_size": minimum,
            "comment_min_group_size": minimum,
            "reminder_lead_hours": 48,
        },
        **audience,
    )
    return program


def pulse_form(program, created_by):
    """A form of four simple questions that ``answers_for`` fills in."""
    form = Form.objects.create(program=program, created_by=created_by)
    Question.objects.bulk_create(
        [
            Question(form=form, position=0, kind="likert", text="Proud", driver="engagement"),
            Question(form=form, position=1, kind="likert", text="Recognised", driver="recognition"),
            Question(form=form, position=2, kind="enps", text="Recommend", driver="enps"),
            Question(form=form, position=3, kind="text", text="Comment", required=False),
        ]
    )
    return form


@pytest.fixture
def pulse(org, team):
    """An anonymous pulse for everyone below the leader, with simple questions."""
    return pulse_form(survey_program(org), org["hr"])


def answers_for(form, likert=4, recognition=4, enps=9, comment=""):
    questions = {q.text: q.pk for q in form.questions.all()}
    Given = services.Given
    return {
        questions["Proud"]: Given(value=likert),
        questions["Recognised"]: Given(value=recognition),
        questions["Recommend"]: Given(value=enps),
        questions["Comment"]: Given(text=comment),
    }
