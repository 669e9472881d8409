from django.apps import AppConfig

from engagement import extensions


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:

        extensions.nav("My week", "meetings:my_week", extensions.everyone, order=60)
        extensions.nav("My actions", "meetings:my_actions", extensions.everyone, order=70)
        extensions.nav(
            "Skip-level coverage",
            "meetings:skip_level_coverage",
            extensions.everyone,
            menu="organisation",
        )
        extensions.nav(
            "1-on-1s with my team: last, next and adherence",
            "meetings:one_on_ones",
            extensions.everyone,
            menu="team",
        )
