from django.apps import AppConfig

from engagement import extensions


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        # The app's modules import its models, which are not ready when apps.py loads.
        from scheduling import selectors  # noqa: PLC0415

        extensions.nav("My calendar", "scheduling:my_calendar", extensions.everyone, order=50)
        extensions.nav("Settings", "scheduling:my_settings", extensions.everyone, menu="user")
        extensions.hr_admin_permissions(
            "scheduling.view_session",
            "scheduling.change_session",
            "scheduling.view_participant",
            "scheduling.view_reminder",
        )
        extensions.check("program_has_opened", selectors.program_has_opened)
        extensions.check("plan_program_soon", selectors.plan_program_soon)
