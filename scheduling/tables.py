"""django-tables2 tables of the scheduling pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from scheduling.models import ParticipantRole, Session, SessionKind, SignUp

STATUS_BADGES = {"scheduled": "active", "cancelled": "ended", "held": "active", "missed": "paused"}


class SessionTable(tables.Table):
    """A person's own sessions ("My calendar"), times in the viewer's zone.

    Expects the rows of ``scheduling.calendar.upcoming_sessions`` (annotated
    with the viewer's ``my_role`` and ``my_signup``).
    """

    when = tables.Column(accessor="starts_at", verbose_name="When")
    title = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name="Session")
    program = tables.Column(accessor="program__name", verbose_name="Program")
    role = tables.Column(accessor="my_role", verbose_name="My part")
    status = tables.Column()
    due = tables.Column(accessor="due_at", verbose_name="Due", default="—")

    class Meta:
        model = Session
        fields = ("when", "title", "program", "role", "status", "due")
        order_by = ("when",)
        empty_text = "No sessions."

    def render_when(self, record, value):
        local = timezone.localtime(value)
        if record.kind == SessionKind.PERIOD:
            return f"Opens {local:%a %d %b %Y}"
        return f"{local:%a %d %b %Y, %H:%M}–{timezone.localtime(record.ends_at):%H:%M}"

    def value_when(self, value):
        return timezone.localtime(value).isoformat()

    def render_role(self, record, value):
        label = ParticipantRole(value).label
        if record.my_signup == SignUp.WAITLISTED:
            return format_html('{} <span class="badge badge-paused">waitlist</span>', label)
        return label

    def render_status(self, record, value):
        return format_html(
            '<span class="badge badge-{}">{}</span>', STATUS_BADGES.get(record.status, ""), value
        )

    def render_due(self, value):
        return f"{timezone.localtime(value):%a %d %b %Y, %H:%M}"


class ProgramSessionTable(tables.Table):
    """A program's sessions on its page, times in the program's zone."""

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
