"""The anonymity engine: which cuts of a window's anonymous answers may be shown, as a set.

Every figure about anonymous answers (headlines, trends, drivers, the breakdowns
by team and by department, the direct-team scope, comments, CSV exports, chart
data, program health and feedback after sessions) is shown only for a cut that
``Disclosure.shows`` allows. Nothing else decides it.

A cut is a set of responses, by the columns they are filed under:

- ``org(m)``: everyone filed under manager ``m`` or anyone below them;
- ``team(m)``: those filed under ``m`` themselves (the direct-team scope, and the
  direct team's row in ``m``'s breakdown);
- ``dept(m, d)``: those of ``org(m)`` filed with department ``d`` (the results page's
  table by department).

The rule, over every cut anyone can reach (the whole organisation at once, so
that what one viewer sees is a part of a safe set, and so is what two viewers
pooled see): for a shown cut B and any shown cuts inside it that do not overlap
each other (taken from any of the three families, by the cells they cover), the
respondents of B that none of them covers number 0 or at least the minimum.
Otherwise subtracting the shown figures (a percentage with its n is a count)
would single out fewer people than the minimum.

How it is decided. Responses are counted per cell (filing manager, department),
one grouped query per set of windows. Walking the manager tree from the bottom,
for each shown cut B the engine computes which uncovered remainders are reachable
by a packing of shown cuts inside it. Remainders below the minimum are all that
matter, so a set of reachable remainders is a bitmask over 0..minimum (the top
bit meaning "the minimum or more"). An organisation's packings are relaxed to one
department at a time (a cut's slice in one department may be used without its
slices in the others): that allows more packings than an attacker has, so the
engine may hide more than it must, never less. When some packing leaves between
1 and minimum - 1 people, one cut of that packing (or B itself) is hidden:
department rows first, then the smallest cut. Hiding only ever removes packings,
so one pass from the bottom up settles every cut.

Two cuts that cover the same cells are the same figures under two names; they are
shown or hidden together.

Drivers. A driver's score is shown for a shown cut only when every respondent of
the cut answered it (``complete``): its counts are then the cut's, and the same
rule protects them. An optional question skipped by some is not shown for that cut.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from engagement.models import Person

ORG, TEAM, DEPT = "org", "team", "dept"

# A hidden cut says why in words that count nobody.
HIDDEN = "Hidden to protect anonymity"


@dataclass(frozen=True, order=True)
class CutKey:
    kind: str
    manager_id: int
    department_id: int | None = None


def org(manager_id: int) -> CutKey:
    return CutKey(ORG, manager_id)


def team(manager_id: int) -> CutKey:
    return CutKey(TEAM, manager_id)


def dept(manager_id: int, department_id: int) -> CutKey:
    return CutKey(DEPT, manager_id, department_id)


def complete(score, respondents: int) -> bool:
    """Whether a driver's score may stand beside its cut's: every respondent of the cut
    gave it (so its counts are the cut's) and the cut has respondents."""
    return score is not None and respondents > 0 and score.respondents == respondents


# Reachable remainders ----------------------------------------------------------
#
# Two algebras over the same walk: bitmasks for the pass over the whole tree, and
# dictionaries remainder -> the cuts used, to name a packing once one breaks the rule.


class _Bits:
    def __init__(self, minimum: int):
        self.k = minimum
        self.low = (1 << minimum) - 2  # remainders 1 .. minimum - 1

    def single(self, n: int) -> int:
        return 1 << min(n, self.k)

    def covered(self, cut) -> int:
        return 1

    def union(self, a: int, b: int) -> int:
        return a | b

    def add(self, a: int, b: int) -> int:
        out, shift = 0, 0
        while a:
            if a & 1:
                out |= b << shift
            a >>= 1
            shift += 1
        top = out >> self.k
        return (out & ((1 << self.k) - 1)) | ((1 if top else 0) << self.k)

    def breaks(self, a: int) -> bool:
        return bool(a & self.low)


class _Witness:
    def __init__(self, minimum: int):
        self.k = minimum

    def single(self, n: int) -> dict:
        return {min(n, self.k): ()}

    def covered(self, cut) -> dict:
        return {0: (cut,)}

    def union(self, a: dict, b: dict) -> dict:
        """Both; where both reach a remainder, ``a``'s way of reaching it."""
        return {**b, **a}

    def add(self, a: dict, b: dict) -> dict:
        out: dict = {}
        for r1, w1 in a.items():
            for r2, w2 in b.items():
                r = min(r1 + r2, self.k)
                if r not in out:
                    out[r] = (w1, w2) if w1 and w2 else (w1 or w2)
        return out

    def packing(self, a: dict) -> list:
        """The cuts of one packing leaving 1 .. minimum - 1 people."""
        for r in sorted(a):
            if 0 < r < self.k:
                return list(_flatten(a[r]))
        return []


def _flatten(witness) -> Iterable:
    stack = [witness]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            stack.extend(item)
        elif item is not None:
            yield item


# The engine --------------------------------------------------------------------


def _cell_hash(manager_id: int, department_id) -> int:
    digest = hashlib.blake2b(f"{manager_id}:{department_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass
class _Node:
    own: dict  # department -> respondents filed under this manager
    kids: list = field(default_factory=list)
    total: dict = field(default_factory=dict)  # department -> respondents in the subtree
    values: tuple | None = None  # (org slices, department slices), inner and full


class _Decision:
    """One window: the cells, the tree, and the cuts left shown."""

    def __init__(self, cells, parents, minimum: int, departments: bool):
        self.k = minimum
        self.departments = departments
        self.nodes: dict[int, _Node] = {}
        for (manager_id, department_id), n in cells.items():
            if n:
                self._node(manager_id).own[department_id] = n
        # Every ancestor of a cell, so that organisations add up.
        for manager_id in list(self.nodes):
            child, parent = manager_id, parents.get(manager_id)
            while parent is not None:
                fresh = parent not in self.nodes
                node = self._node(parent)
                if child not in node.kids:
                    node.kids.append(child)
                if not fresh:
                    break
                child, parent = parent, parents.get(parent)
        self.parent = {kid: m for m, node in self.nodes.items() for kid in node.kids}
        self.roots = [m for m in self.nodes if m not in self.parent]
        self.order = self._post_order()
        self.hashes: dict[CutKey, int] = {}
        self.sizes: dict[CutKey, int] = {}
        self._measure()
        # Cuts with the same cells are one class: shown or hidden together.
        self.classes: dict[int, list[CutKey]] = defaultdict(list)
        for key, digest in self.hashes.items():
            self.classes[digest].append(key)
        self.shown_classes = {
            digest for digest, keys in self.classes.items() if self.sizes[keys[0]] >= minimum
        }

    def _node(self, manager_id: int) -> _Node:
        if manager_id not in self.nodes:
            self.nodes[manager_id] = _Node(own={})
        return self.nodes[manager_id]

    def _post_order(self) -> list[int]:
        order, stack = [], [(root, False) for root in self.roots]
        while stack:
            manager_id, done = stack.pop()
            if done:
                order.append(manager_id)
                continue
            stack.append((manager_id, True))
            stack.extend((kid, False) for kid in self.nodes[manager_id].kids)
        return order

    def _measure(self) -> None:
        org_hash: dict[int, int] = {}
        dept_hash: dict[tuple[int, object], int] = {}
        for m in self.order:
            node = self.nodes[m]
            node.total = dict(node.own)
            team_hash = 0
            for d in node.own:
                team_hash = (team_hash + _cell_hash(m, d)) % (1 << 64)
                dept_hash[m, d] = _cell_hash(m, d)
            org_hash[m] = team_hash
            for kid in node.kids:
                org_hash[m] = (org_hash[m] + org_hash[kid]) % (1 << 64)
                for d, n in self.nodes[kid].total.items():
                    node.total[d] = node.total.get(d, 0) + n
                    dept_hash[m, d] = (dept_hash.get((m, d), 0) + dept_hash[kid, d]) % (1 << 64)
            if node.own:
                self._cut(team(m), team_hash, sum(node.own.values()))
            self._cut(org(m), org_hash[m], sum(node.total.values()))
            if self.departments:
                for d, n in node.total.items():
                    if d is not None:
                        self._cut(dept(m, d), dept_hash[m, d], n)

    def _cut(self, key: CutKey, digest: int, n: int) -> None:
        self.hashes[key] = digest
        self.sizes[key] = n

    def shown(self, key: CutKey) -> bool:
        digest = self.hashes.get(key)
        return digest is not None and digest in self.shown_classes

    def hide(self, key: CutKey) -> None:
        self.shown_classes.discard(self.hashes[key])

    # The walk.

    def _pure(self, counts: dict, d) -> bool:
        return d is not None and all(dd == d for dd in counts)

    def _values(self, m: int, alg) -> tuple[dict, dict, dict, dict]:
        """For ``m``'s subtree, per department: the reachable remainders of its slice
        using cuts an organisation may use (inner: without ``org(m)`` and ``dept(m, d)``;
        full: with them), and using cuts that lie inside one department."""
        node = self.nodes[m]
        team_shown = self.shown(team(m))
        org_shown = self.shown(org(m))
        org_pure = {d: self._pure(node.total, d) for d in node.total}
        inner_org, full_org, inner_dept, full_dept = {}, {}, {}, {}
        for d in node.total:
            own = node.own.get(d, 0)
            by_org = by_dept = alg.single(own)
            if own and team_shown:
                by_org = alg.union(alg.covered(team(m)), by_org)
                if self._pure(node.own, d):
                    by_dept = alg.union(alg.covered(team(m)), by_dept)
            for kid in node.kids:
                kid_values = self._kid_values(kid, alg)
                if d in kid_values[1]:
                    by_org = alg.add(by_org, kid_values[1][d])
                    by_dept = alg.add(by_dept, kid_values[3][d])
            inner_org[d], inner_dept[d] = by_org, by_dept
            dept_shown = d is not None and self.shown(dept(m, d))
            # The coarsest packing first: the cut to hide is then one a page shows
            # beside the others, not one found deep below them.
            if dept_shown:
                by_org = alg.union(alg.covered(dept(m, d)), by_org)
                by_dept = alg.union(alg.covered(dept(m, d)), by_dept)
            if org_shown:
                by_org = alg.union(alg.covered(org(m)), by_org)
                if org_pure[d]:
                    by_dept = alg.union(alg.covered(org(m)), by_dept)
            full_org[d], full_dept[d] = by_org, by_dept
        return inner_org, full_org, inner_dept, full_dept

    def _kid_values(self, kid: int, alg):
        if isinstance(alg, _Bits):
            return self.nodes[kid].values
        return self._values(kid, alg)

    def _remainders(self, key: CutKey, alg):
        """Reachable remainders of ``key`` by shown cuts strictly inside it."""
        m = key.manager_id
        node = self.nodes[m]
        values = node.values if isinstance(alg, _Bits) else self._values(m, alg)
        inner_org, _, inner_dept, _ = values
        if key.kind == DEPT:
            return inner_dept[key.department_id]
        total = alg.single(0)
        for d in node.total if key.kind == ORG else node.own:
            part = inner_org[d] if key.kind == ORG else alg.single(node.own[d])
            # A department row of m lies inside the team when all of it is m's own.
            inside = key.kind == ORG or node.total[d] == node.own[d]
            if d is not None and inside and self.shown(dept(m, d)):
                part = alg.union(alg.covered(dept(m, d)), part)
            total = alg.add(total, part)
        return total

    def settle(self) -> None:
        bits, witness = _Bits(self.k), _Witness(self.k)
        done: set[int] = set()
        for m in self.order:
            node = self.nodes[m]
            node.values = self._values(m, bits)
            done.add(m)
            keys = [dept(m, d) for d in node.total if d is not None and self.departments]
            keys += [team(m), org(m)]
            for key in keys:
                while self.shown(key) and bits.breaks(self._remainders(key, bits)):
                    packing = witness.packing(self._remainders(key, witness))
                    victim = min([key, *packing], key=self._preference)
                    self.hide(victim)
                    self._refresh(victim, done, bits)

    def _preference(self, key: CutKey):
        # Department rows are a second view of the same people: they go first.
        return (key.kind != DEPT, self.sizes[key], key.kind != TEAM, key)

    def _refresh(self, hidden: CutKey, done: set[int], bits) -> None:
        """Walk up from every cut of the hidden class, recomputing what was computed."""
        for key in self.classes[self.hashes[hidden]]:
            m = key.manager_id
            while m is not None and m in done:
                self.nodes[m].values = self._values(m, bits)
                m = self.parent.get(m)

    def shown_keys(self) -> set[CutKey]:
        return {key for key in self.hashes if self.hashes[key] in self.shown_classes}


# Reading the cells ---------------------------------------------------------------


def _cells(form, window_ids: list[int]) -> dict[int, dict[tuple[int, int | None], int]]:
    """Responses per window and cell (filing manager, department): one query."""
    from feedback.models import Response
    from feedback.scores import column

    key = column(form)
    rows = (
        Response.objects.filter(form=form, **{f"{key}__in": window_ids}, manager__isnull=False)
        .values_list(key, "manager_id", "department_id")
        .order_by()
    )
    from django.db.models import Count

    counted: dict[int, dict] = defaultdict(dict)
    for window_id, manager_id, department_id, n in rows.annotate(n=Count("id")):
        counted[window_id][manager_id, department_id] = n
    return counted


def _parents(filing: set[int]) -> dict[int, int | None]:
    """Manager of every manager and of every filing manager: one query."""
    table = Person._meta.db_table
    marks = ", ".join(["%s"] * len(filing)) or "NULL"
    sql = (
        f"SELECT id, manager_id FROM {table} WHERE id IN (SELECT manager_id FROM {table}"
        f" WHERE manager_id IS NOT NULL) OR id IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(filing))
        return dict(cursor.fetchall())


class Disclosure:
    """Which cuts of some windows may be shown. ``shows(window_id, key)``."""

    def __init__(self, shown: dict[int, set[CutKey]]):
        self._shown = shown

    def shows(self, window_id: int, key: CutKey) -> bool:
        return key in self._shown.get(window_id, ())

    def by_window(self, window_ids: Iterable[int], key: CutKey) -> dict[int, bool]:
        return {window_id: self.shows(window_id, key) for window_id in window_ids}


def disclosure(
    form, window_ids: Iterable[int], *, minimum: int | None = None, departments: bool = True
) -> Disclosure:
    """Decide, for each window of ``form``, the cuts that may be shown together.

    ``minimum`` defaults to the form's minimum group size; comments pass their own
    minimum and ``departments=False`` (no page lists comments by department).
    Two queries, then a walk of the manager tree per window.
    """
    ids = list(window_ids)
    if not ids:
        return Disclosure({})
    minimum = minimum if minimum is not None else form.min_group_size
    cells = _cells(form, ids)
    filing = {manager_id for window in cells.values() for manager_id, _ in window}
    parents = _parents(filing) if filing else {}
    return Disclosure(
        {
            window_id: decide(cells.get(window_id, {}), parents, minimum, departments=departments)
            for window_id in ids
        }
    )


def decide(
    cells: dict[tuple[int, int | None], int],
    parents: dict[int, int | None],
    minimum: int,
    *,
    departments: bool = True,
) -> set[CutKey]:
    """The cuts of one window that may be shown together, from its respondents per cell
    (filing manager, department) and each manager's manager."""
    decision = _Decision(cells, parents, minimum, departments)
    decision.settle()
    return decision.shown_keys()
