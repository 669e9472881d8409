"""Surveys to answer, the survey builder, results dashboards and action plans."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from engagement import access, validators
from engagement.exports import csv_response
from engagement.models import Person
from engagement.practices import Capability
from feedback import access as feedback_access
from feedback import dashboards, forms, selectors, services, windows
from feedback.bank import TEMPLATES, after_session_templates, driver_label
from feedback.models import ActionPlan, Commitment, Form, Question, Response
from feedback.tables import (
    BreakdownTable,
    DriverTable,
    HealthTable,
    breakdown_rows,
    department_rows,
)
from scheduling.models import Session

# Answering ---------------------------------------------------------------------------


def my_surveys(request: HttpRequest) -> HttpResponse:
    """Surveys open to me, what I have answered, and what changed as a result."""
    viewer = request.user
    now = timezone.now()
    invitations = windows.surveys_to_answer(viewer, now)
    open_now = [p for p in invitations if p.is_open and p.submitted_on is None]
    answered = [p for p in invitations if p.submitted_on is not None]
    editable = {
        r.window_id: r
        for r in Response.objects.filter(
            respondent=viewer, window_id__in=[p.session_id for p in answered]
        )
    }
    recent_sessions = windows.feedback_due(viewer, now)
    plans = (
        feedback_access.action_plans_visible_to(viewer)
        .filter(shared_at__isnull=False, manager__in=Person.objects.above(viewer).values("pk"))
        .select_related("manager", "window", "window__program")
        .prefetch_related("commitments")[:5]
    )
    return render(
        request,
        "feedback/my_surveys.html",
        {
            "open_now": open_now,
            "recent_sessions": recent_sessions,
            "answered": [(p, editable.get(p.session_id)) for p in answered],
            "plans": plans,
        },
    )


def _window_for(request, pk) -> Session:
    window = (
        windows.survey_windows_for(request.user).select_related("program").filter(pk=pk).first()
    )
    if window is None:
        raise Http404("No such survey.")
    return window


def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a survey window (or change an attributed answer while it is open)."""
    window = _window_for(request, pk)
    survey = Form.objects.filter(program_id=window.program_id).first()
    if survey is None:
        raise Http404("This survey has no questions yet.")
    questions = list(survey.questions.select_related("section"))
    mine = windows.invitations(survey, [window]).filter(person=request.user).first()
    if mine is None:
        raise Http404("No such survey.")
    answered = windows.has_answered(survey, window, request.user)
    existing = None
    if not survey.anonymous:
        existing = Response.objects.filter(window=window, respondent=request.user).first()
    is_open = windows.window_is_open(window)
    initial = {}
    if existing is not None:
        by_pk = {q.pk: q for q in questions}
        for item in existing.answers.all():
            key = f"q{item.question_id}"
            question = by_pk.get(item.question_id)
            if question is None:
                continue
            if question.kind == "multi":
                initial.setdefault(key, []).append(str(item.value))
            elif question.kind == "text":
                initial[key] = item.text
            else:
                initial[key] = str(item.value)
    form = forms.AnswerForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST":
        if not is_open:
            messages.error(request, "This survey has closed.")
            return redirect("feedback:my_surveys")
        if answered and existing is None:
            messages.error(request, "You have already answered this survey.")
            return redirect("feedback:my_surveys")
        if form.is_valid():
            try:
                if existing is not None:
                    services.response_update(
                        response=existing, person=request.user, answers=form.given()
                    )
                else:
                    services.response_submit(
                        window=window, person=request.user, answers=form.given()
                    )
            except ValidationError as error:
                validators.add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    "Thank you. Your answers are anonymous: nobody can see who gave them."
                    if survey.anonymous
                    else "Thank you. You can change your answers until the survey closes.",
                )
                return redirect("feedback:my_surveys")
    return render(
        request,
        "feedback/answer.html",
        {
            "window": window,
            "survey": survey,
            "form": form,
            "is_open": is_open,
            "already": answered and existing is None,
            "editing": existing is not None,
        },
        status=400 if request.method == "POST" else 200,
    )


# Building the survey ---------------------------------------------------------------


