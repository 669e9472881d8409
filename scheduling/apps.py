from django.apps import AppConfig

from engagement import extensions


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        # Function-level imports: both load models, which exist only once ready() runs.
        from django_q.models import Schedule  # noqa: PLC0415

        from scheduling import sections  # noqa: PLC0415

        extensions.job(
            "End programs past their end date",
            "scheduling.tasks.end_finished_programs",
            Schedule.HOURLY,
        )
        extensions.job("Plan sessions", "scheduling.tasks.plan_sessions", Schedule.HOURLY)
        extensions.job(
            "Send reminders", "scheduling.tasks.send_reminders", Schedule.MINUTES, minutes=5
        )
        sections.register()
