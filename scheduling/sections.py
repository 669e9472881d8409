"""What scheduling shows on the pages of the layer below, through engagement's registry:
a program's sessions on its page. (The viewer's coming sessions are on their home
page's today list, ``scheduling.today`` and the meetings app's.)"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django_tables2 import RequestConfig

from engagement import extensions
from engagement.access import can_edit_program
from scheduling import access as scheduling_access
from scheduling.models import WITHOUT_PLACE, Session, SessionStatus
from scheduling.tables import ProgramSessionTable


def program_sessions(request, program, bound=None) -> dict:
    """The program's upcoming and past sessions the viewer may see, as two sortable,
    paged tables."""
    now = timezone.now()
    sessions = (
        scheduling_access.sessions_visible_to(request.user)
        .filter(program=program)
        .select_related("program")
        .annotate(people=Count("participants", filter=~Q(participants__signup__in=WITHOUT_PLACE)))
    )
    upcoming = ProgramSessionTable(sessions.upcoming(now), prefix="up-")
    past = ProgramSessionTable(sessions.past(now), prefix="past-")
    config = RequestConfig(request, paginate={"per_page": 10})
    config.configure(upcoming)
    config.configure(past)
    return {
        "upcoming": upcoming,
        "past": past,
        "program": program,
        "private": private_counts(request.user, program, now),
    }


def private_counts(viewer, program, now) -> dict | None:
    """How many of the program's private sessions (1-on-1s, skip-levels) the viewer may
    not open are upcoming and held, for those who run the program (HR, its owner): the
    page tells them the series run without saying who meets whom, when, or what was
    said. One query; None for anyone else, or when there are none."""
    if not can_edit_program(viewer, program):
        return None
    counts = (
        Session.objects.filter(program=program, private=True)
        .exclude(pk__in=scheduling_access.sessions_visible_to(viewer).values("pk"))
        .aggregate(
            upcoming=Count(
                "pk",
                filter=Q(starts_at__gte=now) & ~Q(status=SessionStatus.CANCELLED),
            ),
            held=Count("pk", filter=Q(status=SessionStatus.HELD)),
        )
    )
    if not counts["upcoming"] and not counts["held"]:
        return None
    return counts


def register() -> None:
    extensions.section(
        "program",
        "sessions",
        "scheduling/snippets/program_sessions.html",
        program_sessions,
        order=50,
    )
