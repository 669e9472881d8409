"""Reads that feed the pages: named querysets and summaries, computed in the database.

Each starts from what the viewer may see (``access``) or from the viewer's own
records; views call these rather than building queries inline.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from engagement import access
from engagement.models import Department, Person, Program, ProgramStatus
from engagement.practices import PRACTICES


def programs_part_of(person: Person) -> QuerySet[Program]:
    """Active programs that include the person and that someone else runs."""
    return (
        Program.objects.involving(person)
        .exclude(owner=person)
        .filter(status=ProgramStatus.ACTIVE)
        .select_related("owner")
        .in_practice_order()
    )


def programs_owned_by(person: Person) -> QuerySet[Program]:
    return Program.objects.filter(owner=person).select_related("owner").order_by("status", "name")


def with_next_start(programs) -> list[tuple[Program, datetime | None]]:
    """Each program with its next start (recurrence arithmetic, no query per program)."""
    now = timezone.now()
    return [(p, (p.next_starts(after=now, count=1) or [None])[0]) for p in programs]


def team_of(person: Person) -> QuerySet[Person]:
    return person.direct_reports.active().select_related("department").with_report_count()


def organisation_summary(person: Person) -> dict:
    """Headcount, managers and departments of everyone below ``person``."""
    below = Person.objects.active().below(person)
    managers = (
        Person.objects.filter(pk__in=below.values("pk"))
        .managers()
        .select_related("department", "manager")
        .with_report_count()
        .order_by("department__name", "last_name")
    )
    by_department = (
        below.values("department__name").annotate(people=Count("pk")).order_by("department__name")
    )
    programs = access.programs_visible_to(person).filter(
        Q(owner__in=below.values("pk")) | Q(audience_manager__in=below.values("pk"))
    )
    return {
        "headcount": below.count(),
        "managers": managers,
        "by_department": by_department,
        "program_count": programs.filter(status=ProgramStatus.ACTIVE).count(),
    }


def hr_summary() -> dict:
    counts = Program.objects.aggregate(
        active=Count("pk", filter=Q(status=ProgramStatus.ACTIVE)),
        paused=Count("pk", filter=Q(status=ProgramStatus.PAUSED)),
        ended=Count("pk", filter=Q(status=ProgramStatus.ENDED)),
    )
    running = set(
        Program.objects.filter(status=ProgramStatus.ACTIVE).values_list("practice", flat=True)
    )
    return {
        "counts": counts,
        "people": Person.objects.active().count(),
        "departments": Department.objects.count(),
        "practices_without_program": [p for p in PRACTICES if p.code not in running],
    }


def direct_reports_of(person: Person) -> QuerySet[Person]:
    return (
        person.direct_reports.active()
        .select_related("department")
        .order_by("last_name", "first_name")
    )


def reporting_line_of(person: Person) -> QuerySet[Person]:
    """Everyone above the person, in one query."""
    return Person.objects.above(person).select_related("manager")


def everyone_below(person: Person) -> QuerySet[Person]:
    return (
        Person.objects.active()
        .below(person)
        .with_report_count()
        .select_related("department", "manager")
    )


def programs_of(person: Person, *, viewer: Person) -> QuerySet[Program]:
    """The programs ``person`` is involved in, among those ``viewer`` may see."""
    return (
        access.programs_visible_to(viewer)
        .filter(pk__in=Program.objects.involving(person).values("pk"))
        .select_related("owner")
        .in_practice_order()
    )
