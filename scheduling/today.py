"""The scheduling app's lines of a person's today list (registered in ``ready``): the
submissions they owe (a scorecard, the month's accomplishments, a development plan)
whose period has opened and that are due within a week or overdue by up to two.

Surveys are submissions too, but the feedback app lists those with its own link and
wording; the others link where the app that records them says (``submit_url``), or
to the period's page. One query.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from engagement import extensions
from engagement.extensions import TodayItem
from engagement.models import Person, ProgramStatus
from engagement.practices import Capability, codes
from scheduling.models import Participant, ParticipantRole, SessionKind, SessionStatus

DUE_SOON = timedelta(days=7)
# A submission more than two weeks late is left to the owner's reminders.
LATE = timedelta(days=14)


def submissions_due(person: Person, now: datetime) -> list[TodayItem]:
    owed = (
        Participant.objects.filter(
            person=person,
            role=ParticipantRole.SUBMITTER,
            submitted_on__isnull=True,
            session__kind=SessionKind.PERIOD,
            session__program__status=ProgramStatus.ACTIVE,
            session__starts_at__lte=now,
            session__due_at__gt=now - LATE,
            session__due_at__lte=now + DUE_SOON,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .exclude(session__program__practice__in=codes(capability=Capability.SURVEY))
        .select_related("session__program")
        .order_by("session__due_at")
    )
    items = []
    for participant in owed:
        session = participant.session
        overdue = session.due_at < now
        due = date_format(timezone.localtime(session.due_at), "D j M")
        items.append(
            TodayItem(
                kind="submission",
                title=session.title,
                url=extensions.ask("submit_url", session, default=session.get_absolute_url()),
                when=session.due_at,
                detail=f"{'Was due' if overdue else 'Due'} {due}",
                overdue=overdue,
            )
        )
    return items
