"""Session tables shown on pages of the layer below (a program's page)."""

import django_tables2 as tables
from django import template
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django_tables2 import RequestConfig

from scheduling import access as scheduling_access
from scheduling.models import WITHOUT_PLACE, Session

register = template.Library()


class ProgramSessionTable(tables.Table):
    starts_at = tables.Column(verbose_name="When")
    title = tables.Column(linkify=True, verbose_name="Session")
    people = tables.Column(verbose_name="People", attrs={"td": {"class": "num"}})
    due_at = tables.Column(verbose_name="Due")
    status = tables.Column()

    class Meta:
        model = Session
        fields = ("starts_at", "title", "people", "due_at", "status")
        empty_text = "No sessions in this range."

    def render_starts_at(self, record):
        local = timezone.localtime(record.starts_at, record.program.zone)
        moved = " (moved)" if record.is_moved else ""
        return f"{local:%a %d %b %Y, %H:%M}{moved}"

    def render_due_at(self, record):
        if record.due_at is None:
            return "—"
        return f"{timezone.localtime(record.due_at, record.program.zone):%a %d %b %Y}"

    def render_status(self, record, value):
        css = {"cancelled": "ended", "held": "active", "missed": "paused"}.get(record.status, "")
        return format_html('<span class="badge badge-{}">{}</span>', css, value)


@register.simple_tag(takes_context=True)
def program_sessions(context, program):
    """The program's upcoming and past sessions, as two sortable, paged tables."""
    request = context["request"]
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
    return render_to_string(
        "scheduling/snippets/program_sessions.html",
        {"upcoming": upcoming, "past": past, "program": program},
        request=request,
    )


@register.inclusion_tag("scheduling/snippets/my_next_sessions.html", takes_context=True)
def my_next_sessions(context, count=5):
    """The signed-in person's next sessions and due dates, for their home page."""
    person = context["request"].user
    sessions = (
        Session.objects.live().with_place_for(person).upcoming().select_related("program")[:count]
    )
    return {"sessions": list(sessions)}
