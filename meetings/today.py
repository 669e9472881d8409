"""The meetings app's lines of a person's today list (registered in ``ready``): their
open actions that are overdue or due within a week, and their meetings of the coming
week, each saying whether its agenda has points yet and which program it recurs in
(a list folds a program's meetings into one line). Two queries."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from engagement.extensions import TodayItem
from engagement.models import Person
from meetings import access as meetings_access
from meetings import selectors

AHEAD = timedelta(days=7)


def today_items(person: Person, now: datetime) -> list[TodayItem]:
    today = timezone.localdate(now)
    items = []
    actions = (
        meetings_access.action_items_owned_by(person)
        .filter(done_at=None, due_on__isnull=False, due_on__lte=today + AHEAD)
        .select_related("raised_in")
        .order_by("due_on", "pk")
    )
    for item in actions:
        due = datetime.combine(item.due_on, time.min, tzinfo=timezone.get_current_timezone())
        items.append(
            TodayItem(
                kind="action",
                title=item.text,
                url=item.raised_in.get_absolute_url() + "#actions",
                when=due,
                detail=f"Due {date_format(item.due_on, 'D j M')}",
                overdue=item.due_on < today,
            )
        )
    for session in selectors.week_ahead(person, now=now).order_by("starts_at"):
        points = session.open_points
        items.append(
            TodayItem(
                kind="meeting",
                title=session.title,
                url=session.get_absolute_url() + "#agenda",
                when=session.starts_at,
                detail=(
                    f"{points} point{'' if points == 1 else 's'} on the agenda"
                    if points
                    else "No points on the agenda yet"
                ),
                series=f"program:{session.program_id}",
                recurring=recurring(session.program),
            )
        )
    return items


def recurring(program) -> str:
    """How a list names a program's meetings folded into one line: "Shift B daily WHY
    huddle, daily on workdays at 07:45"."""
    words = program.schedule_in_words
    return f"{program.name}, {words[:1].lower()}{words[1:]}"
