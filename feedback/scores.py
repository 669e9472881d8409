"""Scores, computed by the database, with the minimum group size applied to every cut.

Every function here runs a fixed number of queries, whatever the number of
people, teams or windows: grouped scans with conditional aggregates, and a
recursive CTE where a cut is "everyone below" someone.

Which cuts (a team, an organisation, a department within it) may be shown is
decided by ``feedback.anonymity`` alone; the functions here take its decision.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import BooleanField, Count, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth

from engagement.models import Department, Person
from engagement.models.people import below_sql, climb, tree_cte
from feedback import anonymity
from feedback.anonymity import Disclosure, complete
from feedback.bank import ENGAGEMENT
from feedback.counting import Counting, marks
from feedback.models import Answer, Form, Period, QuestionKind, Tally
from feedback.windows import FEEDBACK_DAYS, column, invitations
from scheduling.models import Participant, ParticipantRole, Session, SessionKind, SessionStatus

NOT_ENOUGH = anonymity.HIDDEN


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class Score:
    """Favourable (4-5), neutral (3) and unfavourable (1-2) shares and the mean of a set
    of 1-5 answers; or, for eNPS, promoters (9-10) less detractors (0-6)."""

    n: int = 0
    favourable: int = 0
    neutral: int = 0
    unfavourable: int = 0
    total: int = 0
    # Distinct responses behind these answers: an optional question may have fewer
    # than the cut, and it needs the minimum on its own.
    respondents: int = 0

    @property
    def favourable_pct(self) -> float | None:
        return percent(self.favourable, self.n)

    @property
    def neutral_pct(self) -> float | None:
        return percent(self.neutral, self.n)

    @property
    def unfavourable_pct(self) -> float | None:
        return percent(self.unfavourable, self.n)

    @property
    def mean(self) -> float | None:
        return round(self.total / self.n, 2) if self.n else None

    @property
    def enps(self) -> float | None:
        """For eNPS answers ``favourable`` counts promoters and ``unfavourable`` detractors."""
        if not self.n:
            return None
        return round(100.0 * (self.favourable - self.unfavourable) / self.n, 1)


LIKERT_COUNTS = {
    "n": Count("id"),
    "fav": Count("id", filter=Q(value__gte=4)),
    "neu": Count("id", filter=Q(value=3)),
    "unfav": Count("id", filter=Q(value__lte=2)),
    "total": Sum("value"),
    "people": Count("response_id", distinct=True),
}


def _score_row(n, fav, neu, unfav, total, people) -> Score:
    # int(): PostgreSQL sums a bigint column as numeric, which arrives as Decimal.
    return Score(
        n=int(n),
        favourable=int(fav),
        neutral=int(neu),
        unfavourable=int(unfav),
        total=int(total or 0),
        respondents=int(people),
    )


def _score(row: dict) -> Score:
    """A score from a row annotated with ``LIKERT_COUNTS``."""
    return _score_row(row["n"], row["fav"], row["neu"], row["unfav"], row["total"], row["people"])


# Cuts ------------------------------------------------------------------------


def _org_sql(manager_id: int) -> tuple[str, list]:
    """A manager and everyone below them, for ``manager_id IN (...)``."""
    return below_sql(manager_id, and_self=True, vendor=connection.vendor)


def _subtree_and_self(person_id: int) -> RawSQL:
    return RawSQL(*_org_sql(person_id))


def org_q(manager_id: int, prefix: str = "") -> Q:
    """Everyone below ``manager_id``: answers whose respondent's manager is them or below.

    One ``IN`` over a CTE that starts at the manager, not ``= x OR IN (...)``:
    SQLite does not use the group index for such an OR.
    """
    return Q(**{f"{prefix}manager_id__in": _subtree_and_self(manager_id)})


def team_q(manager_id: int, prefix: str = "") -> Q:
    return Q(**{f"{prefix}manager_id": manager_id})


@dataclass(frozen=True)
class Cut:
    """A group of answers by their filing column: a manager's whole organisation
    (``org``) or their direct team (``team``), and the people it invites."""

    manager_id: int
    scope: str = "org"

    @property
    def q(self) -> Q:
        return team_q(self.manager_id) if self.scope == "team" else org_q(self.manager_id)

    def where(self, column: str) -> tuple[str, list]:
        """SQL for "``column`` is a filing manager of this cut", and its parameters."""
        if self.scope == "team":
            return f"{column} = %s", [self.manager_id]
        org_sql, params = _org_sql(self.manager_id)
        return f"{column} IN ({org_sql})", params

    def people(self) -> QuerySet:
        """Who the cut invites: the direct reports, or everyone below the head."""
        sql, params = self.people_where(f"{Person._meta.db_table}.id")
        return Person.objects.filter(RawSQL(sql, params, output_field=BooleanField()))

    def people_where(self, column: str) -> tuple[str, list]:
        """SQL for "``column`` is a person the cut invites", and its parameters."""
        if self.scope == "team":
            return (
                f"{column} IN (SELECT id FROM {Person._meta.db_table} WHERE manager_id = %s)",
                [self.manager_id],
            )
        org_sql, params = _org_sql(self.manager_id)
        return f"{column} IN ({org_sql}) AND {column} <> %s", [*params, self.manager_id]


def org(manager_id: int) -> Cut:
    return Cut(manager_id, "org")


def team(manager_id: int) -> Cut:
    return Cut(manager_id, "team")


# Trends for one cut ------------------------------------------------------------


@dataclass
class WindowResult:
    window: Session
    respondents: int
    invited: int
    responded: int
    shown: bool
    engagement: Score = field(default_factory=Score)
    enps: Score = field(default_factory=Score)
    drivers: dict[str, Score] = field(default_factory=dict)

    @property
    def participation(self) -> float | None:
        return percent(self.responded, self.invited)


def trend(
    form: Form,
    windows: list[Session],
    cut: Cut,
    *,
    visible: dict[int, bool] | None = None,
) -> list[WindowResult]:
    """Per window: respondents, participation, engagement index, eNPS and each driver.

    Three statements written in SQL, as the benchmark's raw aggregate is (on a
    team's page the ORM's query building cost as much as the scans themselves);
    closed windows are read from their tallies, the others from their answers.
    """
    if not windows:
        return []
    ids = [w.pk for w in windows]
    key = column(form)
    counting = Counting.of(form, ids)
    filed, filed_params = cut.where("x.manager_id")
    narrowed = {"where": f" AND {filed}", "params": filed_params}
    # Responses and scores in one statement: one round trip fewer on a team's page.
    both = counting.fetch(counting.respondents_and_scores(f"x.{key}", **narrowed))
    respondents = {row[0]: int(row[3]) for row in both if row[2] == Tally.RESPONSES}
    rows = [row for row in both if row[2] != Tally.RESPONSES]
    invited = _invited(form, windows, cut)
    results = {
        w.pk: WindowResult(
            window=w,
            respondents=respondents.get(w.pk, 0),
            invited=invited.get(w.pk, (0, 0))[0],
            responded=invited.get(w.pk, (0, 0))[1],
            shown=respondents.get(w.pk, 0) >= form.min_group_size
            and (visible is None or visible.get(w.pk, False)),
        )
        for w in windows
    }
    for window_id, driver, kind, *figures in rows:
        score = _score_row(*figures)
        result = results[window_id]
        if kind == QuestionKind.ENPS:
            result.enps = score
        elif driver == ENGAGEMENT:
            result.engagement = score
        elif driver:
            result.drivers[driver] = score
    return [results[w.pk] for w in windows]


def _invited(form: Form, windows: list, cut: Cut) -> dict[int, tuple[int, int]]:
    """Per window: how many of the cut's people were invited and how many answered
    (one query).

    Survey windows invite their submitters. Feedback after sessions invites those
    who had a place in the month's sessions (not the host), counted once each.
    """
    if not form.after_sessions:
        people, params = cut.people_where("t.person_id")
        sql = (
            "SELECT t.session_id, COUNT(DISTINCT t.person_id), COUNT(DISTINCT CASE"
            " WHEN t.submitted_on IS NOT NULL THEN t.person_id END)"
            f" FROM {Participant._meta.db_table} t WHERE t.session_id IN ({marks(windows)})"
            f" AND t.role = %s AND {people} GROUP BY t.session_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*(w.pk for w in windows), ParticipantRole.SUBMITTER, *params])
            return {session: (n, done) for session, n, done in cursor.fetchall()}
    sessions = Session.objects.filter(
        program_id=form.program_id,
        kind=SessionKind.MEETING,
        starts_at__gte=windows[0].starts_at,
        starts_at__lt=windows[-1].ends_at,
    ).exclude(status=SessionStatus.CANCELLED)
    counted = {
        row["month"]: (row["n"], row["done"])
        for row in invitations(form, sessions)
        .filter(person__in=cut.people())
        .annotate(month=TruncMonth("session__starts_at", tzinfo=form.program.zone))
        .values("month")
        .annotate(
            n=Count("person", distinct=True),
            done=Count("person", distinct=True, filter=Q(submitted_on__isnull=False)),
        )
    }
    return {w.pk: counted[w.starts_at] for w in windows if w.starts_at in counted}


# Which cut a manager sees ------------------------------------------------------


def reporting_unit(manager: Person, window: Session | None, shown: Disclosure) -> Person:
    """The smallest organisation, from ``manager`` upwards, shown in ``window``: a manager
    whose team cannot be shown sees it within the next level up that can."""
    if window is None:
        return manager
    unit = climb(manager, lambda m: shown.shows(window.pk, anonymity.org(m)), and_self=True)
    if unit is None or unit == manager.pk:
        return manager
    return Person.objects.get(pk=unit)


# Breakdown of an organisation into its parts ------------------------------------


@dataclass
class Part:
    """One row of a breakdown: a sub-organisation (``root``) or the direct team."""

    manager_id: int
    label: str
    is_team: bool
    respondents: dict[int, int] = field(default_factory=dict)  # window -> n
    scores: dict[tuple[int, str], Score] = field(default_factory=dict)  # (window, driver)
    enps: dict[int, Score] = field(default_factory=dict)
    visible: dict[int, bool] = field(default_factory=dict)

    def score(self, window_id: int, driver: str) -> Score | None:
        return self._shown(window_id, self.scores.get((window_id, driver)))

    def enps_score(self, window_id: int) -> Score | None:
        return self._shown(window_id, self.enps.get(window_id))

    def _shown(self, window_id: int, score: Score | None) -> Score | None:
        if not self.visible.get(window_id):
            return None
        return score if complete(score, self.respondents.get(window_id, 0)) else None


def _parts_cte() -> str:
    """``parts(root, id)``: every manager in an organisation mapped to the part it rolls
    up to (a direct report who manages), plus the head for their direct team.
    Parameters: the head's id, twice."""
    person = Person._meta.db_table
    managing = f"id IN (SELECT manager_id FROM {person} WHERE manager_id IS NOT NULL)"
    sub = tree_cte("sub", f"manager_id = %s AND {managing}", roots=True)
    return (
        f"WITH RECURSIVE {sub},"
        f" parts(root, id) AS (SELECT root, id FROM sub UNION ALL SELECT id, id FROM {person}"
        " WHERE id = %s)"
    )


