"""Every route of the project, read from the URL resolver (never a hand list that can
go stale), for the tests that visit each one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # the whole path pattern, e.g. "sessions/<int:pk>/move/"
    params: tuple[str, ...]


def _params(pattern) -> tuple[str, ...]:
    return tuple(pattern.converters) or tuple(re.findall(r"\(\?P<(\w+)>", str(pattern)))


def _walk(patterns, prefix: str, namespace: str, outer: tuple[str, ...] = ()):
    # An include() nested under a path with parameters (sessions/<int:pk>/) passes them
    # on to every route inside it.
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from _walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                inner,
                outer + _params(entry.pattern),
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            pattern = prefix + str(entry.pattern)
            yield Route(name=name, pattern=pattern, params=outer + _params(entry.pattern))


def project_routes() -> list[Route]:
    """The project's own routes. Django's admin site is left to Django (its routes are
    generated per registered model and reached by staff only)."""
    return [
        route
        for route in _walk(get_resolver().url_patterns, "", "")
        if not route.name.startswith("admin:")
    ]
