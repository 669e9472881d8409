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
from itertools import combinations

from django.core.cache import cache
from django.db import connection
from django.db.models import Count

from engagement.models import Person

ORG, TEAM, DEPT = "org", "team", "dept"
MAX_CHOICES = 8
CACHE_SECONDS = 7 * 24 * 3600

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
    name = "bits"

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

    def using(self, a: int, cuts: list) -> int:
        return a

    def breaks(self, a: int) -> bool:
        return bool(a & self.low)


class _Witness:
    name = "witness"

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

    def using(self, a: dict, cuts: list) -> dict:
        if not cuts:
            return a
        return {r: (tuple(cuts), w) for r, w in a.items()}

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
        self.memos: dict[tuple[str, int], dict] = {}
        # Department rows chosen at one node are tried in every combination: a node
        # with very many rows of its own keeps its largest, the rest are hidden.
        for m in self.order:
            new = sorted(self._new_departments(m), key=lambda d: self.sizes[dept(m, d)])
            for d in new[: max(0, len(new) - MAX_CHOICES)]:
                self.hide(dept(m, d))

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

    # The walk.

    def _new_departments(self, m: int) -> list:
        """Departments whose row at ``m`` is not already a row of a kid, nor ``m``'s
        organisation, under another name: the only ones worth choosing at ``m``."""
        node = self.nodes[m]
        new = []
        for d in node.total:
            key = dept(m, d)
            if d is None or not self.shown(key) or self.hashes[key] == self.hashes[org(m)]:
                continue
            if any(self.hashes.get(dept(kid, d)) == self.hashes[key] for kid in node.kids):
                continue
            new.append(d)
        return new

    def _org_value(self, m: int, covered: frozenset, alg, *, inner: bool = False):
        """Reachable remainders of ``m``'s subtree by shown cuts, when the departments
        in ``covered`` are already covered by a department row above (so a cut holding
        any of them cannot be used). ``inner``: without ``org(m)`` itself. Exact: an
        organisation or a team is used whole or not at all."""
        node = self.nodes[m]
        covered = frozenset(covered & node.total.keys())
        memo = self._memo(alg, m)
        if (ORG, covered, inner) in memo:
            return memo[ORG, covered, inner]
        result = None
        if not inner and not covered and self.shown(org(m)):
            result = alg.covered(org(m))
        choices = [d for d in self._new_departments(m) if d not in covered]
        for size in range(len(choices) + 1):
            for chosen in combinations(choices, size):
                now = covered | frozenset(chosen)
                left = sum(n for d, n in node.own.items() if d not in now)
                value = alg.single(left)
                if left and self.shown(team(m)) and not (node.own.keys() & now):
                    value = alg.union(alg.covered(team(m)), value)
                for kid in node.kids:
                    value = alg.add(value, self._org_value(kid, now, alg))
                value = alg.using(value, [dept(m, d) for d in chosen])
                result = value if result is None else alg.union(result, value)
        memo[ORG, covered, inner] = result
        return result

    def _dept_value(self, m: int, d, alg, *, inner: bool = False):
        """Reachable remainders of the ``d`` slice of ``m``'s subtree by shown cuts that
        lie inside department ``d`` (its rows, and organisations and teams wholly in it).
        One department's cuts nest like the tree, so this is exact."""
        memo = self._memo(alg, m)
        if (DEPT, d, inner) in memo:
            return memo[DEPT, d, inner]
        node = self.nodes[m]
        value = alg.single(node.own.get(d, 0))
        if node.own.get(d) and self.shown(team(m)) and self._pure(node.own, d):
            value = alg.union(alg.covered(team(m)), value)
        for kid in node.kids:
            if d in self.nodes[kid].total:
                value = alg.add(value, self._dept_value(kid, d, alg))
        if not inner:
            if self.shown(org(m)) and self._pure(node.total, d):
                value = alg.union(alg.covered(org(m)), value)
            if self.shown(dept(m, d)):
                value = alg.union(alg.covered(dept(m, d)), value)
        memo[DEPT, d, inner] = value
        return value

    def _pure(self, counts: dict, d) -> bool:
        return d is not None and all(other == d for other in counts)

    def _memo(self, alg, m: int) -> dict:
        return self.memos.setdefault((alg.name, m), {})

    def _remainders(self, key: CutKey, alg):
        """Reachable remainders of ``key`` by shown cuts strictly inside it."""
        m = key.manager_id
        if key.kind == ORG:
            return self._org_value(m, frozenset(), alg, inner=True)
        if key.kind == DEPT:
            return self._dept_value(m, key.department_id, alg, inner=True)
        node = self.nodes[m]
        total = alg.single(0)
        for d, n in node.own.items():
            part = alg.single(n)
            # A department row of m lies inside the team when all of it is m's own.
            if d is not None and node.total[d] == n and self.shown(dept(m, d)):
                part = alg.union(alg.covered(dept(m, d)), part)
            total = alg.add(total, part)
        return total

    def settle(self) -> None:
        bits, witness = _Bits(self.k), _Witness(self.k)
        for m in self.order:
            node = self.nodes[m]
            keys = [dept(m, d) for d in node.total if d is not None and self.departments]
            for key in [*keys, team(m), org(m)]:
                while self.shown(key) and bits.breaks(self._remainders(key, bits)):
                    packing = witness.packing(self._remainders(key, witness))
                    self.hide(min([key, *packing], key=self._preference))

    def _preference(self, key: CutKey):
        # Department rows are a second view of the same people: they go first, unless
        # the same cells are also an organisation or a team.
        kinds = {other.kind for other in self.classes[self.hashes[key]]}
        return (kinds != {DEPT}, self.sizes[key], TEAM not in kinds, key)

    def hide(self, key: CutKey) -> None:
        """Hide the cut and every cut with the same cells; forget what was reached
        through them (their nodes and everything above)."""
        self.shown_classes.discard(self.hashes[key])
        for other in self.classes[self.hashes[key]]:
            m = other.manager_id
            while m is not None:
                self.memos.pop((_Bits.name, m), None)
                self.memos.pop((_Witness.name, m), None)
                m = self.parent.get(m)

    def shown_keys(self) -> set[CutKey]:
        return {key for key in self.hashes if self.hashes[key] in self.shown_classes}