def breakdown(
    form: Form, windows: list[Session], manager: Person, shown: Disclosure | None = None
) -> list[Part]:
    """``manager``'s organisation by its parts: each direct report who manages, with
    everyone below them, and the manager's own direct team. Two queries, and the
    engine's two when its decision is not given."""
    ids = [w.pk for w in windows]
    shown = shown or anonymity.disclosure(form, ids)
    roots = list(
        Person.objects.filter(manager=manager, direct_reports__isnull=False)
        .distinct()
        .order_by("first_name", "last_name")
    )
    parts = {
        root.pk: Part(
            manager_id=root.pk,
            label=f"{root.get_full_name()}'s organisation",
            is_team=False,
        )
        for root in roots
    }
    team = Part(
        manager_id=manager.pk,
        label=f"{manager.get_full_name()}'s direct team",
        is_team=True,
    )
    by_root = {**parts, manager.pk: team}
    if not ids or not roots:
        # A front-line manager's organisation is their team: nothing to break down.
        return [*parts.values(), team]
    key = column(form)
    counting = Counting.of(form, ids)
    scored_rows = counting.fetch(
        counting.scores(
            f"pt.root, x.{key}",
            join=" INNER JOIN parts pt ON x.manager_id = pt.id",
            prefix=(_parts_cte(), [manager.pk, manager.pk]),
        )
    )
    for root, window_id, driver, kind, *figures in scored_rows:
        score = _score_row(*figures)
        if kind == QuestionKind.ENPS:
            by_root[root].enps[window_id] = score
        else:
            by_root[root].scores[(window_id, driver)] = score
    for part in by_root.values():
        cut = anonymity.team(manager.pk) if part.is_team else anonymity.org(part.manager_id)
        for window_id in ids:
            part.respondents[window_id] = shown.size(window_id, cut)
            part.visible[window_id] = shown.shows(window_id, cut)
    return [*parts.values(), team]


