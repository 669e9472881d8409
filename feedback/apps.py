from django.apps import AppConfig

from engagement import extensions


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback and engagement"

    def ready(self) -> None:
        # The app's modules import its models, which are not ready when apps.py loads.
        from feedback import access  # noqa: PLC0415

        extensions.check("submit_url", access.submit_url)
        extensions.nav("Surveys", "feedback:my_surveys", extensions.everyone, order=80)
        extensions.nav("Results", "feedback:results_home", access.has_results_home, order=90)
