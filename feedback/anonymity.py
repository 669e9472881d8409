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
that what one viewer sees is a part of a safe set, and so is what several viewers
pooled see): no set of fewer than the minimum respondents can be worked out by
adding and subtracting shown figures, in any combination and across the three
families (a percentage with its n is a count). That covers a cut less any
union of disjoint cuts inside it, and also a difference of differences across
the tree and the departments, which cross each other.

How it is decided. Responses are counted per cell (filing manager, department),
one grouped query per set of windows. An atom is a set of cells that exactly the
same shown cuts contain; every combination of shown figures is a figure about a
union of atoms, so the rule holds while every atom holds 0 or at least the
minimum. Cuts are admitted one at a time, the organisation tree first (from the
top, each node's parts largest first, as a breakdown lists them), then the
department rows (from the top, largest first); a cut that would split an atom
into a piece of 1 to minimum - 1 people is hidden. Linear in the cells and the
depth of the tree. Cuts covering the same cells are the same figures under two
names and are admitted or hidden alike.

Drivers. A driver's score is shown for a shown cut only when every respondent of
the cut answered it (``complete``): its counts are then the cut's, and the same
rule protects them. An optional question skipped by some is not shown for that cut.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection, transaction

from engagement.models import Person
from feedback.counting import marks
from feedback.models import Response, Tally
from feedback.windows import column

ORG, TEAM, DEPT = "org", "team", "dept"
CACHE_SECONDS = 7 * 24 * 3600

# A hidden cut says why in words that count nobody.
HIDDEN = "Hidden to protect anonymity"


class CutKey(NamedTuple):
    # A tuple: decisions travel through the cache as plain tuples, which load fast.
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


# The engine --------------------------------------------------------------------


@dataclass
class _Node:
    own: dict  # department -> respondents filed under this manager
    kids: list = field(default_factory=list)
    cells: list = field(default_factory=list)  # indices of the subtree's cells


class _Decision:
    """One window: its cells, the manager tree, and the cuts admitted one by one.

    An atom is a set of cells that the same admitted cuts contain. Any figure an
    attacker works out from shown figures, by adding and subtracting them in any
    combination, is about a union of atoms; so while every atom holds 0 or at
    least the minimum, no combination isolates fewer. A cut is admitted only if
    splitting the atoms it cuts through leaves no piece between 1 and minimum - 1;
    cells in no admitted cut are in no figure at all.
    """

    def __init__(self, cells, parents, minimum: int, departments: bool):
        self.k = minimum
        self.departments = departments
        self.weights: list[int] = []
        self.nodes: dict[int, _Node] = {}
        located: list[tuple[int, object]] = []
        for (manager_id, department_id), n in sorted(cells.items(), key=repr):
            if n:
                self._node(manager_id).own[department_id] = n
                located.append((manager_id, department_id))
                self.weights.append(n)
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
        self.roots = sorted(m for m in self.nodes if m not in self.parent)
        self.members: dict[CutKey, list[int]] = {}
        by_manager: dict[int, list[int]] = defaultdict(list)
        for index, (manager_id, _) in enumerate(located):
            by_manager[manager_id].append(index)
        for m in self._post_order():
            node = self.nodes[m]
            node.cells = by_manager[m] + [c for kid in node.kids for c in self.nodes[kid].cells]
            if by_manager[m]:
                self.members[team(m)] = by_manager[m]
            self.members[org(m)] = node.cells
            if departments:
                for d in {located[c][1] for c in node.cells} - {None}:
                    self.members[dept(m, d)] = [c for c in node.cells if located[c][1] == d]
        self.sizes = {
            key: sum(self.weights[c] for c in cells) for key, cells in self.members.items()
        }
        self.atom = [0] * len(self.weights)  # 0: in no admitted cut
        self.atom_size = {0: sum(self.weights)}
        self.admitted: set[CutKey] = set()

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

    def admit(self, key: CutKey) -> bool:
        """Show ``key`` if no atom it cuts through is left with 1 .. minimum - 1 people
        on either side; the outside of the unshown cells does not count."""
        cells = self.members.get(key)
        if not cells or self.sizes[key] < self.k:
            return False
        inside: dict[int, int] = defaultdict(int)
        for c in cells:
            inside[self.atom[c]] += self.weights[c]
        for atom, n in inside.items():
            rest = self.atom_size[atom] - n
            if 0 < n < self.k or (atom != 0 and 0 < rest < self.k):
                return False
        fresh = {atom: len(self.atom_size) + i for i, atom in enumerate(inside)}
        for atom, n in inside.items():
            self.atom_size[atom] -= n
            self.atom_size[fresh[atom]] = n
        for c in cells:
            self.atom[c] = fresh[self.atom[c]]
        self.admitted.add(key)
        return True

    def settle(self) -> None:
        """The organisation tree first, from the top, each node's parts (the
        sub-organisations and the direct team) largest first, as a breakdown shows
        them; then department rows, from the top, largest first. A part that would
        leave a small group beside it is the one hidden, as in any breakdown."""
        for root in self.roots:
            self.admit(org(root))
        queue = list(self.roots)
        while queue:
            m = queue.pop(0)
            parts = [org(kid) for kid in self.nodes[m].kids] + [team(m)]
            for key in sorted(parts, key=lambda key: (-self.sizes.get(key, 0), key)):
                self.admit(key)
            queue.extend(sorted(self.nodes[m].kids))
        if self.departments:
            rows = [key for key in self.members if key.kind == DEPT]
            depth = {m: self._depth(m) for m in self.nodes}
            for key in sorted(rows, key=lambda key: (depth[key.manager_id], -self.sizes[key], key)):
                self.admit(key)

    def _depth(self, m: int) -> int:
        depth = 0
        while m in self.parent:
            m, depth = self.parent[m], depth + 1
        return depth

    def shown_keys(self) -> set[CutKey]:
        return set(self.admitted)


# Reading the cells ---------------------------------------------------------------


def _cells(
    form_ids: list[int], key: str, window_ids: list[int]
) -> dict[int, dict[tuple[int, int | None], int]]:
    """Responses per window and cell (filing manager, department): one query, in SQL
    (a window can have thousands of cells) and in the order of its index, so that
    each window's cells arrive sorted and their digest needs no sort. ``key`` is the
    window column (``window_id``, or ``period_id`` for feedback after sessions, whose
    months belong to one form each)."""
    sql = (
        f"SELECT {key}, manager_id, department_id, COUNT(*) FROM {Response._meta.db_table}"
        f" WHERE form_id IN ({marks(form_ids)}) AND {key} IN ({marks(window_ids)})"
        f" AND manager_id IS NOT NULL GROUP BY {key}, manager_id, department_id"
        f" ORDER BY {key}, manager_id, department_id"
    )
    counted: dict[int, dict] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*form_ids, *window_ids])
        for window_id, manager_id, department_id, n in cursor.fetchall():
            counted[window_id][manager_id, department_id] = n
    return counted


