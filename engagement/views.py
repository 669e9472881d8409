"""Pages of the organisation and its programs. Access is decided in ``access``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from engagement import access, accounts, selectors, services, today
from engagement.exports import CsvExportMixin
from engagement.filters import PersonFilter, ProgramFilter
from engagement.forms import ProgramForm
from engagement.models import Person, Program
from engagement.practices import PRACTICES, Gathering, codes, get_practice
from engagement.recurrence import available_time_zones
from engagement.tables import PersonTable, ProgramTable


def home(request: HttpRequest) -> HttpResponse:
    """What needs the person today and what is coming up, then their part of the
    organisation (a leader), the organisation (HR) and their programs."""
    me: Person = request.user
    owned = selectors.programs_owned_by(me)
    one_on_ones = codes(gathering=Gathering.PAIRS)
    context = {
        "me": me,
        "today": today.today_list(me),
        "is_hr": access.is_hr(me),
        "can_import": access.can_import_people(me),
        "can_create": access.can_create_programs(me),
        "part_of": selectors.with_next_start(selectors.programs_part_of(me)),
        "owned": selectors.with_next_start(owned),
        "team": selectors.team_of(me),
        "team_has_one_on_ones": owned.filter(practice__in=one_on_ones).exists(),
        "one_on_one_practice": one_on_ones[0],
    }
    if access.sees_organisation_below(me):
        context["org"] = selectors.organisation_summary(me)
    if access.is_hr(me):
        context["hr"] = selectors.hr_summary()
    return render(request, "engagement/home.html", context)


def practice_list(request: HttpRequest) -> HttpResponse:
    visible = access.programs_visible_to(request.user).select_related("owner").order_by("name")
    by_practice: dict[str, list[Program]] = {p.code: [] for p in PRACTICES}
    for program in visible:
        by_practice[program.practice].append(program)
    rows = [(practice, by_practice[practice.code]) for practice in PRACTICES]
    return render(
        request,
        "engagement/practice_list.html",
        {"rows": rows, "can_create": access.can_create_programs(request.user)},
    )


def practice_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        practice = get_practice(code)
    except LookupError:
        raise Http404("No such practice.") from None
    programs = (
        access.programs_visible_to(request.user)
        .of_practice(practice.code)
        .select_related("owner")
        .order_by("status", "name")
    )
    return render(
        request,
        "engagement/practice_detail.html",
        {
            "practice": practice,
            "programs": programs,
            "defaults": [(f.label, f.default, f.help_text) for f in practice.config_fields],
            "can_create": access.can_create_programs(request.user),
        },
    )


class ProgramListView(CsvExportMixin, SingleTableMixin, FilterView):
    table_class = ProgramTable
    filterset_class = ProgramFilter
    template_name = "engagement/program_list.html"
    table_pagination = {"per_page": 25}
    export_name = "programs"

    def get_queryset(self):
        return (
            access.programs_visible_to(self.request.user)
            .select_related("owner", "audience_manager")
            .prefetch_related("audience_departments")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = access.can_create_programs(self.request.user)
        return context


class PersonListView(CsvExportMixin, SingleTableMixin, FilterView):
    table_class = PersonTable
    filterset_class = PersonFilter
    template_name = "engagement/person_list.html"
    table_pagination = {"per_page": 25}
    export_name = "people"

    def get_queryset(self):
        return access.people_directory(self.request.user).with_report_count()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = access.can_import_people(self.request.user)
        return context


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_view(request.user, pk)
    details = access.can_see_person_details(request.user, person)
    context = {
        "person": person,
        "details": details,
        "reports": selectors.direct_reports_of(person),
        "chain": selectors.reporting_line_of(person),
    }
    if details:
        below = selectors.everyone_below(person)
        below_table = PersonTable(below, prefix="below-")
        RequestConfig(request, paginate={"per_page": 25}).configure(below_table)
        context["below_count"] = below.count()
        context["below_table"] = below_table
        context["programs"] = selectors.programs_of(person, viewer=request.user)
    context["can_invite"] = access.can_invite(request.user, person)
    return render(request, "engagement/person_detail.html", context)


@require_POST
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_invite(request.user, pk)
    if not access.can_invite(request.user, person):
        messages.error(
            request, f"{person} cannot be invited: only active people with an e-mail can be."
        )
    else:
        accounts.invitations_queue(person_ids=[person.pk], inviter=request.user)
        messages.success(
            request, f"An invitation to choose a password is on its way to {person.email}."
        )
    return redirect(person)


def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.program_for_view(request.user, pk)
    audience = program.audience_members().select_related("department", "manager")
    audience_table = None
    if access.can_see_program_audience(request.user, program):
        audience_table = PersonTable(audience.with_report_count(), prefix="audience-")
        RequestConfig(request, paginate={"per_page": 15}).configure(audience_table)
    return render(
        request,
        "engagement/program_detail.html",
        {
            "program": program,
            "practice": program.practice_info,
            "can_edit": access.can_edit_program(request.user, program),
            "next_starts": program.next_starts(count=5) if program.is_active else [],
            "audience_count": audience.count(),
            "audience_table": audience_table,
            "departments": program.audience_departments.all(),
        },
    )


def _program_form_page(request, *, form, practice, program=None) -> HttpResponse:
    return render(
        request,
        "engagement/program_form.html",
        {
            "form": form,
            "practice": practice,
            "program": program,
            "time_zones": sorted(available_time_zones()),
            "config_fields": [form[f"config_{f.name}"] for f in practice.config_fields],
        },
    )


def program_create(request: HttpRequest, code: str) -> HttpResponse:
    try:
        practice = get_practice(code)
    except LookupError:
        raise Http404("No such practice.") from None
    if not access.can_create_programs(request.user):
        raise PermissionDenied("Only managers and HR administrators create programs.")
    if request.method == "POST":
        form = ProgramForm(request.POST, viewer=request.user, practice=practice)
        if form.is_valid():
            try:
                program = services.program_create(
                    actor=request.user, practice=practice.code, **form.service_arguments()
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"“{program}” is now running.")
                return redirect(program)
    else:
        form = ProgramForm(
            viewer=request.user,
            practice=practice,
            initial=ProgramForm.initial_for_new(
                viewer=request.user, practice=practice, today=timezone.localdate()
            ),
        )
    return _program_form_page(request, form=form, practice=practice)


def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = access.program_for_edit(request.user, pk)
    practice = program.practice_info
    if request.method == "POST":
        form = ProgramForm(request.POST, viewer=request.user, practice=practice)
        if form.is_valid():
            try:
                program = services.program_update(
                    actor=request.user, program=program, **form.service_arguments()
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Saved the changes to “{program}”.")
                return redirect(program)
    else:
        form = ProgramForm(
            viewer=request.user,
            practice=practice,
            initial=ProgramForm.initial_for_program(program),
        )
    return _program_form_page(request, form=form, practice=practice, program=program)


def _program_status_change(request, pk: int, *, change, done: str) -> HttpResponse:
    program = access.program_for_edit(request.user, pk)
    try:
        change(actor=request.user, program=program)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done.format(program=program))
    return redirect(program)


@require_POST
def program_pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _program_status_change(
        request,
        pk,
        change=services.program_pause,
        done="“{program}” is paused: nothing new is planned or sent.",
    )


@require_POST
def program_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _program_status_change(
        request, pk, change=services.program_resume, done="“{program}” is running again."
    )
