from django.contrib import admin

from scheduling.models import CalendarFeed, Participant, Reminder, Session


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("person", "role", "planned", "signup", "rsvp", "attended")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "starts_at", "due_at", "status", "touched", "sequence")
    list_filter = ("status", "kind", "touched", "program__practice")
    search_fields = ("title", "program__name")
    list_select_related = ("program",)
    date_hierarchy = "starts_at"
    readonly_fields = ("uid", "planned_start", "series", "sequence", "updated_at")
    inlines = [ParticipantInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("session", "person", "kind", "send_after", "sent_at", "skipped")
    list_filter = ("kind", "skipped")
    search_fields = ("person__first_name", "person__last_name", "session__title")
    list_select_related = ("session", "person")
    date_hierarchy = "send_after"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    # The token is a secret: an administrator sees that a feed exists, not its URL.
    list_display = ("person", "created_at")
    search_fields = ("person__first_name", "person__last_name")
    exclude = ("token",)
    readonly_fields = ("person", "created_at")
