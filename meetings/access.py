"""Who may read and change what happens in a meeting: the meetings app's access rules,
built on engagement's and scheduling's."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from engagement.access import can_edit_program, in_audience, is_hr, programs_visible_to
from engagement.models import Person, Program
from meetings.models import ActionItem, Proposal
from scheduling.access import private_series_q, session_insiders
from scheduling.models import Session


def can_work_on_session(viewer: Person, session) -> bool:
    """Meetings have points, notes and actions; submission periods do not."""
    return session.kind == "meeting" and viewer.pk in session_insiders(session)


def can_change_action_item(viewer: Person, item) -> bool:
    """Mark done or reopen: the action's owners and the people of its session."""
    if viewer.pk in (item.owner_id, item.partner_id):
        return True
    return can_work_on_session(viewer, item.raised_in)


def action_items_visible_to(viewer: Person) -> QuerySet:
    """Action items the viewer owns, or of sessions they are inside."""
    items = ActionItem.objects.all()
    inside = Session.objects.with_place_for(viewer)
    owned_groups = Session.objects.filter(program__owner=viewer)
    owned_groups = owned_groups.exclude(private_series_q())
    return items.filter(
        Q(owner=viewer)
        | Q(partner=viewer)
        | Q(raised_in__in=inside.values("pk"))
        | Q(raised_in__in=owned_groups.values("pk"))
    )


def is_council_member(viewer: Person, program: Program, day=None) -> bool:
    return program.members.serving_on(day or timezone.localdate()).filter(person=viewer).exists()


def can_submit_proposal(viewer: Person, program: Program) -> bool:
    return (
        program.practice == "EE5"
        and program.is_active
        and (in_audience(viewer, program) or is_council_member(viewer, program))
    )


def is_council_side(viewer: Person, program: Program) -> bool:
    """The council's members serving today, its owner and HR."""
    if program.practice != "EE5":
        return False
    if is_hr(viewer) or program.owner_id == viewer.pk:
        return True
    return is_council_member(viewer, program)


def can_decide_proposal(viewer: Person, program: Program, proposal=None) -> bool:
    """Move a proposal on: the council's side, while the council is active, and never
    for a proposal of one's own."""
    if proposal is not None and proposal.author_id == viewer.pk:
        return False
    return program.is_active and is_council_side(viewer, program)


def proposals_visible_to(viewer: Person) -> QuerySet:
    """Proposals of the councils whose program the viewer sees."""
    proposals = Proposal.objects.all()
    return proposals.filter(program__in=programs_visible_to(viewer).values("pk"))


def can_see_proposal_author(viewer: Person, proposal) -> bool:
    return proposal.author_id == viewer.pk or is_council_side(viewer, proposal.program)


def proposal_for_view(viewer: Person, pk: int):
    proposal = (
        proposals_visible_to(viewer).select_related("program", "author").filter(pk=pk).first()
    )
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


def can_schedule_learning_topics(viewer: Person, program: Program) -> bool:
    """Put topics on sessions with their presenters: the program's owner and editors."""
    return program.owner_id == viewer.pk or can_edit_program(viewer, program)


def can_propose_learning_topic(viewer: Person, program: Program) -> bool:
    """Propose and vote on topics: the audience and the host."""
    return (
        program.practice == "EE15"
        and program.is_active
        and (program.owner_id == viewer.pk or in_audience(viewer, program))
    )
