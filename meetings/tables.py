"""The meetings app's sortable, paged lists (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html

from meetings.models import ActionItem, Proposal
from scheduling.models import Session


class MyActionTable(tables.Table):
    text = tables.Column(verbose_name="Action")
    session = tables.Column(accessor="raised_in", verbose_name="From", linkify=True)
    due_on = tables.DateColumn(verbose_name="Due", format="D j M Y")
    done = tables.TemplateColumn(
        '<form method="post" action="{% url \'meetings:action_toggle\' record.pk %}">'
        '{% csrf_token %}<input type="hidden" name="next" value="{{ request.get_full_path }}">'
        '<button class="button small{% if not record.is_open %} secondary{% endif %}" '
        'type="submit">{% if record.is_open %}Done{% else %}Reopen{% endif %}</button></form>',
        orderable=False,
        verbose_name="",
    )

    class Meta:
        model = ActionItem
        fields = ("text", "session", "due_on", "done")
        order_by = ("due_on",)
        empty_text = "No open action items. Actions given to you in meetings appear here."

    def __init__(self, *args, viewer_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer_id = viewer_id

    def render_text(self, record, value):
        if record.partner_id is None:
            return value
        other = record.partner if record.owner_id == self.viewer_id else record.owner
        return format_html('{} <span class="muted small">shared with {}</span>', value, other)

    def render_due_on(self, record, value):
        if value is None:
            return "—"
        text = date_format(value, "D j M Y")
        if record.is_overdue():
            return format_html('{} <span class="badge badge-paused">overdue</span>', text)
        return text


class MyWeekTable(tables.Table):
    starts_at = tables.DateTimeColumn(verbose_name="When", format="D j M, H:i")
    title = tables.Column(linkify=True, verbose_name="Session")
    program = tables.Column(verbose_name="Program")
    open_points = tables.Column(verbose_name="Open points", attrs={"td": {"class": "num"}})
    open_actions = tables.Column(verbose_name="Open actions", attrs={"td": {"class": "num"}})
    prepared = tables.Column(verbose_name="Agenda", accessor="my_points")

    class Meta:
        model = Session
        fields = ("starts_at", "title", "program", "open_points", "open_actions", "prepared")
        order_by = ("starts_at",)
        empty_text = "No meetings in the next seven days."

    def render_prepared(self, value):
        if value:
            return format_html('<span class="badge badge-active">prepared ({})</span>', value)
        return format_html('<span class="badge badge-paused">{}</span>', "add your points")


class ProposalTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name="Proposal")
    status = tables.Column()
    created_at = tables.DateColumn(verbose_name="Submitted", format="j M Y")
    updated_at = tables.DateColumn(verbose_name="Last change", format="j M Y")

    class Meta:
        model = Proposal
        fields = ("title", "status", "created_at", "updated_at")
        order_by = ("-created_at",)
        empty_text = "No proposals yet. Bring the first one with the form on this page."

    def render_status(self, record, value):
        return format_html('<span class="badge badge-proposal-{}">{}</span>', record.status, value)
