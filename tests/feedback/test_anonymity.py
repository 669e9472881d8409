"""The anonymity engine against an attacker who combines every figure shown.

Property-based: random organisation trees, departments and answer sets. From all
the cuts the engine leaves shown (everything HR reaches, so everything any role
reaches is a part of it), no shown cut minus any union of shown, pairwise disjoint
cuts inside it leaves between 1 and minimum - 1 respondents; and no set of fewer
than the minimum can be worked out by adding and subtracting shown figures in any
combination (linear algebra over the cells).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.anonymity import DEPT, ORG, TEAM, decide, dept, org, team


def _cells_of(key, cells, parents):
    """The non-empty cells (filing manager, department) a cut covers."""

    def below(m):
        return m == key.manager_id or (parents.get(m) is not None and below(parents[m]))

    return frozenset(
        (m, d)
        for (m, d), n in cells.items()
        if n
        and (
            (key.kind == TEAM and m == key.manager_id)
            or (key.kind == ORG and below(m))
            or (key.kind == DEPT and d == key.department_id and below(m))
        )
    )


def smallest_isolated(shown, cells, parents, minimum):
    """The smallest positive remainder an attacker reaches (None if none below the
    minimum): a shown cut less any union of shown disjoint cuts inside it."""
    covers = {key: _cells_of(key, cells, parents) for key in shown}
    sets = {frozenset(c) for c in covers.values()}
    size = {s: sum(cells[c] for c in s) for s in sets}
    worst = None
    for outer in sets:
        inside = sorted((s for s in sets if s < outer), key=len, reverse=True)

        def search(i, used, covered_n, inside=inside, outer=outer):
            nonlocal worst
            rest = size[outer] - covered_n
            if 0 < rest < minimum and (worst is None or rest < worst):
                worst = rest
            for j in range(i, len(inside)):
                if not (inside[j] & used):
                    search(j + 1, used | inside[j], covered_n + size[inside[j]])

        search(0, frozenset(), 0)
    return worst


def _rank(rows: list[list[int]]) -> int:
    matrix = [[Fraction(x) for x in row] for row in rows]
    rank, columns = 0, len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column]:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def linearly_isolated(shown, cells, parents, minimum):
    """A set of cells holding 1 .. minimum - 1 people whose figures are a combination of
    shown figures (its indicator lies in the span of the shown cuts), or None."""
    cover = sorted(
        {_cells_of(key, cells, parents) for key in shown}, key=lambda s: sorted(map(repr, s))
    )
    if not cover:
        return None
    coords = sorted({c for s in cover for c in s}, key=repr)
    rows = [[1 if c in s else 0 for c in coords] for s in cover]
    base = _rank(rows)
    small = [c for c in coords if cells[c] < minimum]
    for size in range(1, len(small) + 1):
        for chosen in combinations(small, size):
            if not 0 < sum(cells[c] for c in chosen) < minimum:
                continue
            target = [1 if c in chosen else 0 for c in coords]
            if _rank([*rows, target]) == base:
                return chosen
    return None


@st.composite
def organisations(draw):
    """A manager tree (up to six managers), up to three departments, and each cell's
    respondents."""
    managers = draw(st.integers(min_value=1, max_value=6))
    parents = {1: None}
    for m in range(2, managers + 1):
        parents[m] = draw(st.integers(min_value=1, max_value=m - 1))
    departments = draw(st.lists(st.sampled_from([None, 10, 11, 12]), min_size=1, max_size=3))
    cells = {}
    for m in parents:
        for d in set(departments):
            cells[m, d] = draw(st.integers(min_value=0, max_value=12))
    return cells, parents


@settings(max_examples=300, deadline=None)
@given(organisations(), st.integers(min_value=3, max_value=6))
def test_no_set_of_shown_figures_isolates_fewer_than_the_minimum(organisation, minimum):
    cells, parents = organisation
    shown = decide(cells, parents, minimum)
    assert smallest_isolated(shown, cells, parents, minimum) is None
    assert linearly_isolated(shown, cells, parents, minimum) is None


def test_a_difference_of_differences_across_departments_isolates_nobody():
    """A review found it: Ops less (2's organisation less Eng) was one person, all on
    the top leader's page, though no shown cut less cuts inside it was."""
    cells = {(1, None): 5, (1, 10): 1, (2, 10): 5, (2, 11): 5}
    parents = {1: None, 2: 1}
    shown = decide(cells, parents, 5)
    assert linearly_isolated(shown, cells, parents, 5) is None
    assert org(1) in shown
    assert org(2) in shown  # the organisation tree comes first; a department row goes


@settings(max_examples=200, deadline=None)
@given(organisations(), st.integers(min_value=3, max_value=6))
def test_comments_cuts_hold_without_departments(organisation, minimum):
    cells, parents = organisation
    shown = decide(cells, parents, minimum, departments=False)
    assert not any(key.kind == DEPT for key in shown)
    assert smallest_isolated(shown, cells, parents, minimum) is None


@settings(max_examples=200, deadline=None)
@given(organisations())
def test_nothing_is_hidden_when_every_cell_is_empty_or_large(organisation):
    """The engine hides only to protect someone: with cells of 0 or at least the
    minimum, no subtraction isolates anyone, and every non-empty cut is shown."""
    cells, parents = organisation
    cells = {c: (n if n >= 5 or n == 0 else 0) for c, n in cells.items()}
    shown = decide(cells, parents, 5)
    for m in parents:
        if any(n for (mm, _), n in cells.items() if mm == m):
            assert team(m) in shown


def test_the_attacker_finds_what_the_old_rule_let_through():
    """The checker itself: subtracting a 46-person organisation from a 47-person
    department leaves one person."""
    cells = {(2, 10): 46, (1, 10): 1}
    parents = {1: None, 2: 1}
    everything = {org(1), org(2), team(2), dept(1, 10), dept(2, 10)}
    assert smallest_isolated(everything, cells, parents, 5) == 1


def test_a_department_row_that_differs_from_an_organisation_by_one_is_hidden():
    # Operations (47) holds Marcus's organisation (46) and one person more.
    cells = {(2, 10): 40, (3, 10): 6, (1, 10): 1, (4, 11): 20, (5, 11): 8}
    parents = {1: None, 2: 1, 3: 2, 4: 1, 5: 4}
    shown = decide(cells, parents, 5)
    assert dept(1, 10) not in shown
    assert org(2) in shown  # Marcus's organisation is still shown, on every page
    assert smallest_isolated(shown, cells, parents, 5) is None


def test_a_direct_team_is_hidden_when_its_leaders_organisation_has_one_more():
    # The leader's organisation (8) is the manager's team (7) and one direct report.
    cells = {(2, None): 7, (1, None): 1}
    parents = {1: None, 2: 1}
    shown = decide(cells, parents, 5)
    assert org(1) in shown
    assert team(2) not in shown
    assert org(2) not in shown


def test_the_database_writes_the_digest_python_would_of_the_same_cells(org):
    """A decision is looked up by the digest the database writes of a window's cells and
    kept under the one Python computes of the cells it was decided on: the two must
    agree (departments missing included), or every page would decide afresh."""
    from feedback import anonymity
    from feedback.models import Response, Tally
    from tests.factories import open_window, pulse_form, survey_program

    program = survey_program(org)
    form = pulse_form(program, org["hr"])
    window, sealed = open_window(program), open_window(program, days_ago=40)
    sales = org["departments"]["sales"]
    Response.objects.bulk_create(
        [
            Response(form=form, window=window, manager=org["manager"], department=sales),
            Response(form=form, window=window, manager=org["manager"], department=sales),
            Response(form=form, window=window, manager=org["manager"]),
            Response(form=form, window=window, manager=org["leader"], department=sales),
            Response(form=form, window=sealed, manager=org["manager"], department=sales),
        ]
    )
    Tally.objects.create(form=form, window=sealed, kind=Tally.SEALED, n=1)

    seals, digests = anonymity._versions([form.pk], "window_id", [window.pk, sealed.pk])
    cells = anonymity._cells([form.pk], "window_id", [window.pk])

    assert digests == {window.pk: anonymity._digest(cells[window.pk])}
    assert set(seals) == {sealed.pk}  # a sealed window is known by its seal alone
