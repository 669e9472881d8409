"""Writes on feedback: building forms, answering them, and action plans.

Answering is where anonymity is made: an anonymous response is written with
no respondent and no time, and the receipt (the person's
``Participant.submitted_on``) is a separate row with nothing in common but
the window. Each service validates everything and saves everything, or
raises ``ValidationError`` with a message a person understands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Max, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from engagement import access
from engagement.models import Person, Program
from engagement.models.people import below_sql, climb
from engagement.practices import Capability
from engagement.validators import check_length
from feedback import access as feedback_access
from feedback import ballots
from feedback.bank import BANK, DRIVERS, TEMPLATES, BankQuestion, after_session_templates
from feedback.models import (
    ActionPlan,
    Answer,
    Commitment,
    Form,
    Question,
    QuestionKind,
    Response,
    Section,
    Stage,
)
from feedback.windows import (
    invitations,
    period_for,
    sessions_between,
    survey_practices,
    window_is_open,
)
from scheduling.models import Session

MAX_CHOICES = 12
TEXT_LIMIT = 2000


# Building forms ------------------------------------------------------------------


def _require_editor(actor: Person, form: Form) -> None:
    if not access.can_edit_program(actor, form.program):
        raise PermissionDenied(
            "Only HR administrators and the survey's owner change its questions."
        )


def _require_unlocked(form: Form) -> None:
    if form.is_locked():
        raise ValidationError(
            "The survey has opened: its questions are fixed so that every answer means the "
            "same thing. Start a new survey program to ask something else."
        )


def _question_from_bank(form: Form, item: BankQuestion, position: int, section=None) -> Question:
    return Question(
        form=form,
        section=section,
        position=position,
        kind=item.kind,
        text=item.text,
        driver=item.driver,
        code=item.code,
        required=item.required,
        choices=list(item.choices),
    )


@transaction.atomic
def form_create(
    *, actor: Person, program: Program, template: str = "pulse", intro: str = ""
) -> Form:
    """Give a survey program its questions, from one of the bank's templates; or give a
    1-on-1, lunch & learn or inter-department program its feedback after sessions."""
    practice = program.practice_info
    if practice.after_session is not None:
        template = f"after:{program.practice}"
    elif not practice.has(Capability.SURVEY):
        raise ValidationError(
            f"Questions belong to a feedback program ({survey_practices()}), or follow the "
            "sessions of 1-on-1s, lunch & learns and inter-department sessions."
        )
    if not access.can_edit_program(actor, program):
        raise PermissionDenied("Only HR administrators and the program's owner build its survey.")
    if Form.objects.filter(program=program).exists():
        raise ValidationError("This program already has its questions.")
    templates = {
        **TEMPLATES,
        **{f"after:{code}": value for code, value in after_session_templates().items()},
    }
    if template not in templates:
        raise ValidationError({"template": "Choose one of the templates."})
    intro = check_length(intro.strip(), 2000, field="intro")
    form = Form.objects.create(program=program, created_by=actor, intro=intro)
    _, keys = templates[template]
    Question.objects.bulk_create(
        [_question_from_bank(form, BANK[key], position) for position, key in enumerate(keys)]
    )
    return form


def _next_position(form: Form) -> int:
    top = form.questions.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def _clean_choices(kind: str, choices: list[str]) -> list[str]:
    cleaned = [c.strip()[:100] for c in choices if c and c.strip()]
    if kind in {QuestionKind.SINGLE, QuestionKind.MULTI}:
        if len(cleaned) < 2:
            raise ValidationError({"choices": "Give at least two choices, one per line."})
        if len(cleaned) > MAX_CHOICES:
            raise ValidationError({"choices": f"Keep it to {MAX_CHOICES} choices or fewer."})
        if len(set(cleaned)) != len(cleaned):
            raise ValidationError({"choices": "Each choice must be different."})
        return cleaned
    return []


@transaction.atomic
def question_add(
    *,
    actor: Person,
    form: Form,
    kind: str,
    text: str,
    driver: str = "",
    required: bool = True,
    choices: list[str] | None = None,
    section: Section | None = None,
) -> Question:
    _require_editor(actor, form)
    _require_unlocked(form)
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": "Choose a question type."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the question."})
    check_length(text, 300, field="text")
    if section is not None and section.form_id != form.pk:
        raise ValidationError({"section": "Choose a section of this survey."})
    if kind == QuestionKind.ENPS:
        driver = "enps"
    elif driver and kind != QuestionKind.LIKERT:
        raise ValidationError({"driver": "Only 1-to-5 agreement questions score a driver."})
    return Question.objects.create(
        form=form,
        section=section,
        position=_next_position(form),
        kind=kind,
        text=text,
        driver=driver,
        required=required,
        choices=_clean_choices(kind, choices or []),
    )


@transaction.atomic
def questions_add_from_bank(*, actor: Person, form: Form, keys: list[str]) -> int:
    _require_editor(actor, form)
    _require_unlocked(form)
    unknown = [key for key in keys if key not in BANK]
    if unknown:
        raise ValidationError({"keys": "Choose questions from the bank."})
    start = _next_position(form)
    Question.objects.bulk_create(
        [_question_from_bank(form, BANK[key], start + i) for i, key in enumerate(keys)]
    )
    return len(keys)


@transaction.atomic
def section_add(*, actor: Person, form: Form, title: str) -> Section:
    """A heading placed before the next questions added."""
    _require_editor(actor, form)
    _require_unlocked(form)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Name the section."})
    check_length(title, 150, field="title")
    position = form.sections.count()
    return Section.objects.create(form=form, position=position, title=title)


@transaction.atomic
def question_move(*, actor: Person, question: Question, up: bool) -> None:
    """Swap a question with its neighbour above or below."""
    form = question.form
    _require_editor(actor, form)
    _require_unlocked(form)
    siblings = list(form.questions.select_for_update().order_by("position", "pk"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings):
        item.position = position
    Question.objects.bulk_update(siblings, ["position"])


@transaction.atomic
def question_remove(*, actor: Person, question: Question) -> None:
    form = question.form
    _require_editor(actor, form)
    _require_unlocked(form)
    question.delete()
    form.questions.filter(position__gt=question.position).update(position=F("position") - 1)
    # Its answers went with it: counts of closed windows must be made again.
    ballots.untally_form(form)


# Answering -------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """What a person gave for one question: a number, several choices, or text."""

    value: int | None = None
    values: tuple[int, ...] = ()
    text: str = ""


def clean_answers(form: Form, raw: dict[int, Given]) -> dict[int, Given]:
    """Check every answer against its question; raise one error per question."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, Given] = {}
    for question in form.questions.all():
        given = raw.get(question.pk, Given())
        key = f"q{question.pk}"
        empty = given.value is None and not given.values and not given.text.strip()
        if empty:
            if question.required:
                errors[key] = ["Please answer this question."]
            continue
        if question.kind == QuestionKind.LIKERT and given.value not in range(1, 6):
            errors[key] = ["Choose from 1 (strongly disagree) to 5 (strongly agree)."]
        elif question.kind == QuestionKind.ENPS and given.value not in range(11):
            errors[key] = ["Choose from 0 to 10."]
        elif question.kind == QuestionKind.SINGLE and given.value not in range(
            len(question.choices)
        ):
            errors[key] = ["Choose one of the options."]
        elif question.kind == QuestionKind.MULTI and not set(given.values) <= set(
            range(len(question.choices))
        ):
            errors[key] = ["Choose among the options."]
        elif question.kind == QuestionKind.TEXT and len(given.text) > TEXT_LIMIT:
            errors[key] = [f"Keep it under {TEXT_LIMIT} characters (it has {len(given.text)})."]
        else:
            cleaned[question.pk] = given
    if errors:
        raise ValidationError(errors)
    return cleaned


