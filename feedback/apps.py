from django.apps import AppConfig

from engagement import extensions


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback and engagement"

    def ready(self) -> None:
        # The app's modules import its models (and django-q2's), which are not ready
        # when apps.py loads.
        from django_q.models import Schedule  # noqa: PLC0415

        from feedback import access, sections, selectors  # noqa: PLC0415

        extensions.nav("Surveys", "feedback:my_surveys", extensions.everyone, order=80)
        extensions.nav("Results", "feedback:results_home", access.has_results_home, order=90)
        extensions.nav(
            "Results for the whole organisation", "feedback:results_home", access.is_hr, menu="hr"
        )
        extensions.section(
            "session",
            "session_feedback",
            "feedback/snippets/session_feedback.html",
            sections.session_feedback,
            order=10,
            applies=sections.asks_after_sessions,
        )
        extensions.section(
            "program",
            "results",
            "feedback/snippets/program_results.html",
            sections.program_results,
            order=45,  # with the meetings links, above the sessions (50), as before
            applies=sections.has_questions,
        )
        extensions.section(
            "organisation",
            "managers_below",
            "feedback/snippets/managers_below.html",
            sections.managers_below,
        )
        extensions.today(sections.to_answer)
        extensions.check("submit_url", access.submit_url)
        extensions.check("program_asks_feedback", selectors.asks_feedback)
        extensions.job(
            "Seal closed survey windows", "feedback.tasks.seal_closed_windows", Schedule.HOURLY
        )