# Reading the cells ---------------------------------------------------------------


def _cells(
    form_ids: list[int], key: str, window_ids: list[int]
) -> dict[int, dict[tuple[int, int | None], int]]:
    """Responses per window and cell (filing manager, department): one query. ``key``
    is the window column (``window_id``, or ``period_id`` for feedback after sessions,
    whose months belong to one form each)."""
    from feedback.models import Response

    rows = (
        Response.objects.filter(
            form_id__in=form_ids, **{f"{key}__in": window_ids}, manager__isnull=False
        )
        .values_list(key, "manager_id", "department_id")
        .order_by()
    )
    counted: dict[int, dict] = defaultdict(dict)
    for window_id, manager_id, department_id, n in rows.annotate(n=Count("id")):
        counted[window_id][manager_id, department_id] = n
    return counted


def _tree() -> tuple[dict[int, int | None], str]:
    """Everyone's manager, and a digest of it (a decision holds for one tree): one query."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, manager_id FROM {Person._meta.db_table} ORDER BY id")
        rows = cursor.fetchall()
    digest = hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()
    return dict(rows), digest


def _seals(form_ids: list[int], key: str, window_ids: list[int]) -> dict[int, int]:
    """Sealed windows and their seal (a new one each time a window is sealed): one query.
    A sealed window's responses never change, so its decision is kept in the cache."""
    from feedback.models import Tally

    return dict(
        Tally.objects.filter(form_id__in=form_ids, kind=Tally.SEALED, **{f"{key}__in": window_ids})
        .values_list(key, "pk")
        .order_by()
    )


def _digest(cells: dict) -> str:
    text = repr(sorted(cells.items(), key=repr)).encode()
    return hashlib.blake2b(text, digest_size=16).hexdigest()


class Disclosure:
    """Which cuts of some windows may be shown (``shows``), and how many responded in
    each cut (``size``: for the engine's callers, shown beside a cut only if shown)."""

    def __init__(self, decided: dict[int, tuple[set[CutKey], dict[CutKey, int]]]):
        self._shown = {window_id: shown for window_id, (shown, _) in decided.items()}
        self._sizes = {window_id: sizes for window_id, (_, sizes) in decided.items()}

    def shows(self, window_id: int, key: CutKey) -> bool:
        return key in self._shown.get(window_id, ())

    def size(self, window_id: int, key: CutKey) -> int:
        return self._sizes.get(window_id, {}).get(key, 0)

    def by_window(self, window_ids: Iterable[int], key: CutKey) -> dict[int, bool]:
        return {window_id: self.shows(window_id, key) for window_id in window_ids}


def disclosure(
    form, window_ids: Iterable[int], *, minimum: int | None = None, departments: bool = True
) -> Disclosure:
    """Decide, for each window of ``form``, the cuts that may be shown together.

    ``minimum`` defaults to the form's minimum group size; comments pass their own
    minimum and ``departments=False`` (no page lists comments by department).
    A few queries, then a walk of the manager tree per window not in the cache.
    """
    from feedback.scores import column

    ids = list(window_ids)
    minimum = minimum if minimum is not None else form.min_group_size
    return disclosure_of_windows(
        [form.pk], column(form), dict.fromkeys(ids, minimum), departments=departments
    )


def disclosure_of_windows(
    form_ids: list[int], key: str, minimums: dict[int, int], *, departments: bool = True
) -> Disclosure:
    """``disclosure`` over windows of several forms, each window with its minimum."""
    if not minimums:
        return Disclosure({})
    parents, tree = _tree()
    seals = _seals(form_ids, key, list(minimums))

    def cache_key(window_id: int, version) -> str:
        return (
            f"rapport:anonymity:1:{key}:{window_id}:{version}:{minimums[window_id]}"
            f":{int(departments)}:{tree}"
        )

    # A sealed window is known by its seal alone; an open one by its cells, which
    # are counted (one query) but walked only when they changed.
    sealed = {w: cache_key(w, f"seal{seals[w]}") for w in minimums if w in seals}
    kept = cache.get_many(list(sealed.values()))
    decided = {w: kept[k] for w, k in sealed.items() if k in kept}
    missing = [w for w in minimums if w not in decided]
    cells = _cells(form_ids, key, missing) if missing else {}
    counted = {w: cache_key(w, _digest(cells.get(w, {}))) for w in missing}
    kept = cache.get_many(list(counted.values()))
    fresh = {}
    for window_id in missing:
        if counted[window_id] in kept:
            decided[window_id] = kept[counted[window_id]]
            continue
        decision = _Decision(cells.get(window_id, {}), parents, minimums[window_id], departments)
        decision.settle()
        decided[window_id] = fresh[counted[window_id]] = (decision.shown_keys(), decision.sizes)
        if window_id in sealed:
            fresh[sealed[window_id]] = decided[window_id]
    cache.set_many(fresh, timeout=CACHE_SECONDS)
    return Disclosure(decided)


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
