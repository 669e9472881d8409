"""django-q2 task functions. Thin: they take ids or nothing, and call services."""

from django.utils import timezone

from engagement import services
from engagement.models import Program
from scheduling import planner, reminders


def end_finished_programs() -> int:
    """Mark programs whose end date has passed as ended."""
    return services.programs_end_finished()


def plan_sessions() -> str:
    """Plan every program over the rolling horizon (hourly)."""
    return str(planner.sessions_plan_all())


def plan_program(program_id: int) -> str:
    """Plan one program at once, after it was created or changed."""
    program = Program.objects.select_related("owner").filter(pk=program_id).first()
    if program is None:
        return "Program no longer exists."
    return str(planner.session_plan(program=program))


def send_reminders() -> str:
    """Create the reminders that have fallen due and send every pending one (every few minutes)."""
    now = timezone.now()
    prepared = reminders.reminders_prepare(now=now)
    result = reminders.reminders_send(now=now)
    return f"{prepared} prepared; {result}"


def tell_promoted(participant_id: int) -> bool:
    """E-mail someone moved off a waitlist (queued by ``services.session_withdraw``)."""
    return reminders.reminder_send_promoted(participant_id=participant_id)
