"""Who may read and change what happens in a meeting: the meetings app's access rules,
built on engagement's and scheduling's.

Views, selectors, forms, templates and services ask here; none of them filters records
by who is looking on its own.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from engagement.access import (
    can_edit_program,
    in_audience,
    is_hr,
    program_for_view,
    programs_visible_to,
)
from engagement.models import Person, Program
from engagement.practices import Capability
from meetings.models import ActionItem, Note, Proposal
from scheduling.access import (
    can_manage_session,
    private_q,
    session_for_view,
    session_insiders,
)
from scheduling.models import Session, SessionKind


def can_work_on_session(viewer: Person, session) -> bool:
    """Meetings have points, notes and actions; submission periods do not."""
    return session.kind == SessionKind.MEETING and viewer.pk in session_insiders(session)


def session_for_work(viewer: Person, pk: int):
    """A session the viewer works on; to anyone else it does not exist."""
    session = session_for_view(viewer, pk)
    if not can_work_on_session(viewer, session):
        raise Http404("No such session.")
    return session


def notes_visible_to(viewer: Person) -> QuerySet:
    """Shared notes, and of the private ones only the viewer's own: a private note is
    its author's alone, administrators included."""
    return Note.objects.filter(Q(private=False) | Q(private=True, author=viewer))


def series_visible_to(viewer: Person, session) -> QuerySet:
    """The sessions of ``session``'s series, for its people: whoever works on one
    session of a series reads the whole history it carries over."""
    if not can_work_on_session(viewer, session):
        return Session.objects.none()
    return Session.objects.filter(program_id=session.program_id, series=session.series)


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
    owned_groups = owned_groups.exclude(private_q())
    return items.filter(
        Q(owner=viewer)
        | Q(partner=viewer)
        | Q(raised_in__in=inside.values("pk"))
        | Q(raised_in__in=owned_groups.values("pk"))
    )


def action_items_owned_by(viewer: Person) -> QuerySet:
    """The viewer's own actions, alone or shared with someone of another department."""
    return ActionItem.objects.filter(Q(owner=viewer) | Q(partner=viewer))


def can_answer_round_table(viewer: Person, session) -> bool:
    """Answer the topics raised and publish the summary: the leader hosting the round
    table (and the program's editors)."""
    return can_manage_session(viewer, session)


def is_council_member(viewer: Person, program: Program, day=None) -> bool:
    return program.members.serving_on(day or timezone.localdate()).filter(person=viewer).exists()


def council_for_view(viewer: Person, program_pk: int) -> Program:
    """A program that takes proposals, seen by the viewer; anything else is no council."""
    program = program_for_view(viewer, program_pk)
    if not program.practice_info.has(Capability.PROPOSALS):
        raise Http404("Only an employee council has this page.")
    return program


def can_submit_proposal(viewer: Person, program: Program) -> bool:
    return (
        program.practice_info.has(Capability.PROPOSALS)
        and program.is_active
        and (in_audience(viewer, program) or is_council_member(viewer, program))
    )


def is_council_side(viewer: Person, program: Program) -> bool:
    """The council's members serving today, its owner and HR."""
    if not program.practice_info.has(Capability.PROPOSALS):
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


def lunch_and_learn_for_view(viewer: Person, program_pk: int) -> Program:
    """A program whose topics are proposed and voted on, seen by the viewer."""
    program = program_for_view(viewer, program_pk)
    if not program.practice_info.has(Capability.LEARNING_TOPICS):
        raise Http404("Only a lunch & learn has topic proposals.")
    return program


def can_schedule_learning_topics(viewer: Person, program: Program) -> bool:
    """Put topics on sessions with their presenters: the program's owner and editors."""
    return program.owner_id == viewer.pk or can_edit_program(viewer, program)


def can_propose_learning_topic(viewer: Person, program: Program) -> bool:
    """Propose and vote on topics: the audience and the host."""
    return (
        program.practice_info.has(Capability.LEARNING_TOPICS)
        and program.is_active
        and (program.owner_id == viewer.pk or in_audience(viewer, program))
    )