def _survey_program(request, program_pk):
    program = access.program_for_view(request.user, program_pk)
    practice = program.practice_info
    if not practice.has(Capability.SURVEY) and practice.after_session is None:
        raise Http404("Only feedback programs and programs asking for feedback have questions.")
    return program


def survey_edit(request: HttpRequest, program_pk: int, bound: dict | None = None, status=200):
    program = _survey_program(request, program_pk)
    survey = Form.objects.filter(program=program).first()
    can_edit = access.can_edit_program(request.user, program)
    bound = bound or {}
    locked = survey.is_locked() if survey else False
    return render(
        request,
        "feedback/survey_edit.html",
        {
            "program": program,
            "survey": survey,
            "questions": survey.questions.select_related("section") if survey else [],
            "can_edit": can_edit and not locked,
            "is_editor": can_edit,
            "show_results": feedback_access.has_results_home(request.user),
            "locked": locked,
            "templates": [(key, name, len(keys)) for key, (name, keys) in TEMPLATES.items()]
            if program.practice_info.has(Capability.SURVEY)
            else [
                (program.practice, name, len(keys))
                for name, keys in [after_session_templates()[program.practice]]
            ],
            "survey_practices": windows.survey_practices(),
            "question_form": bound.get("question") or forms.QuestionForm(survey=survey),
            "bank_form": bound.get("bank") or forms.BankForm(),
            "section_form": bound.get("section") or forms.SectionForm(),
        },
        status=status,
    )


