"""What every meeting service shares: who may write, text bounds, the touched mark."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django_q.tasks import async_task

from engagement.models import Person
from meetings import access as meetings_access
from scheduling.models import Session

MAX_TEXT = 300


def touch(session: Session) -> None:
    Session.objects.filter(pk=session.pk, touched=False).update(touched=True)


def require_insider(actor: Person, session: Session) -> None:
    if not meetings_access.can_work_on_session(actor, session):
        raise PermissionDenied("Only the people in this session may change what it records.")


def clean_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": f"Write the {what} first."})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": f"Keep the {what} under {MAX_TEXT} characters (it has {len(text)})."}
        )
    return text


def queue(task: str, *args) -> None:
    """E-mail in the background: a slow or failing mail server never fails the request."""
    async_task(task, *args)
