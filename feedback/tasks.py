"""django-q2 task functions of the feedback app. Thin: they call services."""

from feedback import ballots


def seal_closed_windows() -> str:
    """Rewrite, shuffled, the anonymous answers of windows that have closed (hourly)."""
    return f"{ballots.seal_closed()} responses sealed"


def clear_freed_space() -> str:
    """Vacuum the answers a mix just deleted (PostgreSQL keeps them as dead rows)."""
    ballots.clear_freed_space(analyze=False)
    return "freed space cleared"
