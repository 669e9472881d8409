"""The two attacks of issue 10 on the demo organisation's shape, through the pages'
own assembly: every figure HR can reach for the latest pulse window (each manager's
organisation page with its breakdown and departments, each direct-team page), and
no shown cut less a union of shown disjoint cuts inside it isolates fewer than the
minimum."""

from __future__ import annotations

import pytest

from engagement.demo import demo_load
from engagement.models import Person
from feedback import dashboards
from feedback.demo import demo_feedback_load
from feedback.models import Form, Response
from scheduling.models import Session, SessionStatus


@pytest.fixture
def demo_results(db):
    from django.core.management import call_command

    demo_load()
    call_command("plan_sessions", verbosity=0)
    demo_feedback_load()
    form = Form.objects.get(program__name="Monthly engagement pulse")
    # The window the planner has just opened has no answers yet: the pages show the
    # demo's last month with answers as the latest.
    answered = Response.objects.filter(form=form).values("window")
    Session.objects.filter(program=form.program).exclude(pk__in=answered).update(
        status=SessionStatus.CANCELLED
    )
    return form, _reachable(form)


def _reachable(form):
    """Every cut shown for the latest window, as (label, set of response ids)."""
    people = dict(Person.objects.values_list("pk", "manager_id"))
    responses = list(
        Response.objects.filter(form=form).values_list(
            "id", "window_id", "manager_id", "department__name"
        )
    )
    managers = Person.objects.filter(direct_reports__isnull=False).distinct()

    def below(pk, top):
        while pk is not None:
            if pk == top:
                return True
            pk = people.get(pk)
        return False

    shown: dict[str, frozenset] = {}
    window = None
    for manager in managers:
        for scope in ("org", "team"):
            board = dashboards.build(form=form, manager=manager, scope=scope, upward=None)
            if not board.results:
                continue
            latest = board.latest
            window = latest.window.pk
            mine = [r for r in responses if r[1] == window]
            if latest.shown:
                unit = board.unit.pk
                cut = [
                    r[0] for r in mine if (r[2] == unit if scope == "team" else below(r[2], unit))
                ]
                assert len(cut) == latest.respondents
                shown[f"{scope} page of {board.unit}"] = frozenset(cut)
            for part in board.parts:
                if part.visible.get(window):
                    cut = [
                        r[0]
                        for r in mine
                        if (
                            r[2] == part.manager_id
                            if part.is_team
                            else below(r[2], part.manager_id)
                        )
                    ]
                    assert len(cut) == part.respondents[window]
                    shown[part.label] = frozenset(cut)
            for row in board.departments:
                if row["respondents"] is not None:
                    cut = [
                        r[0] for r in mine if r[3] == row["department"] and below(r[2], manager.pk)
                    ]
                    assert len(cut) == row["respondents"]
                    shown[f"{row['department']} under {manager}"] = frozenset(cut)
    return shown


def test_no_figure_hr_reaches_isolates_anyone_on_the_demo(demo_results):
    form, shown = demo_results
    assert len(shown) > 10  # the demo's pages do show results
    for outer_label, outer in shown.items():
        for inner_label, inner in shown.items():
            if inner < outer:
                rest = len(outer - inner)
                assert rest >= form.min_group_size, (outer_label, inner_label, rest)

    # The departments table against the teams table: a department less every shown
    # organisation and team wholly inside it (the largest disjoint ones).
    for outer_label, outer in shown.items():
        inside = sorted((s for s in shown.values() if s < outer), key=len, reverse=True)
        union: set = set()
        for cut in inside:
            if not (cut & union):
                union |= cut
        rest = len(outer - union)
        assert rest == 0 or rest >= form.min_group_size, (outer_label, rest)
