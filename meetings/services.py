"""Writes on a meeting: talking points, notes, action items, how it went.

Any of these marks the session as touched, so re-planning never alters it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from engagement import access
from engagement.models import Person
from meetings.models import ActionItem, Note, TalkingPoint
from scheduling.models import Session, SessionStatus

MAX_TEXT = 300


def _touch(session: Session) -> None:
    Session.objects.filter(pk=session.pk, touched=False).update(touched=True)


def _require_insider(actor: Person, session: Session) -> None:
    if not access.can_work_on_session(actor, session):
        raise PermissionDenied("Only the people in this session may change what it records.")


def _clean_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": f"Write the {what} first."})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": f"Keep the {what} under {MAX_TEXT} characters (it has {len(text)})."}
        )
    return text


@transaction.atomic
def talking_point_add(*, session: Session, author: Person, text: str) -> TalkingPoint:
    _require_insider(author, session)
    point = TalkingPoint.objects.create(
        program=session.program,
        series=session.series,
        raised_in=session,
        author=author,
        text=_clean_text(text, "talking point"),
    )
    _touch(session)
    return point


@transaction.atomic
def talking_point_tick(*, point: TalkingPoint, session: Session, actor: Person) -> TalkingPoint:
    """Tick a point off in ``session``, or reopen it when it was ticked off there."""
    _require_insider(actor, session)
    if point.done_at is None:
        point.done_in, point.done_at = session, timezone.now()
    elif point.done_in_id == session.pk:
        point.done_in, point.done_at = None, None
    point.save(update_fields=["done_in", "done_at"])
    _touch(session)
    return point


@transaction.atomic
def note_save(*, session: Session, author: Person, body: str, private: bool) -> Note:
    _require_insider(author, session)
    if len(body) > 20000:
        raise ValidationError({"body": "Notes are limited to 20,000 characters."})
    lookup = {"session": session, "private": private}
    if private:
        lookup["author"] = author
    note, _ = Note.objects.select_for_update().get_or_create(
        **lookup, defaults={"author": author, "body": body}
    )
    note.body, note.author = body, author
    note.save()
    _touch(session)
    return note


@transaction.atomic
def action_item_add(
    *, session: Session, creator: Person, owner: Person, text: str, due_on: date | None
) -> ActionItem:
    _require_insider(creator, session)
    if owner.pk not in access.session_insiders(session):
        raise ValidationError({"owner": "Give the action to someone in this session."})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date cannot be in the past."})
    item = ActionItem.objects.create(
        program=session.program,
        series=session.series,
        raised_in=session,
        owner=owner,
        created_by=creator,
        text=_clean_text(text, "action"),
        due_on=due_on,
    )
    _touch(session)
    return item


def action_item_toggle(*, item: ActionItem, actor: Person) -> ActionItem:
    """Mark done (or open again); the owner and the session's people may."""
    allowed = item.owner_id == actor.pk or access.can_work_on_session(actor, item.raised_in)
    if not allowed:
        raise PermissionDenied("Only the owner and the session's people may change this action.")
    item.done_at = None if item.done_at else timezone.now()
    item.save(update_fields=["done_at"])
    return item


@transaction.atomic
def session_record_outcome(
    *, session: Session, actor: Person, status: str, attended: set[int]
) -> Session:
    """Record that a session was held (with who attended) or missed."""
    if not access.can_manage_session(actor, session):
        raise PermissionDenied("Only the host and the program's owner record how it went.")
    if status not in {SessionStatus.HELD, SessionStatus.MISSED}:
        raise ValidationError("Choose held or missed.")
    if session.starts_at > timezone.now():
        raise ValidationError("A session can be marked held or missed once it has started.")
    session.status = status
    session.touched = True
    session.save(update_fields=["status", "touched", "updated_at"])
    participants = session.participants.exclude(signup="waitlisted")
    if status == SessionStatus.MISSED:
        attended = set()
    participants.filter(person_id__in=attended).update(attended=True)
    participants.exclude(person_id__in=attended).update(attended=False)
    return session
