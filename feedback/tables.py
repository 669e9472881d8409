"""Tables of results: sortable, and exported to CSV from the same suppressed rows the
page shows, so an export never holds a number the page hides."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from feedback.bank import DRIVERS, ENGAGEMENT, driver_label


def _pct(value) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _signed(value) -> str:
    return "—" if value is None else f"{value:+.0f}"


def _number(value):
    """A signed figure for the CSV: a number (never "+3" text, which a spreadsheet export
    must neutralise as a would-be formula), or the page's dash when there is none."""
    return "—" if value is None else round(value)


class DriverTable(tables.Table):
    label = tables.Column(verbose_name="Driver")
    favourable = tables.Column(verbose_name="Favourable (4-5)")
    neutral = tables.Column(verbose_name="Neutral (3)")
    unfavourable = tables.Column(verbose_name="Unfavourable (1-2)")
    mean = tables.Column(verbose_name="Mean (1-5)")
    change = tables.Column(verbose_name="Change in favourable (pts)")

    class Meta:
        orderable = True
        empty_text = (
            "Hidden to protect anonymity: results appear once enough people answer"
            " that nobody can be singled out."
        )
        attrs = {"class": "table"}

    def render_favourable(self, value):
        return _pct(value)

    def render_neutral(self, value):
        return _pct(value)

    def render_unfavourable(self, value):
        return _pct(value)

    def render_change(self, value):
        if value is None:
            return "—"
        css = "up" if value > 0 else "down" if value < 0 else ""
        return format_html('<span class="delta {}">{}</span>', css, _signed(value))

    def value_change(self, value):
        return _number(value)


def breakdown_rows(parts, window_id: int, minimum: int) -> list[dict]:
    """One row per part of the organisation, with hidden values left out."""
    rows = []
    for part in parts:
        visible = part.visible.get(window_id, False)
        n = part.respondents.get(window_id, 0)
        row = {
            "team": part.label,
            "manager_id": part.manager_id,
            "is_team": part.is_team,
            # One label for every hidden row: which rule hid it would say something too.
            "respondents": str(n) if visible else "hidden",
        }
        for code in (ENGAGEMENT, *DRIVERS):
            score = part.score(window_id, code)
            row[code] = score.favourable_pct if score else None
        enps = part.enps_score(window_id)
        row["enps"] = enps.enps if enps else None
        rows.append(row)
    return rows


def department_rows(departments) -> list[dict]:
    """Rows of the department table, hidden values left out."""
    rows = []
    for item in departments:
        row = {
            "team": item["department"],
            "respondents": "hidden" if item["respondents"] is None else str(item["respondents"]),
            "enps": None,
        }
        for code in (ENGAGEMENT, *DRIVERS):
            score = item["scores"].get(code)
            row[code] = score.favourable_pct if score else None
        rows.append(row)
    return rows


class BreakdownTable(tables.Table):
    team = tables.Column(verbose_name="Team")
    respondents = tables.Column(verbose_name="Respondents")
    enps = tables.Column(verbose_name="eNPS")

    class Meta:
        orderable = True
        attrs = {"class": "table"}
        empty_text = "No teams below."

    def __init__(self, *args, link=None, **kwargs):
        extra = [
            (code, tables.Column(verbose_name=f"{driver_label(code)} %"))
            for code in (ENGAGEMENT, *DRIVERS)
        ]
        super().__init__(*args, extra_columns=extra, **kwargs)
        self.link = link

    def render_team(self, record, value):
        if self.link is None:
            return value
        return format_html('<a href="{}">{}</a>', self.link(record), value)

    def render_enps(self, value):
        return _signed(value)

    def value_enps(self, value):
        return _number(value)

    def value_team(self, value):
        return value


for _code in (ENGAGEMENT, *DRIVERS):
    setattr(BreakdownTable, f"render_{_code}", staticmethod(lambda value: _pct(value)))


