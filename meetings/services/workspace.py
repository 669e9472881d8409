"""What every meeting records: talking points, notes, action items, how it went, moods."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from engagement.models import Person
from engagement.practices import Capability
from engagement.validators import check_length
from meetings import access as meetings_access
from meetings.models import ActionItem, MoodCheckIn, Note, TalkingPoint
from meetings.services.common import clean_text, require_insider, touch
from scheduling import access as scheduling_access
from scheduling import services as scheduling_services
from scheduling.models import WITHOUT_PLACE, Session, SessionStatus


@transaction.atomic
def talking_point_add(*, session: Session, author: Person, text: str) -> TalkingPoint:
    require_insider(author, session)
    point = TalkingPoint.objects.create(
        program=session.program,
        series=session.series,
        raised_in=session,
        author=author,
        text=clean_text(text, "talking point"),
    )
    touch(session)
    return point


@transaction.atomic
def talking_point_tick(*, point: TalkingPoint, session: Session, actor: Person) -> TalkingPoint:
    """Tick a point off in ``session``, or reopen it when it was ticked off there."""
    require_insider(actor, session)
    if point.done_at is None:
        point.done_in, point.done_at = session, timezone.now()
    elif point.done_in_id == session.pk:
        point.done_in, point.done_at = None, None
    point.save(update_fields=["done_in", "done_at"])
    touch(session)
    return point


@transaction.atomic
def note_save(*, session: Session, author: Person, body: str, private: bool) -> Note:
    require_insider(author, session)
    check_length(body, 20000, field="body")
    lookup = {"session": session, "private": private}
    if private:
        lookup["author"] = author
    note, _ = Note.objects.select_for_update().get_or_create(
        **lookup, defaults={"author": author, "body": body}
    )
    note.body, note.author = body, author
    note.save()
    touch(session)
    return note


@transaction.atomic
def action_item_add(
    *,
    session: Session,
    creator: Person,
    owner: Person,
    text: str,
    due_on: date | None,
    partner: Person | None = None,
) -> ActionItem:
    """Give someone in the session an action; where actions are shared (inter-department
    sessions) each has owners from two different departments."""
    require_insider(creator, session)
    insiders = scheduling_access.session_insiders(session)
    if owner.pk not in insiders:
        raise ValidationError({"owner": "Give the action to someone in this session."})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date cannot be in the past."})
    if session.program.practice_info.has(Capability.SHARED_ACTIONS):
        if partner is None:
            raise ValidationError(
                {"partner": "Shared actions have an owner in each department: choose the other."}
            )
        if partner.pk not in insiders:
            raise ValidationError({"partner": "Share the action with someone in this session."})
        if owner.department_id is None:
            raise ValidationError({"owner": f"{owner} has no department; choose another owner."})
        if partner.department_id is None or partner.department_id == owner.department_id:
            raise ValidationError(
                {"partner": f"Choose someone from a department other than {owner}'s."}
            )
    else:
        partner = None
    item = ActionItem.objects.create(
        program=session.program,
        series=session.series,
        raised_in=session,
        owner=owner,
        partner=partner,
        created_by=creator,
        text=clean_text(text, "action"),
        due_on=due_on,
    )
    touch(session)
    return item


def action_item_toggle(*, item: ActionItem, actor: Person) -> ActionItem:
    """Mark done (or open again); the owner and the session's people may."""
    if not meetings_access.can_change_action_item(actor, item):
        raise PermissionDenied("Only the owner and the session's people may change this action.")
    item.done_at = None if item.done_at else timezone.now()
    item.save(update_fields=["done_at"])
    return item


@transaction.atomic
def session_record_outcome(
    *,
    session: Session,
    actor: Person,
    status: str,
    attended: set[int],
    started_at: datetime | None = None,
) -> Session:
    """Record that a session was held (with who attended) or missed, from the day it is
    planned on, earlier than its start included. A meeting held at another time than
    planned (``started_at``) moves there, into the past too: it is logged as it was."""
    if not scheduling_access.can_manage_session(actor, session):
        raise PermissionDenied("Only the host and the program's owner record how it went.")
    if status not in {SessionStatus.HELD, SessionStatus.MISSED}:
        raise ValidationError("Choose held or missed.")
    if status == SessionStatus.HELD and started_at is not None and started_at != session.starts_at:
        session = scheduling_services.session_move(
            session=session, actor=actor, starts_at=started_at, already_held=True
        )
    elif not session.day_has_come():
        raise ValidationError(
            {
                "started_at": "It is planned for a later day: record it on that day, or "
                "give the day it took place."
            }
        )
    session.status = status
    session.touched = True
    session.save(update_fields=["status", "touched", "updated_at"])
    participants = session.participants.exclude(signup__in=WITHOUT_PLACE)
    if status == SessionStatus.MISSED:
        attended = set()
    participants.filter(person_id__in=attended).update(attended=True)
    participants.exclude(person_id__in=attended).update(attended=False)
    return session


def mood_record(*, session: Session, person: Person, mood: int) -> MoodCheckIn:
    """Record (or change) someone's mood at a meeting that checks moods (1-on-1s)."""
    require_insider(person, session)
    if not session.program.practice_info.has(Capability.MOOD_CHECKIN):
        raise ValidationError("Mood check-ins belong to 1-on-1s.")
    if mood not in range(1, 6):
        raise ValidationError({"mood": "Choose a mood from 1 to 5."})
    check_in, _ = MoodCheckIn.objects.update_or_create(
        session=session, person=person, defaults={"mood": mood}
    )
    touch(session)
    return check_in
