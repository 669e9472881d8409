"""Decisions recorded in meetings, and a council's page: members, proposals, decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from engagement import access, validators
from engagement.models import ProgramMember
from engagement.practices import Capability
from meetings import access as meetings_access
from meetings import forms
from meetings.services import council as services
from meetings.tables import ProposalTable
from meetings.views.common import session_again


@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_record(
                session=session, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect(session.get_absolute_url() + "#decisions")
    return session_again(request, pk, "decision_form", form)


@require_POST
def proposals_discussed(request: HttpRequest, pk: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    if not session.program.practice_info.has(Capability.PROPOSALS):
        raise Http404("Only council meetings discuss proposals.")
    form = forms.ProposalsDiscussedForm(request.POST, program=session.program)
    if form.is_valid():
        try:
            services.proposals_discussed(
                session=session,
                actor=request.user,
                proposals=list(form.cleaned_data["proposals"]),
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, "The minutes now link the proposals discussed.")
            return redirect(session.get_absolute_url() + "#proposals")
    return session_again(request, pk, "discussed_form", form)


def council(request: HttpRequest, program_pk: int, forms_: dict | None = None, status=200):
    """A council's page: its members, the proposals brought to it, and a way to bring one."""
    viewer = request.user
    program = meetings_access.council_for_view(viewer, program_pk)
    proposals = meetings_access.proposals_visible_to(viewer).filter(program=program)
    mine = ProposalTable(proposals.filter(author=viewer), prefix="mine-")
    everything = ProposalTable(proposals, prefix="all-")
    RequestConfig(request, paginate={"per_page": 10}).configure(mine)
    RequestConfig(request, paginate={"per_page": 20}).configure(everything)
    can_edit = access.can_edit_program(viewer, program)
    today = timezone.localdate()
    members = list(program.members.select_related("person", "person__department"))
    forms_ = forms_ or {}
    return render(
        request,
        "meetings/council.html",
        {
            "program": program,
            "current": [m for m in members if m.serves_on(today)],
            "other_terms": [m for m in members if not m.serves_on(today)],
            "mine": mine,
            "everything": everything,
            "can_submit": meetings_access.can_submit_proposal(viewer, program),
            "can_edit": can_edit,
            "proposal_form": forms_.get("proposal") or forms.ProposalForm(),
            "member_form": forms_.get("member")
            or (
                forms.MemberForm(program=program, initial={"starts_on": today})
                if can_edit
                else None
            ),
            "today": today,
        },
        status=status,
    )


@require_POST
def proposal_submit(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = meetings_access.council_for_view(request.user, program_pk)
    form = forms.ProposalForm(request.POST)
    if form.is_valid():
        try:
            proposal = services.proposal_submit(
                program=program, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(
                request, "Proposal sent to the council. You will hear what it decides."
            )
            return redirect(proposal)
    return council(request, program_pk, {"proposal": form}, status=400)


@require_POST
def member_add(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = access.program_for_edit(request.user, program_pk)
    form = forms.MemberForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.member_seat(actor=request.user, program=program, **form.cleaned_data)
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, "Seated on the council; its next meetings include them.")
            return redirect("meetings:council", program_pk=program.pk)
    return council(request, program_pk, {"member": form}, status=400)


@require_POST
def member_end(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = ProgramMember.objects.select_related("program").filter(pk=member_pk).first()
    if member is None:
        raise Http404("No such council member.")
    program = access.program_for_edit(request.user, member.program_id)
    try:
        services.member_end(actor=request.user, member=member, ends_on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{member.person}'s term ends today.")
    return redirect("meetings:council", program_pk=program.pk)


def proposal_detail(request: HttpRequest, pk: int, move_form=None) -> HttpResponse:
    proposal = meetings_access.proposal_for_view(request.user, pk)
    can_decide = meetings_access.can_decide_proposal(request.user, proposal.program, proposal)
    return render(
        request,
        "meetings/proposal_detail.html",
        {
            "proposal": proposal,
            "program": proposal.program,
            "show_author": meetings_access.can_see_proposal_author(request.user, proposal),
            "events": proposal.events.select_related("actor"),
            "discussed_in": proposal.discussed_in.order_by("starts_at"),
            "move_form": (move_form or forms.ProposalMoveForm(proposal=proposal))
            if can_decide and proposal.next_statuses
            else None,
        },
        status=400 if move_form is not None else 200,
    )


@require_POST
def proposal_move(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = meetings_access.proposal_for_view(request.user, pk)
    if not meetings_access.can_decide_proposal(request.user, proposal.program, proposal):
        raise PermissionDenied("Only council members and the council's owner decide proposals.")
    form = forms.ProposalMoveForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            services.proposal_move(proposal=proposal, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, "Recorded; the proposer has been told.")
            return redirect(proposal)
    return proposal_detail(request, pk, move_form=form)
