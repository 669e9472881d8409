"""Decisions recorded in meetings, and a council's proposals from submission to decision."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction

from engagement import services as engagement_services
from engagement.models import Person, Program, ProgramMember
from engagement.practices import Capability
from engagement.validators import check_length
from meetings import access as meetings_access
from meetings.models import Decision, Proposal, ProposalEvent, ProposalStatus
from meetings.services.common import queue, require_insider, touch
from scheduling import services as scheduling_services
from scheduling.models import Session


@transaction.atomic
def decision_record(*, session: Session, actor: Person, text: str) -> Decision:
    if not session.program.practice_info.has(Capability.DECISIONS):
        raise ValidationError("Decisions are recorded in team meetings and council meetings.")
    require_insider(actor, session)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the decision first."})
    check_length(text, 500, field="text")
    decision = Decision.objects.create(
        program=session.program,
        series=session.series,
        session=session,
        text=text,
        recorded_by=actor,
    )
    touch(session)
    return decision


@transaction.atomic
def proposal_submit(*, program: Program, author: Person, title: str, body: str) -> Proposal:
    """Anyone in a council's audience (or on it) brings a proposal to it."""
    if not program.practice_info.has(Capability.PROPOSALS):
        raise ValidationError("Proposals go to an employee council.")
    if not meetings_access.can_submit_proposal(author, program):
        raise PermissionDenied("Only people this council represents may bring it proposals.")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Give the proposal a title."})
    check_length(title, 150, field="title")
    check_length(body or "", 5000, field="body")
    proposal = Proposal.objects.create(
        program=program, author=author, title=title, body=(body or "").strip()
    )
    ProposalEvent.objects.create(proposal=proposal, status=ProposalStatus.SUBMITTED, actor=author)
    return proposal


@transaction.atomic
def proposal_move(*, proposal: Proposal, actor: Person, status: str, reason: str) -> Proposal:
    """Move a proposal on; every move records who made it and why, and the proposer hears."""
    if not meetings_access.can_decide_proposal(actor, proposal.program, proposal):
        raise PermissionDenied(
            "Only council members and the council's owner decide proposals, never their own, "
            "while the council is active."
        )
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if status not in dict(proposal.next_statuses):
        current = proposal.get_status_display().lower()
        raise ValidationError({"status": f"A proposal that is {current} cannot move there."})
    reason = (reason or "").strip()
    if status in {ProposalStatus.ACCEPTED, ProposalStatus.DECLINED} and not reason:
        raise ValidationError({"reason": "Say why: the proposer and everyone else will read it."})
    check_length(reason, 2000, field="reason")
    proposal.status = status
    proposal.save(update_fields=["status", "updated_at"])
    event = ProposalEvent.objects.create(
        proposal=proposal, status=status, actor=actor, reason=reason
    )
    event_id = event.pk
    transaction.on_commit(lambda: queue("meetings.services.council.tell_proposer", event_id))
    return proposal


def tell_proposer(event_id: int) -> None:
    event = ProposalEvent.objects.select_related("proposal__author", "actor").get(pk=event_id)
    proposal, author = event.proposal, event.proposal.author
    if not author.is_active or not author.email or not author.email_reminders:
        return
    lines = [
        f"Your proposal “{proposal.title}” is now {event.get_status_display().lower()}.",
        f"Decided by {event.actor}." if event.actor else None,
        f"Why: {event.reason}" if event.reason else None,
        f"See it: {settings.SITE_URL}{proposal.get_absolute_url()}",
    ]
    send_mail(
        f"Your proposal: {event.get_status_display()}",
        "\n\n".join(line for line in lines if line) + "\n",
        None,
        [author.email],
    )


@transaction.atomic
def proposals_discussed(*, session: Session, actor: Person, proposals: list[Proposal]) -> int:
    """Link the proposals a council meeting discussed to its minutes."""
    if not session.program.practice_info.has(Capability.PROPOSALS):
        raise ValidationError("Proposals are discussed in council meetings.")
    require_insider(actor, session)
    if any(p.program_id != session.program_id for p in proposals):
        raise ValidationError({"proposals": "Choose proposals brought to this council."})
    session.proposals.set(proposals)
    touch(session)
    return len(proposals)


# Members ------------------------------------------------------------------------------


@transaction.atomic
def member_seat(*, actor: Person, program: Program, **term) -> ProgramMember:
    """Seat someone on the council and put them in its coming meetings, together: a
    member seated but missing from the meetings would be a half-done change."""
    member = engagement_services.member_add(actor=actor, program=program, **term)
    scheduling_services.council_sync(program)
    return member


@transaction.atomic
def member_end(*, actor: Person, member: ProgramMember, ends_on) -> ProgramMember:
    """End a term and take the person out of the council's meetings after it, together."""
    member = engagement_services.member_end_term(actor=actor, member=member, ends_on=ends_on)
    scheduling_services.council_sync(member.program)
    return member
