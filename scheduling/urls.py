from django.urls import path

from scheduling.views import calendar, sessions

app_name = "scheduling"

urlpatterns = [
    path("calendar/", calendar.my_calendar, name="my_calendar"),
    path("calendar/regenerate/", calendar.feed_regenerate, name="feed_regenerate"),
    path("calendar/feed/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("settings/", calendar.my_settings, name="my_settings"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/ics/", calendar.session_ics, name="session_ics"),
    path("sessions/<int:pk>/cancel/", sessions.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/move/", sessions.session_move, name="session_move"),
    path("sessions/<int:pk>/sign-up/", sessions.session_sign_up, name="session_sign_up"),
    path("sessions/<int:pk>/withdraw/", sessions.session_withdraw, name="session_withdraw"),
    path("sessions/<int:pk>/rsvp/", sessions.session_rsvp, name="session_rsvp"),
]