def _tree() -> tuple[dict[int, int | None], str]:
    """Everyone's manager, and a digest of it (a decision holds for one tree): one query."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, manager_id FROM {Person._meta.db_table} ORDER BY id")
        rows = cursor.fetchall()
    digest = hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()
    return dict(rows), digest


def _digest(cells: dict) -> str:
    """The digest of one window's cells, of the text ``_versions`` has the database
    write: "manager:department:count" joined by commas, in the order of ``_cells``."""
    text = ",".join(f"{m}:{'' if d is None else d}:{n}" for (m, d), n in cells.items())
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _versions(
    form_ids: list[int], key: str, window_ids: list[int]
) -> tuple[dict[int, int], dict[int, str]]:
    """What each window's decision is known by, in one query: a sealed window by its
    seal (a new one each time it is sealed; its responses never change), an open one
    by the ``_digest`` of its cells, which the database writes out: a window of a large
    organisation has thousands of cells, and a decision already in the cache needs only
    their digest. A window without responses has no digest."""
    if connection.vendor == "postgresql":
        cell = "m::text || ':' || COALESCE(d::text, '') || ':' || n::text"
        joined = f"string_agg({cell}, ',' ORDER BY m, d)"
    else:
        # SQLite joins the rows in the order the subquery gives them.
        joined = "group_concat(m || ':' || COALESCE(d, '') || ':' || n, ',')"
    forms, windows = marks(form_ids), marks(window_ids)
    seals = (
        f"SELECT {key} FROM {Tally._meta.db_table}"
        f" WHERE form_id IN ({forms}) AND kind = %s AND {key} IN ({windows})"
    )
    sql = (
        f"SELECT 's', {key}, CAST(id AS TEXT) FROM {Tally._meta.db_table}"
        f" WHERE form_id IN ({forms}) AND kind = %s AND {key} IN ({windows})"
        f" UNION ALL SELECT 'c', w, {joined} FROM ("
        f"SELECT {key} AS w, manager_id AS m, department_id AS d, COUNT(*) AS n"
        f" FROM {Response._meta.db_table}"
        f" WHERE form_id IN ({forms}) AND {key} IN ({windows}) AND manager_id IS NOT NULL"
        f" AND {key} NOT IN ({seals})"
        f" GROUP BY {key}, manager_id, department_id"
        f" ORDER BY {key}, manager_id, department_id) cells GROUP BY w"
    )
    params = [*form_ids, Tally.SEALED, *window_ids]
    seals_of, digests = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *form_ids, *window_ids, *params])
        for kind, window_id, value in cursor.fetchall():
            if kind == "s":
                seals_of[window_id] = int(value)
            else:
                digests[window_id] = hashlib.blake2b(value.encode(), digest_size=16).hexdigest()
    return seals_of, digests


class Disclosure:
    """Which cuts of some windows may be shown (``shows``), and how many responded in
    each cut (``size``: for the engine's callers, shown beside a cut only if shown)."""

    def __init__(
        self,
        decided: dict[int, tuple[set[CutKey], dict[CutKey, int]]],
        *,
        seals: dict[int, int] | None = None,
        tree: str = "",
    ):
        self._shown = {window_id: shown for window_id, (shown, _) in decided.items()}
        self._sizes = {window_id: sizes for window_id, (_, sizes) in decided.items()}
        self._seals = seals or {}
        self.tree = tree

    def sealed_version(self, window_id: int) -> str | None:
        """What a sealed window's figures are known by (its seal and the manager tree
        the decision was made on), or None for a window still open: nothing about it
        is final."""
        seal = self._seals.get(window_id)
        return None if seal is None else f"seal{seal}:{self.tree}"

    def shows(self, window_id: int, key: CutKey) -> bool:
        return key in self._shown.get(window_id, ())

    def size(self, window_id: int, key: CutKey) -> int:
        return self._sizes.get(window_id, {}).get(key, 0)

    def departments(self, window_id: int, manager_id: int) -> dict[int, int]:
        """The department rows shown in ``manager_id``'s organisation: id -> respondents."""
        return {
            key[2]: n
            for key, n in self._sizes.get(window_id, {}).items()
            if key[0] == DEPT and key[1] == manager_id
        }

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
    seals, digests = _versions(form_ids, key, list(minimums))

    def cache_key(window_id: int, version) -> str:
        return (
            f"rapport:anonymity:3:{key}:{window_id}:{version}:{minimums[window_id]}"
            f":{int(departments)}:{tree}"
        )

    # A sealed window is known by its seal alone; an open one by the digest of its
    # cells (one query), which are read and walked only when they changed.
    sealed = {w: cache_key(w, f"seal{seals[w]}") for w in minimums if w in seals}
    kept = _kept(list(sealed.values()))
    decided = {w: kept[k] for w, k in sealed.items() if k in kept}
    missing = [w for w in minimums if w not in decided]
    empty = _digest({})
    # A sealed window not in the cache has no digest (it is known by its seal): decide it.
    counted = {w: cache_key(w, digests.get(w, empty)) for w in missing if w not in sealed}
    kept = _kept(list(counted.values()))
    decided.update({w: kept[k] for w, k in counted.items() if k in kept})
    unknown = [w for w in missing if w not in decided]
    cells = _cells(form_ids, key, unknown) if unknown else {}
    fresh = {}
    for window_id in unknown:
        # Kept under the digest of the very cells it was decided on: an answer that
        # arrived after the digests were read gives another key, never a stale decision.
        counted[window_id] = cache_key(window_id, _digest(cells.get(window_id, {})))
        decision = _Decision(cells.get(window_id, {}), parents, minimums[window_id], departments)
        decision.settle()
        # Only the shown cuts and their sizes: a hidden cut's size is shown nowhere.
        shown = frozenset(tuple(k) for k in decision.shown_keys())
        decided[window_id] = fresh[counted[window_id]] = (
            shown,
            {k: n for k, n in decision.sizes.items() if k in shown},
        )
        if window_id in sealed:
            fresh[sealed[window_id]] = decided[window_id]
    if fresh:
        # After the page's read-only snapshot, if any: a database cache is written then.
        transaction.on_commit(partial(cache.set_many, fresh, timeout=CACHE_SECONDS))
    _remember(fresh)
    return Disclosure(decided, seals={w: seals[w] for w in minimums if w in seals}, tree=tree)


# Decisions this process has read lately, already loaded: a results page reads some
# fifty, and loading them from the cache again is most of its cost.
_recent: OrderedDict[str, tuple] = OrderedDict()
# A window of 1,000 managers takes about 0.6 MB: enough for a page or two of every form.
RECENT = 64


def _kept(keys: list[str]) -> dict[str, tuple]:
    found = {k: _recent[k] for k in keys if k in _recent}
    for k in found:
        _recent.move_to_end(k)
    loaded = cache.get_many([k for k in keys if k not in found]) if len(found) < len(keys) else {}
    _remember(loaded)
    return {**found, **loaded}


def _remember(decided: dict[str, tuple]) -> None:
    _recent.update(decided)
    while len(_recent) > RECENT:
        _recent.popitem(last=False)


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
