"""Sessions in the Django admin. Private sessions (1-on-1s, skip-levels) and their
participants and reminders are left out for everyone, superusers included: the
admin is no back door to when and with whom two people meet (scheduling_access.admin_sessions)."""

from django.contrib import admin
from django.http import Http404

from scheduling import access as scheduling_access
from scheduling.models import Participant, Reminder, Session


class ParticipantInline(admin.TabularInline):
    """Who took part, to read. Nobody joins a session through the admin: the planner,
    sign-ups and RSVPs decide who is in it, and being in it opens its records."""

    model = Participant
    extra = 0
    fields = ("person", "role", "planned", "signup", "rsvp", "attended")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return scheduling_access.admin_session_records(super().get_queryset(request))


class NoPrivateSessionsMixin:
    """A change, delete or history URL of a left-out row is a 404, as for no such row
    (Django would otherwise redirect with "does not exist", telling it apart)."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such record.")
        return obj


@admin.register(Session)
class SessionAdmin(NoPrivateSessionsMixin, admin.ModelAdmin):
    list_display = ("title", "program", "starts_at", "due_at", "status", "touched", "sequence")
    list_filter = ("status", "kind", "touched", "program__practice")
    search_fields = ("title", "program__name")
    list_select_related = ("program",)
    date_hierarchy = "starts_at"
    readonly_fields = ("uid", "planned_start", "series", "sequence", "updated_at")
    inlines = [ParticipantInline]

    def get_queryset(self, request):
        return scheduling_access.admin_sessions(super().get_queryset(request))


@admin.register(Reminder)
class ReminderAdmin(NoPrivateSessionsMixin, admin.ModelAdmin):
    list_display = ("session", "person", "kind", "send_after", "sent_at", "skipped")
    list_filter = ("kind", "skipped")
    search_fields = ("person__first_name", "person__last_name", "session__title")
    list_select_related = ("session", "person")
    date_hierarchy = "send_after"
    # Reminders are written by the planner; here they are looked at, not made.
    readonly_fields = ("session", "person", "kind", "send_after")

    def get_queryset(self, request):
        return scheduling_access.admin_session_records(super().get_queryset(request))

    def has_add_permission(self, request):
        return False


# Calendar feeds are not in the admin: the token is a secret that opens a person's
# calendar, private sessions included, without signing in. A person makes a new one
# on their calendar page, which kills the old.
