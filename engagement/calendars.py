"""Which days the organisation works: read once per planning run, asked per day.

A day is off for everyone when it is one of the country's public holidays (the
``holidays`` package, for the organisation's country and region) or one of the
organisation's own days for everyone; a department's own day is off for that
department only. Weekends are not working days (Monday to Friday are).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from itertools import islice

from django.utils import timezone

from engagement.models import Holiday, Organisation, Program

# Monday to Friday (date.weekday()).
WORKDAYS = frozenset(range(5))


class OrganisationCalendar:
    """The organisation's days off, loaded in two queries and then asked in memory."""

    def __init__(
        self,
        *,
        public: dict | None = None,
        own: dict[date, str] | None = None,
        departments: dict[date, dict[int, str]] | None = None,
    ):
        self._public = public if public is not None else {}
        self._own = own or {}
        self._departments = departments or {}
        self._everyone: dict[date, str | None] = {}

    @classmethod
    def load(cls, *, since: date) -> OrganisationCalendar:
        """The calendar from ``since`` on (the organisation's own days before it are
        left out; public holidays are worked out for whatever year is asked)."""
        own: dict[date, str] = {}
        departments: dict[date, dict[int, str]] = defaultdict(dict)
        for day, name, department in Holiday.objects.filter(day__gte=since).values_list(
            "day", "name", "department_id"
        ):
            if department is None:
                own[day] = name
            else:
                departments[day][department] = name
        return cls(
            public=Organisation.current().public_holidays(), own=own, departments=departments
        )

    @property
    def has_department_days(self) -> bool:
        return bool(self._departments)

    def off_for_everyone(self, day: date) -> str | None:
        """The name of the holiday that gives everyone ``day`` off, or None."""
        if day not in self._everyone:
            self._everyone[day] = self._own.get(day) or self._public.get(day)
        return self._everyone[day]

    def off_for(self, day: date, department: int | None) -> str | None:
        """The name of the holiday that gives a person of ``department`` the day off."""
        everyone = self.off_for_everyone(day)
        if everyone or department is None:
            return everyone
        return self._departments.get(day, {}).get(department)

    def is_workday(self, day: date, department: int | None = None) -> bool:
        return day.weekday() in WORKDAYS and self.off_for(day, department) is None


def next_starts(program: Program, *, count: int = 5, after: datetime | None = None) -> list:
    """The program's next ``count`` start times, less the days off for everyone that
    the planner skips (a department's days depend on who is in each session)."""
    if not program.skips_days_off:
        return program.next_starts(after=after, count=count)
    after = after or timezone.now()
    calendar = OrganisationCalendar.load(since=after.date())
    zone = program.zone
    starts = (
        start
        for start in islice(program.occurrences(after=after), count * 10)
        if not calendar.off_for_everyone(start.astimezone(zone).date())
    )
    return list(islice(starts, count))