def by_department(
    form: Form, window, manager: Person, shown: Disclosure | None = None
) -> list[dict]:
    """The latest window of ``manager``'s organisation by department: respondents,
    engagement and each driver, for the departments the engine shows. Two queries,
    and the engine's when its decision is not given."""
    shown = shown or anonymity.disclosure(form, [window.pk])
    # The engine has counted them: the shown rows and their respondents.
    counts = shown.departments(window.pk, manager.pk)
    visible = set(counts)
    cut = Q(org_q(manager.pk), form=form, **{column(form): window.pk})
    rows = (
        Answer.objects.filter(cut, department_id__in=visible, question__kind=QuestionKind.LIKERT)
        .values("department_id", "question__driver")
        .annotate(**LIKERT_COUNTS)
    )
    scores_by: dict[int, dict[str, Score]] = defaultdict(dict)
    for row in rows:
        scores_by[row["department_id"]][row["question__driver"]] = _score(row)
    names = dict(Department.objects.filter(pk__in=visible).values_list("pk", "name"))
    # Only the departments shown: a hidden row would still say that someone in that
    # department answered.
    return [
        {
            "department": names[pk],
            "respondents": counts[pk],
            "scores": {
                driver: score if complete(score, counts[pk]) else None
                for driver, score in scores_by.get(pk, {}).items()
            },
        }
        for pk in sorted(visible, key=lambda k: names[k])
    ]


