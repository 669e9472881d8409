from django.urls import include, path

from meetings.views import (
    council,
    huddles,
    learning,
    overview,
    round_tables,
    skip_levels,
    workspace,
)

app_name = "meetings"

# What a person does on one meeting, under sessions/<pk>/, by sub-domain.
workspace_urls = [
    path("points/", workspace.point_add, name="point_add"),
    path("points/<int:point_id>/tick/", workspace.point_tick, name="point_tick"),
    path("notes/", workspace.note_save, name="note_save"),
    path("actions/", workspace.action_add, name="action_add"),
    path("outcome/", workspace.outcome, name="outcome"),
    path("mood/", workspace.mood, name="mood"),
]
round_table_urls = [
    path("topics/", round_tables.topic_raise, name="topic_raise"),
    path("topics/<uuid:topic_id>/vote/", round_tables.topic_vote, name="topic_vote"),
    path("topics/<uuid:topic_id>/answer/", round_tables.topic_answer, name="topic_answer"),
    path("summary/", round_tables.summary_publish, name="summary_publish"),
]
decision_urls = [
    path("decisions/", council.decision_add, name="decision_add"),
    path("discussed/", council.proposals_discussed, name="proposals_discussed"),
]
session_urls = [
    *workspace_urls,
    *round_table_urls,
    *decision_urls,
    path("rate/", learning.rate, name="rate"),
    path("huddle/", huddles.huddle, name="huddle"),
    path("answers/", skip_levels.skip_level_answers, name="skip_level_answers"),
    path("history/", overview.series_history, name="series_history"),
]

council_urls = [
    path("", council.council, name="council"),
    path("propose/", council.proposal_submit, name="proposal_submit"),
    path("members/", council.member_add, name="member_add"),
]
proposal_urls = [
    path("", council.proposal_detail, name="proposal_detail"),
    path("move/", council.proposal_move, name="proposal_move"),
]
learning_urls = [
    path("", learning.learning_topics, name="learning_topics"),
    path("propose/", learning.learning_topic_propose, name="learning_topic_propose"),
    path("topics/<int:topic_pk>/vote/", learning.learning_topic_vote, name="learning_topic_vote"),
    path("schedule/", learning.learning_topic_schedule, name="learning_topic_schedule"),
]

urlpatterns = [
    path("week/", overview.my_week, name="my_week"),
    path("one-on-ones/", overview.one_on_ones, name="one_on_ones"),
    path("actions/", overview.my_actions, name="my_actions"),
    path("actions/<int:item_id>/toggle/", workspace.action_toggle, name="action_toggle"),
    path("skip-levels/", skip_levels.skip_level_coverage, name="skip_level_coverage"),
    path("sessions/<int:pk>/", include(session_urls)),
    path("councils/<int:program_pk>/", include(council_urls)),
    path("council-members/<int:member_pk>/end/", council.member_end, name="member_end"),
    path("proposals/<int:pk>/", include(proposal_urls)),
    path("lunch-and-learns/<int:program_pk>/", include(learning_urls)),
]
