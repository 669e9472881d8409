"""Every recurring background job, declared once.

``setup_schedules`` creates or updates these by name, so running it again
(as ``make run`` does on every start) changes nothing that is already right.
"""

from dataclasses import dataclass

from django_q.models import Schedule


@dataclass(frozen=True)
class Job:
    name: str
    func: str
    schedule_type: str
    minutes: int | None = None


JOBS = (
    Job(
        name="End programs past their end date",
        func="scheduling.tasks.end_finished_programs",
        schedule_type=Schedule.HOURLY,
    ),
    Job(
        name="Plan sessions",
        func="scheduling.tasks.plan_sessions",
        schedule_type=Schedule.HOURLY,
    ),
    Job(
        # Declared here with the other jobs; the task itself is the feedback app's.
        name="Seal closed survey windows",
        func="feedback.tasks.seal_closed_windows",
        schedule_type=Schedule.HOURLY,
    ),
    Job(
        name="Send reminders",
        func="scheduling.tasks.send_reminders",
        schedule_type=Schedule.MINUTES,
        minutes=5,
    ),
)