def after_session_favourable(unit: Person, since, now) -> dict[str, dict]:
    """Per practice, feedback after sessions in ``unit``'s organisation over the closed
    months that overlap [since, now): favourable share of the agreement answers and
    how many responses, counting only the months in which the anonymity engine shows
    the organisation and every agreement driver is complete. Closed months only, so
    the figures never move answer by answer. A fixed number of queries, whatever the
    number of programs asking feedback."""
    months = list(
        Period.objects.filter(
            starts_at__lt=now, ends_at__gt=since, ends_at__lte=now - timedelta(days=FEEDBACK_DAYS)
        ).select_related("form__program")
    )
    if not months:
        return {}
    form_ids = sorted({m.form_id for m in months})
    shown = anonymity.disclosure_of_windows(
        form_ids, "period_id", {m.pk: m.form.min_group_size for m in months}
    )
    counting = Counting.of_forms(form_ids, "period_id", [m.pk for m in months])
    filed, params = org(unit.pk).where("x.manager_id")
    agreement: dict[int, list[Score]] = defaultdict(list)
    for period_id, _, kind, *figures in counting.fetch(
        counting.scores("x.period_id", where=f" AND {filed}", params=params)
    ):
        if kind == QuestionKind.LIKERT:
            agreement[period_id].append(_score_row(*figures))
    totals: dict[str, dict] = {}
    cut = anonymity.org(unit.pk)
    for month in months:
        responses = shown.size(month.pk, cut)
        drivers = agreement.get(month.pk, [])
        # A pooled share: every driver in it must be complete, or it would mix a
        # smaller group's answers into a figure beside the organisation's.
        if not shown.shows(month.pk, cut) or not drivers:
            continue
        if not all(complete(d, responses) for d in drivers):
            continue
        total = totals.setdefault(month.form.program.practice, {"n": 0, "fav": 0, "responses": 0})
        total["n"] += sum(d.n for d in drivers)
        total["fav"] += sum(d.favourable for d in drivers)
        total["responses"] += responses
    for total in totals.values():
        total["favourable_pct"] = percent(total["fav"], total["n"])
    return totals


# Each manager's organisation at once ----------------------------------------------


def _organisations_cte(manager_ids: list[int]) -> tuple[str, list]:
    """``orgs(root, id)``: each of ``manager_ids`` with themselves and everyone below
    them, so that grouping by ``root`` counts each manager's organisation."""
    anchor = f"id IN ({marks(manager_ids)})"
    return f"WITH RECURSIVE {tree_cte('orgs', anchor, roots=True)}", list(manager_ids)


def organisations(form: Form, window: Session, manager_ids: list[int]) -> dict[int, Score]:
    """The engagement score of each manager's organisation (``org`` cut) in ``window``:
    one statement, whatever the number of managers. The caller asks the anonymity
    engine which of them may be shown."""
    if not manager_ids:
        return {}
    counting = Counting.of(form, [window.pk])
    rows = counting.fetch(
        counting.scores(
            f"o.root, x.{column(form)}",
            join=" INNER JOIN orgs o ON x.manager_id = o.id",
            prefix=_organisations_cte(manager_ids),
        )
    )
    return {
        root: _score_row(*figures)
        for root, _window, driver, kind, *figures in rows
        if driver == ENGAGEMENT and kind == QuestionKind.LIKERT
    }


def participation_of_organisations(
    window: Session, manager_ids: list[int]
) -> dict[int, tuple[int, int]]:
    """``{manager id: (invited, responded)}`` of a survey window, each manager's
    organisation (everyone below them) counted in one statement."""
    if not manager_ids:
        return {}
    head, params = _organisations_cte(manager_ids)
    sql = (
        f"{head} SELECT o.root, COUNT(DISTINCT t.person_id), COUNT(DISTINCT CASE"
        " WHEN t.submitted_on IS NOT NULL THEN t.person_id END)"
        f" FROM {Participant._meta.db_table} t"
        f" INNER JOIN {Person._meta.db_table} p ON p.id = t.person_id"
        " INNER JOIN orgs o ON p.manager_id = o.id"
        " WHERE t.session_id = %s AND t.role = %s GROUP BY o.root"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, window.pk, ParticipantRole.SUBMITTER])
        return {root: (int(invited), int(done)) for root, invited, done in cursor.fetchall()}