def _answer_rows(response: Response, form: Form, answers: dict[int, Given]) -> list[Answer]:
    common = {
        "response": response,
        "form": form,
        "window_id": response.window_id,
        "period_id": response.period_id,
        "manager_id": response.manager_id,
        "department_id": response.department_id,
    }
    rows = []
    for question_id, given in answers.items():
        if given.values:
            rows.extend(
                Answer(question_id=question_id, value=value, **common)
                for value in sorted(set(given.values))
            )
        elif given.text.strip():
            rows.append(Answer(question_id=question_id, text=given.text.strip(), **common))
        else:
            rows.append(Answer(question_id=question_id, value=given.value, **common))
    return rows


@transaction.atomic
def response_submit(
    *, window: Session, person: Person, answers: dict[int, Given]
) -> Response | None:
    """Answer a survey window once.

    Anonymous surveys return ``None``: nothing returned, stored or logged ties
    the answers to ``person``. Attributed surveys return the response, which its
    author may change with ``response_update`` until the window closes.
    """
    form = Form.objects.select_related("program").get(program_id=window.program_id)
    if not window_is_open(window):
        raise ValidationError("This survey is closed.")
    cleaned = clean_answers(form, answers)
    period = None
    if form.after_sessions:
        period = period_for(form, window)
        month = sessions_between(form, period.starts_at, period.ends_at)
        # One answer per person per month, so a month's respondents are distinct
        # people: lock the person's rows of the month, then look for a receipt.
        mine = list(
            invitations(form, month)
            .filter(person=person)
            .select_for_update()
            .values_list("session_id", "submitted_on")
        )
        if any(submitted for _, submitted in mine):
            raise ValidationError(
                f"You have already given feedback on {form.program} this month. Thank you."
            )
        invited_here = invitations(form, month)
    else:
        invited_here = invitations(form, [window])
    # The receipt first: one conditional update on the person's own invitation row
    # both proves the invitation and stops a second answer, even from two tabs at once.
    receipted = (
        invitations(form, [window])
        .filter(person=person, submitted_on__isnull=True)
        .update(submitted_on=timezone.localdate())
    )
    if not receipted:
        if not invitations(form, [window]).filter(person=person).exists():
            raise PermissionDenied("This survey is not open to you.")
        raise ValidationError("You have already answered this survey.")
    anonymous = form.anonymous
    manager_id, department_id = _filing(person, invited_here, form.min_group_size)
    response = Response.objects.create(
        form=form,
        # Feedback after sessions names the month, never the session: a 1-on-1 has
        # only one person who could have rated it.
        window=None if period else window,
        period=period,
        respondent=None if anonymous else person,
        manager_id=manager_id,
        department_id=department_id,
        submitted_at=None if anonymous else timezone.now(),
    )
    Answer.objects.bulk_create(_answer_rows(response, form, cleaned))
    # A window whose dates were moved after it was sealed takes answers again: its
    # scores come from the answers until it is sealed again.
    ballots.reopen(form, window_id=response.window_id, period_id=response.period_id)
    if anonymous:
        ballots.mix_window(form, response)
        return None
    return response


