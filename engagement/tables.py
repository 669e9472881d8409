"""django-tables2 tables for the organisation and its programs."""

import django_tables2 as tables
from django.utils.html import format_html

from engagement import access
from engagement.models import Person, Program


class PersonTable(tables.Table):
    name = tables.Column(
        accessor="last_name",
        verbose_name="Name",
        linkify=lambda record: record.get_absolute_url(),
        order_by=("last_name", "first_name"),
    )
    title = tables.Column()
    department = tables.Column(accessor="department__name", verbose_name="Department")
    manager = tables.Column(
        accessor="manager",
        linkify=lambda record: record.manager.get_absolute_url() if record.manager else None,
        order_by=("manager__last_name", "manager__first_name"),
    )
    report_count = tables.Column(verbose_name="Direct reports", attrs={"td": {"class": "num"}})

    class Meta:
        model = Person
        fields = ("name", "title", "department", "manager", "report_count")
        order_by = ("name",)
        empty_text = "Nobody matches these filters."

    def render_name(self, record):
        return str(record)

    def value_name(self, record):
        return str(record)


class ProgramTable(tables.Table):
    name = tables.Column(linkify=True)
    practice = tables.Column(verbose_name="Practice")
    owner = tables.Column(
        linkify=lambda record: record.owner.get_absolute_url(),
        order_by=("owner__last_name", "owner__first_name"),
    )
    audience = tables.Column(accessor="audience_kind", verbose_name="Audience")
    schedule = tables.Column(accessor="rrule", verbose_name="Schedule")
    starts_on = tables.DateColumn(format="j M Y", verbose_name="Starts")
    status = tables.Column()

    class Meta:
        model = Program
        fields = ("name", "practice", "owner", "audience", "schedule", "starts_on", "status")
        order_by = ("practice",)
        empty_text = "No programs match these filters."

    def render_practice(self, record):
        return record.practice_info.label(with_code=self._codes())

    def value_practice(self, record):
        return record.practice_info.label(with_code=self._codes())

    def _codes(self) -> bool:
        # RequestConfig (SingleTableMixin) gives the table its request, exports included.
        request = getattr(self, "request", None)
        return access.sees_practice_codes(getattr(request, "user", None))

    def order_practice(self, queryset, is_descending):
        return queryset.in_practice_order(descending=is_descending), True

    def render_audience(self, record):
        return record.audience_label()

    def value_audience(self, record):
        return record.audience_label()

    def render_schedule(self, record):
        return record.schedule_label

    def render_status(self, value, record):
        return format_html('<span class="badge badge-{}">{}</span>', record.status, value)

    def value_status(self, record):
        return record.get_status_display()
