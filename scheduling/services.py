"""Changes people make to sessions: cancel, move, sign up, withdraw, RSVP.

A service taking an ``actor`` checks that the actor may make the change (the views
check first, to answer 404 or 403; this keeps any other caller honest), and sends its
mail and queues its tasks only once the change is committed.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_q.tasks import async_task

from engagement.models import Person
from engagement.practices import Capability
from engagement.validators import check_length
from scheduling import access as scheduling_access
from scheduling.models import RSVP, Participant, ParticipantRole, Session, SessionStatus, SignUp


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("program").get(pk=session.pk)


def _check_manager(actor: Person, session: Session) -> None:
    if not scheduling_access.can_manage_session(actor, session):
        raise PermissionDenied("Only the host and the program's owner may change this session.")


@transaction.atomic
def session_cancel(*, session: Session, actor: Person, reason: str = "") -> Session:
    """Cancel one session; re-planning keeps it cancelled."""
    check_length(reason, 200, field="reason")
    session = _locked(session)
    _check_manager(actor, session)
    if session.status == SessionStatus.HELD:
        raise ValidationError("This session was held; it can no longer be cancelled.")
    if session.status != SessionStatus.CANCELLED:
        session.status = SessionStatus.CANCELLED
        # A reason someone typed was checked above; only the default is shortened.
        session.cancel_reason = reason or f"Cancelled by {actor}"[:200]
        session.touched = True
        session.sequence += 1
        session.save()
    return session


# How far back a meeting that already took place may be logged at the time it did.
HELD_LOG_DAYS = 31


@transaction.atomic
def session_move(
    *, session: Session, actor: Person, starts_at: datetime, already_held: bool = False
) -> Session:
    """Move one session to a new start, keeping its length; re-planning keeps it there.

    A session is moved into the future, unless it ``already_held``: then it goes to
    when it took place, today or up to ``HELD_LOG_DAYS`` days back (the caller records
    it held in the same transaction).
    """
    session = _locked(session)
    _check_manager(actor, session)
    if already_held:
        _check_held_start(session, starts_at)
    else:
        if session.status != SessionStatus.SCHEDULED:
            raise ValidationError(
                f"This session is {session.get_status_display().lower()}; only scheduled "
                "sessions can be moved."
            )
        if starts_at <= timezone.now():
            raise ValidationError(
                {
                    "starts_at": "Choose a time in the future. A meeting that already took "
                    "place is recorded as held instead, with the time it started."
                }
            )
    length = session.ends_at - session.starts_at
    if session.moved_from is None:
        session.moved_from = session.starts_at
    if session.due_at is not None:
        session.due_at = starts_at + (session.due_at - session.starts_at)
    session.starts_at, session.ends_at = starts_at, starts_at + length
    session.touched = True
    session.sequence += 1
    session.save()
    return session


def _check_held_start(session: Session, starts_at: datetime) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError("This session is cancelled; it cannot be recorded as held.")
    zone = session.program.zone
    today = timezone.localdate(timezone=zone)
    day = timezone.localtime(starts_at, zone).date()
    if day > today:
        raise ValidationError(
            {"starts_at": "It can be recorded as held on the day it takes place, not before."}
        )
    if (today - day).days > HELD_LOG_DAYS:
        raise ValidationError(
            {
                "starts_at": f"Choose a day in the last {HELD_LOG_DAYS} days: "
                "older meetings cannot be logged."
            }
        )


@transaction.atomic
def session_sign_up(*, session: Session, person: Person) -> Participant:
    """Sign up for an open session: confirmed while seats remain, else on the waitlist."""
    session = _locked(session)
    if session.program.practice_info.has(Capability.RSVP):
        raise ValidationError("Social events take an RSVP: answer yes, maybe or no.")
    if not scheduling_access.can_sign_up(person, session):
        raise PermissionDenied("This session is not open to you for sign-up.")
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= timezone.now():
        raise ValidationError("Sign-up has closed for this session.")
    if session.participants.filter(person=person).exists():
        raise ValidationError("You are already signed up for this session.")
    confirmed = session.participants.filter(signup=SignUp.CONFIRMED).count()
    full = session.capacity is not None and confirmed >= session.capacity
    try:
        with transaction.atomic():
            return Participant.objects.create(
                session=session,
                person=person,
                role=ParticipantRole.ATTENDEE,
                planned=False,
                signup=SignUp.WAITLISTED if full else SignUp.CONFIRMED,
                signed_up_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError("You are already signed up for this session.") from None


@transaction.atomic
def session_withdraw(*, session: Session, person: Person) -> Participant | None:
    """Withdraw a sign-up; a freed seat goes to the first on the waitlist, who is told.

    Returns the promoted participant, if any.
    """
    session = _locked(session)
    mine = session.participants.filter(person=person, planned=False).first()
    if mine is None:
        raise ValidationError("You are not signed up for this session.")
    freed_seat = mine.signup == SignUp.CONFIRMED
    mine.delete()
    return promote_next(session) if freed_seat else None


def promote_next(session: Session) -> Participant | None:
    """Give a freed seat to the first on the waitlist, and tell them (session locked)."""
    promoted = (
        session.participants.filter(signup=SignUp.WAITLISTED).order_by("signed_up_at", "pk").first()
    )
    if promoted is None:
        return None
    promoted.signup = SignUp.CONFIRMED
    promoted.save(update_fields=["signup"])
    transaction.on_commit(lambda: _tell_promoted(promoted.pk))
    return promoted


RSVP_SIGNUP = {RSVP.MAYBE: SignUp.MAYBE, RSVP.NO: SignUp.DECLINED}


@transaction.atomic
def session_rsvp(*, session: Session, person: Person, answer: str) -> Participant:
    """Answer a social event: yes takes a seat (or the waitlist when full), maybe
    keeps it on the calendar without a seat, no declines. Changing a yes frees the seat
    for the first on the waitlist."""
    if answer not in {RSVP.YES, RSVP.NO, RSVP.MAYBE}:
        raise ValidationError("Answer yes, no or maybe.")
    session = _locked(session)
    if not session.program.practice_info.has(Capability.RSVP):
        raise ValidationError("Only social events take RSVPs; sign up instead.")
    if not scheduling_access.can_rsvp(person, session):
        raise PermissionDenied("This event is not open to you.")
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= timezone.now():
        raise ValidationError("Answers have closed for this event.")
    mine = session.participants.filter(person=person).first()
    if mine is not None and mine.planned:
        raise ValidationError("You host this event.")
    if mine is not None and mine.rsvp == answer:
        return mine
    had_seat = mine is not None and mine.signup == SignUp.CONFIRMED
    if answer == RSVP.YES:
        confirmed = session.participants.filter(signup=SignUp.CONFIRMED).count()
        full = session.capacity is not None and confirmed >= session.capacity
        signup = SignUp.WAITLISTED if full else SignUp.CONFIRMED
    else:
        signup = RSVP_SIGNUP[answer]
    if mine is None:
        mine = Participant(
            session=session, person=person, role=ParticipantRole.ATTENDEE, planned=False
        )
    mine.rsvp, mine.signup, mine.signed_up_at = answer, signup, timezone.now()
    mine.save()
    if had_seat and answer != RSVP.YES:
        promote_next(session)
    return mine


def _tell_promoted(participant_id: int) -> None:
    async_task("scheduling.tasks.tell_promoted", participant_id)


@transaction.atomic
def council_sync(program) -> int:
    """Bring coming employee council meetings in line with the terms of its members, the
    ones people already prepared included: the planner leaves those alone, but a
    member whose term ended must not sit in them, and a new member must.

    Returns how many places were added or removed.
    """
    members = list(
        program.members.filter(person__is_active=True).values_list(
            "person_id", "starts_on", "ends_on"
        )
    )
    if not program.members.exists():
        return 0
    sessions = list(
        Session.objects.select_for_update()
        .filter(program=program, status=SessionStatus.SCHEDULED, starts_at__gt=timezone.now())
        .prefetch_related("participants")
    )
    zone, changed = program.zone, 0
    for session in sessions:
        day = session.starts_at.astimezone(zone).date()
        serving = {
            person
            for person, begins, ends in members
            if begins <= day and (ends is None or ends >= day) and person != program.owner_id
        }
        seated = {p.person_id: p for p in session.participants.all()}
        stale = [
            p.pk
            for person, p in seated.items()
            if p.planned and p.role == ParticipantRole.ATTENDEE and person not in serving
        ]
        fresh = [
            Participant(
                session=session, person_id=person, role=ParticipantRole.ATTENDEE, planned=True
            )
            for person in serving - set(seated)
        ]
        if stale:
            Participant.objects.filter(pk__in=stale).delete()
        if fresh:
            Participant.objects.bulk_create(fresh)
        if stale or fresh:
            Session.objects.filter(pk=session.pk).update(sequence=session.sequence + 1)
        changed += len(stale) + len(fresh)
    return changed
