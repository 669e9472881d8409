from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from engagement import access, accounts
from engagement.forms import PeopleImportForm
from engagement.models import Department, Holiday, Organisation, Person, Program
from engagement.models.calendars import ORGANISATION_PK, country_choices
from engagement.people_import import MAX_BYTES, PeopleImportError, people_import


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "liaison", "headcount")
    search_fields = ("name",)
    autocomplete_fields = ("liaison",)
    list_select_related = ("liaison",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(headcount=Count("people"))

    @admin.display(ordering="headcount", description="People")
    def headcount(self, obj):
        return obj.headcount


def _guarded(person) -> bool:
    """HR staff and senior leaders: with their e-mail address or password, HR could
    sign in as them and read what they alone may read (skip-level answers, 1-on-1
    notes). Only an operator changes either."""
    return bool(person.is_staff or person.is_hr_admin or person.is_senior_leader)


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
                    "is_operator",
                )
            },
        ),
    )

    # Only an operator (a superuser) hands out superuser rights, raw permissions or groups.
    operator_only_fields = ("is_superuser", "is_operator", "user_permissions", "groups")

    def get_queryset(self, request):
        people = super().get_queryset(request)
        if request.user.is_superuser:
            return people
        # HR cannot open, and so cannot take over, an operator's account.
        return people.filter(is_superuser=False, is_operator=False)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        readonly = (*readonly, *self.operator_only_fields)
        if obj is not None and obj.pk != request.user.pk and _guarded(obj):
            readonly = (*readonly, "email")
        return readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        previous = form.initial.get("email")
        if change and "email" in form.changed_data and obj.pk != request.user.pk and previous:
            accounts.email_changed_by_admin(person=obj, actor=request.user, previous=previous)

    def user_change_password(self, request, id, form_url=""):
        person = self.get_object(request, id)
        if (
            person is not None
            and not request.user.is_superuser
            and person.pk != request.user.pk
            and _guarded(person)
        ):
            raise PermissionDenied("Only an operator changes the password of HR or a leader.")
        response = super().user_change_password(request, id, form_url)
        # Django redirects once the password is saved (and has logged the change).
        if request.method == "POST" and response.status_code == 302:
            person = self.get_object(request, id)
            if person is not None and person.pk != request.user.pk:
                accounts.password_changed_by_admin(person=person, actor=request.user)
        return response

    def get_urls(self):
        import_url = path(
            "import-csv/",
            self.admin_site.admin_view(self.import_csv_view),
            name="engagement_person_import",
        )
        # Before the default URLs, whose "<path:object_id>/" would swallow it.
        return [import_url, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import_people": access.can_import_people(request.user),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def import_csv_view(self, request):
        if not access.can_import_people(request.user):
            raise PermissionDenied("Only HR administrators import people.")
        form = PeopleImportForm(request.POST or None, request.FILES or None)
        errors: list[tuple[int, str]] = []
        if request.method == "POST" and form.is_valid():
            csv_text = _decoded_upload(form)
            if csv_text is not None:
                try:
                    result = people_import(
                        csv_text=csv_text,
                        invite=form.cleaned_data["invite"],
                        inviter=request.user,
                    )
                except PeopleImportError as error:
                    errors = error.errors
                else:
                    self.message_user(request, f"Imported: {result}", messages.SUCCESS)
                    return redirect("admin:engagement_person_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import people from CSV",
            "opts": self.opts,
            "form": form,
            "errors": errors,
            "max_megabytes": MAX_BYTES // (1024 * 1024),
        }
        return TemplateResponse(request, "admin/engagement/person/import_csv.html", context)


def _decoded_upload(form: PeopleImportForm) -> str | None:
    """The upload as text, or None with the reason added to the form."""
    upload = form.cleaned_data["file"]
    # Checked before reading so an oversized upload is never held in memory.
    if upload.size > MAX_BYTES:
        form.add_error("file", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        return None
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        form.add_error(
            "file",
            "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”.",
        )
        return None


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


class OrganisationForm(forms.ModelForm):
    country = forms.ChoiceField(
        required=False,
        choices=lambda: [("", "No public holidays"), *country_choices()],
        help_text=Organisation._meta.get_field("country").help_text,
    )

    class Meta:
        model = Organisation
        fields = ("country", "subdivision", "time_zone")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """One row: the list opens it (or the form to create it)."""

    form = OrganisationForm
    readonly_fields = ("coming_days_off",)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if Organisation.objects.filter(pk=ORGANISATION_PK).exists():
            return redirect("admin:engagement_organisation_change", ORGANISATION_PK)
        return redirect("admin:engagement_organisation_add")

    def save_model(self, request, obj, form, change):
        obj.pk = ORGANISATION_PK
        super().save_model(request, obj, form, change)

    @admin.display(description="Days off in the next twelve months")
    def coming_days_off(self, obj):
        today = timezone.localdate()
        last = today + timedelta(days=365)
        public = obj.public_holidays(years=range(today.year, last.year + 1)) if obj else {}
        days = [(day, name) for day, name in public.items() if today <= day <= last]
        own = Holiday.objects.filter(day__range=(today, last)).select_related("department")
        days += [(h.day, f"{h.name} ({h.department or 'everyone'})") for h in own]
        if not days:
            return "None yet: choose a country, or add the organisation's own days."
        lines = format_html_join(
            "", "<div>{}: {}</div>", ((f"{day:%a %d %b %Y}", name) for day, name in sorted(days))
        )
        link = format_html(
            '<p><a href="{}">The organisation\'s own days off</a></p>',
            reverse("admin:engagement_holiday_changelist"),
        )
        return lines + link


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("day", "name", "department")
    list_filter = ("department",)
    search_fields = ("name",)
    date_hierarchy = "day"
    list_select_related = ("department",)
