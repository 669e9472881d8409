from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count

from engagement.models import Department, Person, Program


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "headcount")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(headcount=Count("people"))

    @admin.display(ordering="headcount", description="People")
    def headcount(self, obj):
        return obj.headcount


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = (
        "username",
        "get_full_name",
        "email",
        "title",
        "department",
        "manager",
        "is_senior_leader",
        "is_hr_admin",
        "is_active",
    )
    list_filter = ("department", "is_senior_leader", "is_hr_admin", "is_staff", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "title")
    list_select_related = ("department", "manager")
    autocomplete_fields = ("manager",)
    ordering = ("last_name", "first_name")
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "Organisation",
            {
                "fields": (
                    "title",
                    "department",
                    "manager",
                    "started_on",
                    "time_zone",
                    "is_senior_leader",
                    "is_hr_admin",
                )
            },
        ),
    )


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "practice", "owner", "audience_kind", "rrule", "starts_on", "status")
    list_filter = ("practice", "status", "audience_kind")
    search_fields = ("name", "owner__first_name", "owner__last_name")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner", "audience_manager", "audience_people")
    filter_horizontal = ("audience_departments",)
    date_hierarchy = "starts_on"
    readonly_fields = ("created_by", "created_at", "updated_at", "status_changed_at")
