"""A sealed window's figures, kept in the cache per cut, so that a results page
computes only its open window.

A window the ballot box has sealed never changes: its responses are rewritten
once and counted into tallies, and the columns they are filed under never move.
What a results page shows of it for a cut (a manager's organisation, their direct
team, the parts of their organisation) is the same for every viewer who may see
that cut. So those figures are kept under the window, its seal, the digest of the
manager tree the anonymity engine decided on (a manager moved elsewhere changes
who is below whom, and so the figures and the decision), the form's minimum
group size and the cut: never under a viewer. Resealing a window or changing the
tree gives new keys; the old entries are never read again.

Only what the engine shows for the cut is kept: a hidden cut is kept as hidden,
with no figure, and this layer blanks hidden windows it computes too, so a figure
the engine hid never leaves it, cached or not.

Feedback after sessions is not kept: who a month invites follows its meetings,
which can still change after the month is sealed.

Entries are written after the page's read-only snapshot (``transaction.on_commit``).
"""

from __future__ import annotations

from dataclasses import astuple
from functools import partial

from django.core.cache import cache
from django.db import transaction

from engagement.models import Person
from feedback import anonymity, scores
from feedback.anonymity import CutKey, Disclosure
from feedback.models import Form
from feedback.scores import Part, Score, WindowResult

PREFIX = "rapport:figures:1"
HIDDEN = ()


def _keys(
    form: Form, windows: list, shown: Disclosure, what: str, manager_id: int
) -> dict[int, str]:
    """Cache keys of the sealed windows among ``windows``, by window id."""
    if form.after_sessions:
        return {}
    keys = {}
    for window in windows:
        version = shown.sealed_version(window.pk)
        if version is not None:
            keys[window.pk] = (
                f"{PREFIX}:{form.pk}:{window.pk}:{version}:{form.min_group_size}"
                f":{what}:{manager_id}"
            )
    return keys


def _read(keys: dict[int, str]) -> dict[int, object]:
    if not keys:
        return {}
    found = cache.get_many(list(keys.values()))
    return {window_id: found[key] for window_id, key in keys.items() if key in found}


def _keep(entries: dict[str, object]) -> None:
    if entries:
        transaction.on_commit(partial(cache.set_many, entries, timeout=anonymity.CACHE_SECONDS))


def _score(values) -> Score:
    return Score(*values)


def _blank(result: WindowResult) -> WindowResult:
    """A window's result as the page may hold it: nothing at all of a hidden cut."""
    if result.shown:
        return result
    return WindowResult(window=result.window, respondents=0, invited=0, responded=0, shown=False)


def trend(
    form: Form, windows: list, cut: scores.Cut, shown: Disclosure, key: CutKey
) -> list[WindowResult]:
    """``scores.trend`` for ``cut`` (``key`` to the engine), the sealed windows from
    the cache when they are there."""
    ids = [w.pk for w in windows]
    keys = _keys(form, windows, shown, cut.scope, cut.manager_id)
    kept = _read(keys)
    missing = [w for w in windows if w.pk not in kept]
    computed = {
        r.window.pk: _blank(r)
        for r in scores.trend(form, missing, cut, visible=shown.by_window(ids, key))
    }
    fresh, results = {}, []
    for window in windows:
        if window.pk in computed:
            result = computed[window.pk]
            if window.pk in keys:
                fresh[keys[window.pk]] = _values(result)
        else:
            result = _result(window, kept[window.pk])
        results.append(result)
    _keep(fresh)
    return results


def _values(result: WindowResult):
    if not result.shown:
        return HIDDEN
    return (
        result.respondents,
        result.invited,
        result.responded,
        astuple(result.engagement),
        astuple(result.enps),
        {driver: astuple(score) for driver, score in result.drivers.items()},
    )


def _result(window, values) -> WindowResult:
    if values == HIDDEN:
        return WindowResult(window=window, respondents=0, invited=0, responded=0, shown=False)
    respondents, invited, responded, engagement, enps, drivers = values
    return WindowResult(
        window=window,
        respondents=respondents,
        invited=invited,
        responded=responded,
        shown=True,
        engagement=_score(engagement),
        enps=_score(enps),
        drivers={driver: _score(score) for driver, score in drivers.items()},
    )


def breakdown(form: Form, windows: list, manager: Person, shown: Disclosure) -> list[Part]:
    """``scores.breakdown`` of ``manager``'s organisation, the sealed windows' scores
    from the cache when they are there (only those of the parts shown)."""
    keys = _keys(form, windows, shown, "parts", manager.pk)
    kept = _read(keys)
    missing = [w for w in windows if w.pk not in kept]
    parts = scores.breakdown(form, missing, manager, shown)
    fresh = {}
    for window in windows:
        for part in parts:
            cut = anonymity.team(manager.pk) if part.is_team else anonymity.org(part.manager_id)
            part.respondents[window.pk] = shown.size(window.pk, cut)
            part.visible[window.pk] = shown.shows(window.pk, cut)
        if window.pk in kept:
            for part in parts:
                found = kept[window.pk].get(part.manager_id)
                if found is None or not part.visible[window.pk]:
                    continue
                by_driver, enps = found
                for driver, values in by_driver.items():
                    part.scores[(window.pk, driver)] = _score(values)
                if enps is not None:
                    part.enps[window.pk] = _score(enps)
            continue
        for part in parts:
            if not part.visible[window.pk]:
                part.enps.pop(window.pk, None)
                for driver in [d for (w, d) in part.scores if w == window.pk]:
                    del part.scores[(window.pk, driver)]
        if window.pk in keys:
            fresh[keys[window.pk]] = {
                part.manager_id: (
                    {
                        driver: astuple(score)
                        for (window_id, driver), score in part.scores.items()
                        if window_id == window.pk
                    },
                    astuple(part.enps[window.pk]) if window.pk in part.enps else None,
                )
                for part in parts
                if part.visible[window.pk]
            }
    _keep(fresh)
    return parts
