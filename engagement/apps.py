from django.apps import AppConfig

from engagement import extensions


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "Organisation and programs"

    def ready(self) -> None:

        extensions.nav("Home", "engagement:home", extensions.everyone, order=10)
        extensions.nav("Practices", "engagement:practice_list", extensions.everyone, order=20)
        extensions.nav("Programs", "engagement:program_list", extensions.everyone, order=30)
        extensions.nav("People", "engagement:person_list", extensions.everyone, order=40)
