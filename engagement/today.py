"""A person's today list, as the home page shows it: what needs them now, then what is
coming up, from the items the apps register (``extensions.today``).

Sources return only what is open now (an action due within the week, a survey window
open to the person, a submission due soon, the week's meetings), so everything that
asks the person to do something needs them today; meetings do on the day they are
held and are coming up before. Meetings coming up that recur (a daily huddle, a
manager's 1-on-1s of one program) fold into one line instead of filling the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from engagement import extensions
from engagement.extensions import TodayItem

MEETING = "meeting"


@dataclass(frozen=True)
class Folded:
    """Several coming occurrences of one recurring thing, as one line."""

    title: str
    url: str
    items: tuple[TodayItem, ...]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def next(self) -> TodayItem:
        return self.items[0]

    folded = True


@dataclass
class TodayList:
    needs: list[TodayItem] = field(default_factory=list)
    coming: list[TodayItem | Folded] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.needs or self.coming)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.needs if item.overdue)


def _is_today(item: TodayItem, today) -> bool:
    return item.when is not None and timezone.localdate(item.when) <= today


def fold(items: list[TodayItem]) -> list[TodayItem | Folded]:
    """Items of one series that appear more than once become one line, where the first
    of them was; the others keep their place."""
    by_series: dict[str, list[TodayItem]] = {}
    for item in items:
        if item.series:
            by_series.setdefault(item.series, []).append(item)
    lines: list[TodayItem | Folded] = []
    placed: set[str] = set()
    for item in items:
        group = by_series.get(item.series, [])
        if len(group) < 2:
            lines.append(item)
        elif item.series not in placed:
            placed.add(item.series)
            lines.append(
                Folded(title=item.recurring or item.title, url=item.url, items=tuple(group))
            )
    return lines


def today_list(person, now: datetime | None = None) -> TodayList:
    """What needs ``person`` today (overdue first, then by time), then what is coming
    up, folded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = TodayList()
    coming = []
    for item in extensions.today_items(person, now):
        if item.kind != MEETING or item.overdue or _is_today(item, today):
            result.needs.append(item)
        else:
            coming.append(item)
    result.coming = fold(coming)
    return result
