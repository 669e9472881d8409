from django.apps import AppConfig

from engagement import extensions
from engagement.practices import Capability


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Imported here: these modules use the models, which are loaded only now.
        from meetings import measures, sections, today  # noqa: PLC0415

        # The session page, after the feedback app's "How was it?" (order 10).
        extensions.section(
            "session",
            "learning_topic",
            "meetings/snippets/learning_topic.html",
            sections.learning_topic,
            order=20,
            applies=lambda practice: practice.has(Capability.LEARNING_TOPICS),
        )
        extensions.section(
            "session",
            "round_table",
            "meetings/snippets/summary.html",
            sections.round_table_summary,
            order=30,
            applies=lambda practice: practice.has(Capability.ROUND_TABLE_TOPICS),
        )
        extensions.section(
            "session",
            "workspace",
            "meetings/snippets/workspace.html",
            sections.workspace,
            order=40,
            applies=lambda practice: practice.is_meeting,
        )
        extensions.section(
            "session_actions",
            "huddle",
            "meetings/snippets/huddle_button.html",
            sections.huddle_button,
            applies=lambda practice: practice.has(Capability.HUDDLE),
        )
        extensions.section(
            "program",
            "links",
            "meetings/snippets/program_links.html",
            sections.program_links,
            order=40,  # above the sessions (scheduling's, 50), as before
            applies=lambda practice: (
                practice.has(Capability.PROPOSALS) or practice.has(Capability.LEARNING_TOPICS)
            ),
        )
        extensions.today(today.today_items)
        extensions.measure(
            "manager",
            "actions",
            "Action items closed",
            measures.actions_done,
            many=measures.actions_done_many,
        )
        extensions.measure(
            "practice",
            "ratings",
            "Average rating",
            measures.ratings,
            fields=("rating", "ratings"),
        )
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