class HealthTable(tables.Table):
    """Program health below a leader, one row per practice that ran."""

    practice = tables.Column(verbose_name="Practice")
    held = tables.Column(verbose_name="Held")
    planned = tables.Column(verbose_name="Planned")
    on_time = tables.Column(verbose_name="On time")
    due = tables.Column(verbose_name="Due")
    rating = tables.Column(verbose_name="Rating 1-5", default="—")
    ratings = tables.Column(verbose_name="Ratings")
    feedback = tables.Column(verbose_name="Favourable %", default="—")
    feedback_responses = tables.Column(verbose_name="Responses")

    class Meta:
        orderable = True
        attrs = {"class": "table"}
        empty_text = "No sessions or submissions in the last 90 days."

    def render_practice(self, value):
        return format_html('<span class="code">{}</span> {}', value.code, value.name)

    def value_practice(self, value):
        return f"{value.code} {value.name}"

    def order_practice(self, queryset, is_descending):
        rows = sorted(queryset, key=lambda row: row["practice"].number, reverse=is_descending)
        return rows, True


HIDDEN = "Hidden"


def _share(done_due) -> float | None:
    done, due = done_due
    return round(100.0 * done / due, 1) if due else None


def managers_below_rows(rows: list[dict], labels: dict[str, str]) -> list[dict]:
    """Rows of the managers table: least engaged first, hidden and unmeasured last."""
    table_rows = []
    for row in rows:
        item = {
            "manager": row["manager"],
            "reports": row["reports"],
            "engagement": row["engagement"],
            "participation": row["participation"],
            "hidden": row["hidden"],
            "results_url": row["results_url"],
        }
        for name in labels:
            item[name] = _share(row["routines"].get(name, (0, 0)))
            item[f"{name}_counts"] = row["routines"].get(name, (0, 0))
        table_rows.append(item)
    return sorted(
        table_rows,
        key=lambda r: (r["engagement"] is None, r["engagement"] or 0, r["manager"].last_name),
    )


class RoutineColumn(tables.Column):
    """How a manager runs a routine: "86% (6 of 7)", sorted by the share."""

    def __init__(self, **kwargs):
        super().__init__(empty_values=(), attrs={"td": {"class": "num"}}, **kwargs)

    def render(self, value, record, bound_column):
        done, due = record[f"{bound_column.name}_counts"]
        if not due:
            return mark_safe('<span class="muted">none due</span>')
        return format_html(
            '{}% <span class="muted small">({} of {})</span>', f"{value:.0f}", done, due
        )

    def value(self, value, record, bound_column):
        return "" if value is None else round(value)


class ManagersBelowTable(tables.Table):
    """A leader's managers side by side: what their people say, how they run the
    routines, and a link to their results."""

    manager = tables.Column(verbose_name="Manager", order_by=("manager__last_name",))
    reports = tables.Column(verbose_name="Reports", attrs={"td": {"class": "num"}})
    engagement = tables.Column(
        verbose_name="Engagement", empty_values=(), attrs={"td": {"class": "num"}}
    )
    participation = tables.Column(
        verbose_name="Participation", empty_values=(), attrs={"td": {"class": "num"}}
    )
    results_url = tables.Column(verbose_name="Results", orderable=False)

    class Meta:
        orderable = True
        attrs = {"class": "table", "id": "managers-below-table"}
        empty_text = "Nobody below you manages a team."

    def __init__(self, *args, routines: dict[str, str], **kwargs):
        extra = [(name, RoutineColumn(verbose_name=label)) for name, label in routines.items()]
        sequence = ["manager", "reports", "engagement", "participation", *routines, "results_url"]
        super().__init__(*args, extra_columns=extra, sequence=sequence, **kwargs)

    def render_manager(self, value):
        where = " · ".join(str(part) for part in (value.title, value.department) if part)
        return format_html(
            '<a href="{}">{}</a><div class="muted small">{}</div>',
            value.get_absolute_url(),
            value.get_full_name(),
            where,
        )

    def value_manager(self, value):
        return value.get_full_name()

    def _figure(self, record, name):
        if record["hidden"]:
            return HIDDEN
        value = record[name]
        return "—" if value is None else f"{value:.0f}%"

    def render_engagement(self, record):
        return self._figure(record, "engagement")

    def render_participation(self, record):
        return self._figure(record, "participation")

    def render_results_url(self, value):
        return format_html('<a href="{}">Results →</a>', value)
