"""The organisation's pages: home, the practice catalog, programs and people."""

from django.urls import path

from engagement import views

app_name = "engagement"

urlpatterns = [
    path("", views.home, name="home"),
    path("practices/", views.practice_list, name="practice_list"),
    path("practices/<str:code>/", views.practice_detail, name="practice_detail"),
    path("programs/", views.ProgramListView.as_view(), name="program_list"),
    path("programs/new/<str:code>/", views.program_create, name="program_create"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("programs/<int:pk>/pause/", views.program_pause, name="program_pause"),
    path("programs/<int:pk>/resume/", views.program_resume, name="program_resume"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/invite/", views.person_invite, name="person_invite"),
]
