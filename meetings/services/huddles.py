"""Daily huddles: the WHY, the focus, who was there and their moods, in one go."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from engagement.models import Person
from engagement.practices import Capability
from engagement.validators import check_length
from meetings.models import DailyWhy, MoodCheckIn
from scheduling import access as scheduling_access
from scheduling.models import ParticipantRole, Session, SessionStatus


@transaction.atomic
def huddle_record(
    *,
    session: Session,
    actor: Person,
    why: str,
    focus: str,
    present: set[int],
    moods: dict[int, int],
) -> DailyWhy:
    """Record a daily huddle in one go: the WHY, focus, who was there, their moods.

    From the day it is planned on it counts as held, with its host there; the mood of
    someone marked absent is left out. Saved before that day, it keeps the WHY and focus
    and stays planned.
    """
    if not session.program.practice_info.has(Capability.HUDDLE):
        raise ValidationError("Only daily huddles have a WHY.")
    if not scheduling_access.can_manage_session(actor, session):
        raise PermissionDenied("Only the supervisor running the huddle records it.")
    why = why.strip()
    if not why:
        raise ValidationError({"why": "Write today's WHY: why today's work matters."})
    check_length(why, 500, field="why")
    focus = check_length(focus.strip(), 2000, field="focus")
    if any(mood not in range(1, 6) for mood in moods.values()):
        raise ValidationError({"moods": "Moods go from 1 to 5."})
    daily, _ = DailyWhy.objects.update_or_create(
        session=session,
        defaults={"why": why, "focus": focus, "written_by": actor},
    )
    if not session.day_has_come():
        session.touched = True
        session.save(update_fields=["touched", "updated_at"])
        return daily
    people = set(session.participants.values_list("person_id", flat=True))
    hosts = session.participants.filter(role=ParticipantRole.HOST)
    # The host runs the huddle, so is there whatever the team list says.
    present = (present & people) | set(hosts.values_list("person_id", flat=True))
    session.participants.filter(person_id__in=present).update(attended=True)
    session.participants.exclude(person_id__in=present).update(attended=False)
    MoodCheckIn.objects.filter(session=session).delete()
    MoodCheckIn.objects.bulk_create(
        [
            MoodCheckIn(session=session, person_id=person_id, mood=mood)
            for person_id, mood in moods.items()
            if person_id in present
        ]
    )
    session.status = SessionStatus.HELD
    session.touched = True
    session.save(update_fields=["status", "touched", "updated_at"])
    return daily