def _filing(person: Person, invited: QuerySet, minimum: int) -> tuple[int | None, int | None]:
    """The group a response is filed under: the respondent's manager when the team has
    at least ``minimum`` people invited, else the nearest manager above whose
    organisation has; the department only when it has that many invited.

    So the group columns never narrow an answer to fewer people than the minimum,
    even for someone reading the database. A handful of queries, at answer time.
    """

    def people(**where) -> int:
        return invited.filter(**where).values("person").distinct().count()

    def large_enough(manager_id: int) -> bool:
        if manager_id == person.manager_id:
            return people(person__manager_id=manager_id) >= minimum
        org = RawSQL(*below_sql(manager_id, and_self=True, vendor=connection.vendor))
        return people(person__manager_id__in=org) >= minimum

    # Too few everywhere: the top of the organisation, where nothing is shown.
    manager_id = climb(person, large_enough, or_top=True)
    department_id = person.department_id
    if department_id is not None and people(person__department_id=department_id) < minimum:
        department_id = None
    return manager_id, department_id


@transaction.atomic
def response_update(*, response: Response, person: Person, answers: dict[int, Given]) -> Response:
    """Change an attributed response while its window is open."""
    if response.respondent_id != person.pk:
        raise PermissionDenied("Only its author changes a response.")
    if not window_is_open(response.window):
        raise ValidationError("This survey has closed; your answers stand as they were.")
    cleaned = clean_answers(response.form, answers)
    response.answers.all().delete()
    Answer.objects.bulk_create(_answer_rows(response, response.form, cleaned))
    ballots.reopen(response.form, window_id=response.window_id, period_id=response.period_id)
    response.stage = Stage.HELD
    response.submitted_at = timezone.now()
    response.save(update_fields=["submitted_at", "stage"])
    return response


