from django.apps import AppConfig

from engagement import extensions


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        # Function-level imports: these load models, which exist only once ready() runs.
        from django_q.models import Schedule  # noqa: PLC0415

        from scheduling import sections, selectors, today  # noqa: PLC0415

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
        extensions.nav("My calendar", "scheduling:my_calendar", extensions.everyone, order=50)
        extensions.nav("Settings", "scheduling:my_settings", extensions.everyone, menu="user")
        # Under an empty today list: where the person's plans are.
        extensions.nav(
            "See what is planned in My calendar",
            "scheduling:my_calendar",
            extensions.everyone,
            menu="today",
        )
        extensions.hr_admin_permissions(
            "scheduling.view_session",
            "scheduling.change_session",
            "scheduling.view_participant",
            "scheduling.view_reminder",
        )
        extensions.check("program_has_opened", selectors.program_has_opened)
        extensions.check("plan_program_soon", selectors.plan_program_soon)
        extensions.today(today.submissions_due)
