"""Assemble a team's results page: scores, charts, breakdown, comments, leadership,
managing and leading side by side, program health and action plans.

A fixed number of queries whatever the size of the organisation below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from engagement.models import Person
from engagement.snapshots import read_snapshot
from feedback import access as feedback_access
from feedback import anonymity, charts, figures, scores, selectors
from feedback.bank import CHARACTERISTICS, DRIVERS, ENGAGEMENT, PRINCIPLES, driver_label
from feedback.models import Commitment, Form
from feedback.scores import NOT_ENOUGH, WindowResult
from feedback.windows import windows_of

NOT_ASKED = "Not asked in this survey"


def window_label(window) -> str:
    return timezone.localtime(window.starts_at, window.program.zone).strftime("%b %Y")


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    return round(now - before, 1)


@dataclass
class DriverRow:
    code: str
    label: str
    favourable: float | None
    neutral: float | None
    unfavourable: float | None
    mean: float | None
    change: float | None


@dataclass
class Dashboard:
    form: Form
    manager: Person
    unit: Person
    scope: str
    windows: list = field(default_factory=list)
    results: list[WindowResult] = field(default_factory=list)
    charts: dict = field(default_factory=dict)
    drivers: list[DriverRow] = field(default_factory=list)
    parts: list = field(default_factory=list)
    comments_visible: dict = field(default_factory=dict)
    departments: list = field(default_factory=list)
    movers_up: list = field(default_factory=list)
    movers_down: list = field(default_factory=list)
    part_trends: list = field(default_factory=list)
    comments: list[str] | None = None
    comment_drivers: list[tuple[str, str]] = field(default_factory=list)
    leadership: dict | None = None
    managing: dict = field(default_factory=dict)
    leading: dict = field(default_factory=dict)
    health: list = field(default_factory=list)
    plans: list = field(default_factory=list)

    @property
    def latest(self) -> WindowResult | None:
        return self.results[-1] if self.results else None

    @property
    def previous(self) -> WindowResult | None:
        return self.results[-2] if len(self.results) > 1 else None

    @property
    def rolled_up(self) -> bool:
        return self.unit.pk != self.manager.pk

    def kpi(self, name: str) -> dict:
        """Latest value and change for the headline figures, or why it is not shown."""
        latest, previous = self.latest, self.previous
        if latest is None or not latest.shown:
            return {"value": None, "change": None, "note": NOT_ENOUGH}
        value = _headline(latest, name)
        asked = (
            name == "participation"
            or (latest.engagement if name == "engagement" else latest.enps).n
        )
        if value is None:
            return {"value": None, "change": None, "note": NOT_ENOUGH if asked else NOT_ASKED}
        before = None
        if previous is not None and previous.shown:
            before = _headline(previous, name)
        return {"value": value, "change": _change(value, before), "note": ""}


def _headline(result: WindowResult, name: str) -> float | None:
    if name == "participation":
        return result.participation
    score = _complete(result, result.engagement if name == "engagement" else result.enps)
    if score is None:
        return None
    return score.favourable_pct if name == "engagement" else score.enps


def results_url(manager_pk: int, form: Form, scope: str = "org") -> str:
    url = reverse("feedback:results", args=[manager_pk]) + f"?survey={form.program_id}"
    return url + ("&scope=team" if scope == "team" else "")


def build(
    *,
    form: Form,
    manager: Person,
    scope: str = "org",
    comment_driver: str = "",
    upward: Form | None,
    viewer: Person | None = None,
) -> Dashboard:
    """Every figure of a results page, as ``viewer`` (by default the manager) sees it,
    from one state of the database: the engine's decision and the scores are
    separate statements, and an answer landing between them would give figures the
    decision never checked."""
    with read_snapshot():
        return _build(
            form=form,
            manager=manager,
            scope=scope,
            comment_driver=comment_driver,
            upward=upward,
            viewer=viewer or manager,
        )


def _build(*, form, manager, scope, comment_driver, upward, viewer) -> Dashboard:
    windows = windows_of(form)
    ids = [w.pk for w in windows]
    latest_window = windows[-1] if windows else None
    # One decision over the whole organisation for every figure of this page.
    shown = anonymity.disclosure(form, ids)
    if scope == "team":
        unit = manager
        cut, key = scores.team(manager.pk), anonymity.team(manager.pk)
    else:
        unit = scores.reporting_unit(manager, latest_window, shown)
        cut, key = scores.org(unit.pk), anonymity.org(unit.pk)
    board = Dashboard(form=form, manager=manager, unit=unit, scope=scope, windows=windows)
    board.results = figures.trend(form, windows, cut, shown, key)
    board.comments_visible = anonymity.disclosure(
        form, ids[-1:], minimum=form.comment_min_group_size, departments=False
    ).by_window(ids[-1:], key)
    _headline_charts(board)
    _driver_table(board)
    if scope != "team" and unit.pk == manager.pk:
        _breakdown(board, shown)
        if windows:
            board.departments = scores.by_department(form, windows[-1], manager, shown)
    _comments(board, cut, comment_driver)
    _leadership(board, upward)
    _managing_and_leading(board)
    if Person.objects.filter(manager=manager, direct_reports__isnull=False).exists():
        board.health = selectors.program_health(manager)
    _plans(board, viewer)
    return board


def _headline_charts(board: Dashboard) -> None:
    labels = [window_label(r.window) for r in board.results]
    visible = [r.shown for r in board.results]

    def series(get):
        return [get(r) if ok else None for r, ok in zip(board.results, visible, strict=True)]

    board.charts["engagement"] = charts.trend(
        "Engagement index over time",
        labels,
        {"Engagement (favourable %)": series(lambda r: _headline(r, "engagement"))},
        y_title="% favourable",
        y_range=[0, 100],
    )
    board.charts["enps"] = charts.trend(
        "eNPS over time",
        labels,
        {"eNPS": series(lambda r: _headline(r, "enps"))},
        y_title="eNPS (promoters − detractors)",
        y_range=[-100, 100],
    )
    # Who answered is not an answer, but in a group too small to show it comes close.
    board.charts["participation"] = charts.participation(labels, series(lambda r: r.participation))


def _driver_table(board: Dashboard) -> None:
    latest, previous = board.latest, board.previous
    if latest is None or not latest.shown:
        return
    rows = []
    for code in (ENGAGEMENT, *DRIVERS):
        score = _complete(
            latest, latest.engagement if code == ENGAGEMENT else latest.drivers.get(code)
        )
        if score is None:
            continue
        before = _driver_pct(previous, code)
        rows.append(
            DriverRow(
                code=code,
                label=driver_label(code),
                favourable=score.favourable_pct,
                neutral=score.neutral_pct,
                unfavourable=score.unfavourable_pct,
                mean=score.mean,
                change=_change(score.favourable_pct, before),
            )
        )
    board.drivers = rows
    board.charts["drivers"] = charts.driver_bars(
        [(r.label, r.favourable, r.neutral, r.unfavourable) for r in rows if r.code != ENGAGEMENT]
    )


def _breakdown(board: Dashboard, shown: anonymity.Disclosure) -> None:
    parts = figures.breakdown(board.form, board.windows, board.manager, shown)
    if len(parts) < 2 or not board.windows:
        return
    board.parts = parts
    latest = board.windows[-1].pk
    previous = board.windows[-2].pk if len(board.windows) > 1 else None
    columns = [ENGAGEMENT, *DRIVERS]
    values = []
    for part in parts:
        row = []
        for code in columns:
            score = part.score(latest, code)
            row.append(score.favourable_pct if score and score.n else None)
        values.append(row)
    links = [
        results_url(part.manager_id, board.form, "team" if part.is_team else "org")
        for part in parts
    ]
    board.charts["heatmap"] = charts.heatmap(
        [part.label for part in parts], [driver_label(c) for c in columns], values, links
    )
    _part_trends(board, links)
    if previous is not None:
        movers = []
        for part, link in zip(parts, links, strict=True):
            now, before = part.score(latest, ENGAGEMENT), part.score(previous, ENGAGEMENT)
            if now and before and now.n and before.n:
                movers.append((_change(now.favourable_pct, before.favourable_pct), part, link))
        movers.sort(key=lambda item: item[0])
        board.movers_up = [m for m in reversed(movers) if m[0] > 0][:3]
        board.movers_down = [m for m in movers if m[0] < 0][:3]


def _part_trends(board: Dashboard, links: list[str]) -> None:
    """Engagement over time as small multiples, one per part beside the whole cut: a
    single chart with a line per team was a tangle past three teams."""
    labels = [window_label(w) for w in board.windows]
    whole = {r.window.pk: _headline(r, "engagement") if r.shown else None for r in board.results}
    reference = [whole.get(w.pk) for w in board.windows]
    name = f"All of {board.unit.first_name}'s {'team' if board.scope == 'team' else 'organisation'}"
    for index, (part, link) in enumerate(zip(board.parts, links, strict=True), start=1):
        values = [
            (s.favourable_pct if (s := part.score(w.pk, ENGAGEMENT)) else None)
            for w in board.windows
        ]
        board.part_trends.append(
            {
                "id": f"fig-part-{index}",
                "label": part.label,
                "link": link,
                "figure": charts.small_trend(part.label, labels, values, reference, name),
            }
        )


def _comments(board: Dashboard, cut, driver: str) -> None:
    latest = board.latest
    if latest is None or not latest.shown:
        board.comments = None
        return
    board.comment_drivers = [
        (code, driver_label(code))
        for code in board.form.questions.filter(kind="text")
        .exclude(driver="")
        .values_list("driver", flat=True)
        .distinct()
    ]
    if not board.comments_visible.get(latest.window.pk):
        board.comments = None
        return
    board.comments = selectors.comments(board.form, latest.window, cut, driver=driver)


def _leadership(board: Dashboard, upward: Form | None) -> None:
    if upward is None:
        return
    windows = windows_of(upward, limit=1)
    if not windows:
        return
    profile = selectors.leadership_profile(upward, windows[-1], board.manager)
    board.leadership = {"form": upward, "window": windows[-1], "profile": profile}
    if profile:
        principles = [
            (label, profile[code].favourable_pct)
            for code, label in PRINCIPLES.items()
            if code in profile
        ]
        characteristics = [
            (label, profile[code].favourable_pct)
            for code, label in CHARACTERISTICS.items()
            if code in profile
        ]
        bars, radar = charts.leadership(principles, characteristics)
        board.charts["principles"], board.charts["characteristics"] = bars, radar
        lp = [s.favourable_pct for code, s in profile.items() if code.startswith("LP")]
        board.leading["principles"] = round(sum(lp) / len(lp), 1) if lp else None


def _managing_and_leading(board: Dashboard) -> None:
    labels = selectors.managing_labels()
    board.managing = {
        name: {"label": labels[name], "done": done, "due": due, "pct": scores.percent(done, due)}
        for name, (done, due) in selectors.managing(board.manager).items()
    }
    board.leading["engagement"] = board.kpi("engagement")
    board.leading["enps"] = board.kpi("enps")


def _plans(board: Dashboard, viewer: Person) -> None:
    # Drafts too, for those who plan for the team (the access rule decides).
    plans = list(
        feedback_access.action_plans_visible_to(viewer)
        .filter(manager=board.manager, form=board.form)
        .select_related("window", "window__program")
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.select_related("owner"))
        )[:4]
    )
    by_window = {r.window.pk: r for r in board.results}
    latest = board.latest
    for plan in plans:
        then = by_window.get(plan.window_id)
        plan.you_said_we_did = []
        for commitment in plan.commitments.all():
            before = _driver_pct(then, commitment.driver)
            now = _driver_pct(latest, commitment.driver) if latest is not then else None
            plan.you_said_we_did.append((commitment, before, now, _change(now, before)))
    board.plans = plans


def _driver_pct(result: WindowResult | None, code: str) -> float | None:
    if result is None or not result.shown:
        return None
    score = _complete(result, result.engagement if code == ENGAGEMENT else result.drivers.get(code))
    return score.favourable_pct if score else None


def _complete(result: WindowResult, score: scores.Score | None) -> scores.Score | None:
    """A score of a shown window, if every respondent of the cut gave it (the
    anonymity engine's rule for drivers)."""
    if not result.shown or not anonymity.complete(score, result.respondents):
        return None
    return score
