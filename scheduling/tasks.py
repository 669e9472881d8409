"""django-q2 task functions. Thin: they take ids or nothing, and call services."""

from engagement import services


def end_finished_programs() -> int:
    """Mark programs whose end date has passed as ended."""
    return services.programs_end_finished()