@require_POST
def survey_create(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = _survey_program(request, program_pk)
    chosen = forms.TemplateForm(request.POST)
    # Anything but a known template reaches the service as none: it refuses it, or
    # picks the practice's own for feedback after sessions.
    template = chosen.cleaned_data["template"] if chosen.is_valid() else ""
    try:
        services.form_create(actor=request.user, program=program, template=template)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Questions added from the template; adjust them before it opens.")
    return redirect("feedback:survey_edit", program_pk=program.pk)


def _editable_survey(request, program_pk) -> Form:
    program = _survey_program(request, program_pk)
    survey = Form.objects.filter(program=program).first()
    if survey is None:
        raise Http404("Choose a template first.")
    if not access.can_edit_program(request.user, program):
        raise PermissionDenied(
            "Only HR administrators and the program's owner change its questions."
        )
    return survey


@require_POST
def question_add(request: HttpRequest, program_pk: int) -> HttpResponse:
    survey = _editable_survey(request, program_pk)
    form = forms.QuestionForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            services.question_add(actor=request.user, form=survey, **form.service_arguments())
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect("feedback:survey_edit", program_pk=program_pk)
    return survey_edit(request, program_pk, {"question": form}, status=400)


@require_POST
def bank_add(request: HttpRequest, program_pk: int) -> HttpResponse:
    survey = _editable_survey(request, program_pk)
    form = forms.BankForm(request.POST)
    if form.is_valid():
        try:
            services.questions_add_from_bank(
                actor=request.user, form=survey, keys=form.cleaned_data["keys"]
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect("feedback:survey_edit", program_pk=program_pk)
    return survey_edit(request, program_pk, {"bank": form}, status=400)


@require_POST
def section_add(request: HttpRequest, program_pk: int) -> HttpResponse:
    survey = _editable_survey(request, program_pk)
    form = forms.SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_add(actor=request.user, form=survey, title=form.cleaned_data["title"])
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect("feedback:survey_edit", program_pk=program_pk)
    return survey_edit(request, program_pk, {"section": form}, status=400)


@require_POST
def question_change(request: HttpRequest, program_pk: int, question_pk: int) -> HttpResponse:
    survey = _editable_survey(request, program_pk)
    question = Question.objects.filter(form=survey, pk=question_pk).select_related("form").first()
    if question is None:
        raise Http404("No such question.")
    chosen = forms.QuestionActionForm(request.POST)
    try:
        if not chosen.is_valid():
            raise ValidationError(chosen.errors["action"][0])
        action = chosen.cleaned_data["action"]
        if action == "remove":
            services.question_remove(actor=request.user, question=question)
        else:
            services.question_move(actor=request.user, question=question, up=action == "up")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("feedback:survey_edit", program_pk=program_pk)


# Results ---------------------------------------------------------------------------

# plotly.js writes its own stylesheet and some style attributes at run time and has no
# strict-CSP build (plotly/plotly.js#7543), so the pages that draw charts allow inline
# *styles*; scripts stay 'self' only there as everywhere.
plotly_styles = csp_update({"style-src": ["'unsafe-inline'"]})


@plotly_styles
def results_home(request: HttpRequest) -> HttpResponse:
    """Where "Results" opens, keeping the chosen survey: the whole organisation for HR
    (whose own team is reached from it), a manager's own team for the others."""
    viewer = request.user
    if not feedback_access.has_results_home(viewer):
        raise Http404("Results are shown for teams; you have no team.")
    if access.is_hr(viewer):
        # HR reads the whole organisation: the page of the person at its top.
        top = (
            Person.objects.filter(manager__isnull=True, direct_reports__isnull=False)
            .order_by("pk")
            .first()
        )
    elif access.is_manager(viewer):
        top = viewer
    else:
        top = None
    if top is None:
        raise Http404("Results are shown for teams; you have no team.")
    url = reverse("feedback:results", args=[top.pk])
    survey = request.GET.get("survey", "")
    return redirect(f"{url}?{urlencode({'survey': survey})}" if survey.isdigit() else url)


def _results_manager(request, manager_pk) -> Person:
    manager = Person.objects.filter(pk=manager_pk).first()
    if manager is None or not feedback_access.can_view_results(request.user, manager):
        raise Http404("No such team.")
    return manager


@plotly_styles
def results(request: HttpRequest, manager_pk: int) -> HttpResponse:
    """A team's results: the manager's page, and a senior leader's for everyone below."""
    manager = _results_manager(request, manager_pk)
    surveys = list(selectors.survey_forms(request.user))
    survey = selectors.pick(surveys, request.GET.get("survey"))
    upward = selectors.pick(surveys, None, upward=True)
    scope = "team" if request.GET.get("scope") == "team" else "org"
    context = {
        "manager": manager,
        "surveys": surveys,
        "survey": survey,
        "scope": scope,
        "is_self": manager.pk == request.user.pk,
        "can_plan": feedback_access.can_plan_for_team(request.user, manager),
        "survey_practices": windows.survey_practices(),
        "chain": list(
            Person.objects.above(manager).filter(
                Q(pk=request.user.pk) | Q(pk__in=Person.objects.below(request.user).values("pk"))
            )
        )
        if manager.pk != request.user.pk
        else [],
    }
    if survey is None:
        return render(request, "feedback/results.html", context)
    board = dashboards.build(
        form=survey,
        manager=manager,
        scope=scope,
        comment_driver=request.GET.get("driver", ""),
        upward=upward if upward and upward.pk != survey.pk else None,
        viewer=request.user,
    )
    driver_table = DriverTable(board.drivers, prefix="drivers-")
    breakdown_table = None
    if board.parts and board.windows:
        breakdown_table = BreakdownTable(
            breakdown_rows(board.parts, board.windows[-1].pk, survey.min_group_size),
            prefix="teams-",
            link=lambda row: dashboards.results_url(
                row["manager_id"], survey, "team" if row["is_team"] else "org"
            ),
        )
    department_table = None
    # One department holding the whole organisation would only repeat the headline.
    whole = board.latest.respondents if board.latest else None
    if len(board.departments) > 1 or (
        board.departments and board.departments[0]["respondents"] != whole
    ):
        department_table = BreakdownTable(department_rows(board.departments), prefix="depts-")
        department_table.columns.hide("enps")
    health_table = None
    if board.health:
        health_table = HealthTable(
            [
                row
                for row in board.health
                if row["planned"] or row["due"] or row.get("ratings") or row["feedback_responses"]
            ],
            prefix="health-",
        )
    export = request.GET.get("_export")
    if export:
        tables_ = {
            "drivers": driver_table,
            "teams": breakdown_table,
            "departments": department_table,
            "health": health_table,
        }
        table = tables_.get(request.GET.get("table"))
        if export != "csv" or table is None:
            raise Http404("Results export as CSV.")
        return csv_response(table, f"{request.GET.get('table')}.csv")
    RequestConfig(request, paginate=False).configure(driver_table)
    if breakdown_table is not None:
        RequestConfig(request, paginate={"per_page": 25}).configure(breakdown_table)
    if health_table is not None:
        RequestConfig(request, paginate=False).configure(health_table)
    if department_table is not None:
        RequestConfig(request, paginate=False).configure(department_table)
    context.update(
        {
            "board": board,
            "driver_table": driver_table,
            "breakdown_table": breakdown_table,
            "health_table": health_table,
            "department_table": department_table,
            "comment_driver": request.GET.get("driver", ""),
            "driver_label": driver_label,
            "plan_form": forms.PlanStartForm(windows=board.windows),
            "kpi_engagement": board.kpi("engagement"),
            "kpi_enps": board.kpi("enps"),
            "kpi_participation": board.kpi("participation"),
        }
    )
    return render(request, "feedback/results.html", context)


# Action plans ------------------------------------------------------------------------


@require_POST
def plan_start(request: HttpRequest, manager_pk: int) -> HttpResponse:
    manager = _results_manager(request, manager_pk)
    request_form = forms.PlanRequestForm(request.POST)
    if not request_form.is_valid() and "survey" in request_form.errors:
        raise Http404("No such survey.")
    survey = Form.objects.filter(program_id=request_form.cleaned_data["survey"]).first()
    if (
        survey is None
        or not access.programs_visible_to(request.user).filter(pk=survey.program_id).exists()
    ):
        raise Http404("No such survey.")
    window_id = request_form.cleaned_data.get("window")
    window = (
        Session.objects.filter(program_id=survey.program_id, pk=window_id).first()
        if window_id
        else None
    )
    if window is None:
        messages.error(request, "Choose the survey window the plan answers.")
        return redirect("feedback:results", manager_pk=manager.pk)
    try:
        plan = services.plan_start(actor=request.user, form=survey, window=window, manager=manager)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("feedback:results", manager_pk=manager.pk)
    return redirect(plan)


def _plan_for_view(request, pk) -> ActionPlan:
    plan = (
        feedback_access.action_plans_visible_to(request.user)
        .select_related("manager", "window", "window__program", "form")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No such action plan.")
    return plan


def plan_detail(request: HttpRequest, pk: int, bound: dict | None = None, status=200):
    plan = _plan_for_view(request, pk)
    can_edit = feedback_access.can_plan_for_team(request.user, plan.manager)
    bound = bound or {}
    return render(
        request,
        "feedback/plan_detail.html",
        {
            "plan": plan,
            "commitments": plan.commitments.select_related("owner"),
            "toggleable": set(
                feedback_access.commitments_toggleable_by(request.user, plan).values_list(
                    "pk", flat=True
                )
            ),
            "can_edit": can_edit,
            "can_see_results": feedback_access.can_view_results(request.user, plan.manager),
            "summary_form": bound.get("summary")
            or forms.PlanSummaryForm(initial={"summary": plan.summary}),
            "commitment_form": bound.get("commitment") or forms.CommitmentForm(plan=plan),
            "driver_label": driver_label,
        },
        status=status,
    )


@require_POST
def plan_summary(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_view(request, pk)
    form = forms.PlanSummaryForm(request.POST)
    if form.is_valid():
        try:
            services.plan_save_summary(
                actor=request.user, plan=plan, summary=form.cleaned_data["summary"]
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect(plan)
    return plan_detail(request, pk, {"summary": form}, status=400)


@require_POST
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_view(request, pk)
    form = forms.CommitmentForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.commitment_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect(plan)
    return plan_detail(request, pk, {"commitment": form}, status=400)


@require_POST
def commitment_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = Commitment.objects.select_related("plan").filter(pk=pk).first()
    if commitment is None:
        raise Http404("No such commitment.")
    plan = _plan_for_view(request, commitment.plan_id)
    services.commitment_toggle(actor=request.user, commitment=commitment)
    return redirect(plan)


@require_POST
def plan_share(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_view(request, pk)
    try:
        services.plan_share(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, "Shared: the team sees it on their surveys page and on the results."
        )
    return redirect(plan)