# Action plans ----------------------------------------------------------------------


@transaction.atomic
def plan_start(
    *, actor: Person, form: Form, window: Session, manager: Person, summary: str = ""
) -> ActionPlan:
    """A manager (or someone above them) turns a window's results into commitments."""
    if not feedback_access.can_plan_for_team(actor, manager):
        raise PermissionDenied("Action plans are made by the team's manager or those above.")
    if window.program_id != form.program_id:
        raise ValidationError({"window": "Choose a window of this survey."})
    if window.starts_at > timezone.now():
        raise ValidationError({"window": "This window has not opened yet."})
    summary = check_length(summary.strip(), 2000, field="summary")
    plan, _ = ActionPlan.objects.get_or_create(
        window=window,
        manager=manager,
        defaults={"form": form, "created_by": actor, "summary": summary},
    )
    return plan


def plan_save_summary(*, actor: Person, plan: ActionPlan, summary: str) -> ActionPlan:
    if not feedback_access.can_plan_for_team(actor, plan.manager):
        raise PermissionDenied("Action plans are made by the team's manager or those above.")
    plan.summary = check_length(summary.strip(), 2000, field="summary")
    plan.save(update_fields=["summary"])
    return plan


@transaction.atomic
def commitment_add(
    *, actor: Person, plan: ActionPlan, driver: str, text: str, owner: Person, due_on: date
) -> Commitment:
    if not feedback_access.can_plan_for_team(actor, plan.manager):
        raise PermissionDenied("Action plans are made by the team's manager or those above.")
    if driver not in DRIVERS and driver != "engagement":
        raise ValidationError({"driver": "Tie the commitment to a driver."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write what you will do."})
    check_length(text, 300, field="text")
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The date cannot be in the past."})
    team = {plan.manager_id} | set(Person.objects.below(plan.manager).values_list("pk", flat=True))
    if owner.pk not in team and owner.pk != actor.pk:
        raise ValidationError({"owner": "Give it to the manager or someone in the team."})
    return Commitment.objects.create(
        plan=plan, driver=driver, text=text, owner=owner, due_on=due_on
    )


def commitment_toggle(*, actor: Person, commitment: Commitment) -> Commitment:
    if not feedback_access.can_toggle_commitment(actor, commitment):
        raise PermissionDenied("The owner and the team's manager mark commitments done.")
    commitment.done_at = None if commitment.done_at else timezone.now()
    commitment.save(update_fields=["done_at"])
    return commitment


@transaction.atomic
def plan_share(*, actor: Person, plan: ActionPlan) -> ActionPlan:
    """Share the plan with the team: it shows on their page and next to the next results."""
    if not feedback_access.can_plan_for_team(actor, plan.manager):
        raise PermissionDenied("Action plans are made by the team's manager or those above.")
    if not plan.commitments.exists():
        raise ValidationError("Add at least one commitment before sharing the plan.")
    if plan.shared_at is None:
        plan.shared_at = timezone.now()
        plan.save(update_fields=["shared_at"])
    return plan
