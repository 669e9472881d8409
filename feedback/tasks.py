"""django-q2 task functions of the feedback app. Thin: they call services."""

from feedback import ballots


def seal_closed_windows() -> str:
    """Rewrite, shuffled, the anonymous answers of windows that have closed (hourly)."""
    return f"{ballots.seal_closed()} responses sealed"
