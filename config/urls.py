"""The root URLconf: each app's pages under its namespace, sign-in and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from engagement import accounts

urlpatterns = [
    path("", include("engagement.urls")),
    path("", include("scheduling.urls")),
    path("", include("meetings.urls")),
    path("feedback/", include("feedback.urls")),
    path(
        "accounts/login/",
        accounts.LoginView.as_view(),
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
