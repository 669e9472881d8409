from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("week/", views.my_week, name="my_week"),
    path("one-on-ones/", views.one_on_ones, name="one_on_ones"),
    path("sessions/<int:pk>/mood/", views.mood, name="mood"),
    path("sessions/<int:pk>/rate/", views.rate, name="rate"),
    path("sessions/<int:pk>/huddle/", views.huddle, name="huddle"),
    path("sessions/<int:pk>/history/", views.series_history, name="series_history"),
    path("sessions/<int:pk>/answers/", views.skip_level_answers, name="skip_level_answers"),
    path("skip-levels/", views.skip_level_coverage, name="skip_level_coverage"),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<int:item_id>/toggle/", views.action_toggle, name="action_toggle"),
    path("sessions/<int:pk>/points/", views.point_add, name="point_add"),
    path("sessions/<int:pk>/points/<int:point_id>/tick/", views.point_tick, name="point_tick"),
    path("sessions/<int:pk>/notes/", views.note_save, name="note_save"),
    path("sessions/<int:pk>/actions/", views.action_add, name="action_add"),
    path("sessions/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("sessions/<int:pk>/topics/", views.topic_raise, name="topic_raise"),
    path("sessions/<int:pk>/topics/<uuid:topic_id>/vote/", views.topic_vote, name="topic_vote"),
    path(
        "sessions/<int:pk>/topics/<uuid:topic_id>/answer/",
        views.topic_answer,
        name="topic_answer",
    ),
    path("sessions/<int:pk>/summary/", views.summary_publish, name="summary_publish"),
    path("sessions/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("sessions/<int:pk>/discussed/", views.proposals_discussed, name="proposals_discussed"),
    path("councils/<int:program_pk>/", views.council, name="council"),
    path("councils/<int:program_pk>/propose/", views.proposal_submit, name="proposal_submit"),
    path("councils/<int:program_pk>/members/", views.member_add, name="member_add"),
    path("council-members/<int:member_pk>/end/", views.member_end, name="member_end"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/move/", views.proposal_move, name="proposal_move"),
    path("lunch-and-learns/<int:program_pk>/", views.learning_topics, name="learning_topics"),
    path(
        "lunch-and-learns/<int:program_pk>/propose/",
        views.learning_topic_propose,
        name="learning_topic_propose",
    ),
    path(
        "lunch-and-learns/<int:program_pk>/topics/<int:topic_pk>/vote/",
        views.learning_topic_vote,
        name="learning_topic_vote",
    ),
    path(
        "lunch-and-learns/<int:program_pk>/schedule/",
        views.learning_topic_schedule,
        name="learning_topic_schedule",
    ),
]
