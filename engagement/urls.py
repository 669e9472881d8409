from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from engagement import accounts, views

engagement_patterns = [
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

urlpatterns = [
    path("", include((engagement_patterns, "engagement"))),
    path("", include("scheduling.urls")),
    path("", include("meetings.urls")),
    path("feedback/", include("feedback.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(extra_context={"link_days": accounts.link_days}),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=accounts.RESET_WORDING),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/set/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/welcome/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=accounts.WELCOME_WORDING),
        name="invitation_confirm",
    ),
    path("admin/", admin.site.urls),
]
