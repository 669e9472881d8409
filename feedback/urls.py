from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("surveys/", views.my_surveys, name="my_surveys"),
    path("surveys/<int:pk>/", views.answer, name="answer"),
    path("programs/<int:program_pk>/questions/", views.survey_edit, name="survey_edit"),
    path("programs/<int:program_pk>/questions/create/", views.survey_create, name="survey_create"),
    path("programs/<int:program_pk>/questions/add/", views.question_add, name="question_add"),
    path("programs/<int:program_pk>/questions/bank/", views.bank_add, name="bank_add"),
    path("programs/<int:program_pk>/questions/section/", views.section_add, name="section_add"),
    path(
        "programs/<int:program_pk>/questions/<int:question_pk>/",
        views.question_change,
        name="question_change",
    ),
    path("results/", views.results_home, name="results_home"),
    path("results/<int:manager_pk>/", views.results, name="results"),
    path("results/<int:manager_pk>/plan/", views.plan_start, name="plan_start"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/summary/", views.plan_summary, name="plan_summary"),
    path("plans/<int:pk>/commitments/", views.commitment_add, name="commitment_add"),
    path("plans/<int:pk>/share/", views.plan_share, name="plan_share"),
    path("commitments/<int:pk>/toggle/", views.commitment_toggle, name="commitment_toggle"),
]
