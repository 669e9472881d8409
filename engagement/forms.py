"""Forms: one per action. Each cleans input into domain values for a service."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from engagement import access, recurrence, validators
from engagement.models import AudienceKind, Organisation, Person, Program
from engagement.practices import Cadence, ConfigField, Practice
from engagement.services import PROGRAM_FIELDS


class PersonChoiceField(validators.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj} — {obj.title}" if obj.title else str(obj)


class PeopleChoiceField(validators.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj} — {obj.title}" if obj.title else str(obj)


def _config_form_field(config_field: ConfigField) -> forms.Field:
    common = {"label": config_field.label, "help_text": config_field.help_text}
    if config_field.kind == "int":
        return forms.IntegerField(
            min_value=config_field.min_value, max_value=config_field.max_value, **common
        )
    if config_field.kind == "bool":
        return forms.BooleanField(required=False, **common)
    if config_field.kind in ("lines", "slots"):
        return forms.CharField(
            required=False,
            max_length=config_field.max_length,
            widget=forms.Textarea(attrs={"rows": 5 if config_field.kind == "lines" else 3}),
            **common,
        )
    return forms.CharField(required=False, max_length=config_field.max_length, **common)


class ProgramForm(validators.TextLimits, forms.Form):
    """Create or edit a program of one practice.

    The practice is fixed by the URL; its settings become fields named
    ``config_<name>``, filled with the practice's defaults on a new program.
    """

    name = forms.CharField(max_length=150, help_text="What people will see in their calendar.")
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this program runs and what participants should expect.",
    )
    owner = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.Select(attrs={"data-search": "person"}),
        empty_label="The team's manager (for a team's program), otherwise you",
        help_text="Runs the program. The owner sees its audience and every session, including "
        "when and with whom its private 1-on-1s and skip-levels take place (never their notes, "
        "talking points, actions or answers, which stay with the two people), and takes part in "
        "the notes, points and actions of its group meetings. Leave it empty for a team's "
        "program to give it to the team's manager; choose someone else only if they may "
        "know all of that.",
    )

    audience_kind = forms.ChoiceField(label="Audience", widget=forms.RadioSelect)
    audience_departments = validators.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Departments",
        widget=forms.CheckboxSelectMultiple,
        help_text="For a departments audience: everyone in these departments.",
    )
    audience_manager = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.Select(attrs={"data-search": "person"}),
        label="Team of",
        help_text="For a team audience: this manager's direct reports.",
    )
    audience_include_indirect = forms.BooleanField(
        required=False,
        label="Include everyone below this manager",
        help_text="Reach the whole part of the organisation below, not only direct reports.",
    )
    audience_people = PeopleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="People",
        widget=forms.SelectMultiple(attrs={"size": 8, "data-search": "people"}),
        help_text="For a listed-people audience. Type a name to find someone; choose as many "
        "as you need (in a plain list, hold Ctrl or ⌘ to choose several).",
    )

    cadence = forms.ChoiceField(
        label="Repeats",
        choices=[(c.value, c.label) for c in Cadence],
        help_text="Weekly schedules repeat on the weekday of the start date.",
    )
    custom_rrule = forms.CharField(
        required=False,
        max_length=500,
        label="Custom rule",
        help_text="An RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=-1FR (last Friday of each month) "
        "or FREQ=WEEKLY;INTERVAL=3;COUNT=10.",
        widget=forms.TextInput(attrs={"placeholder": "FREQ=MONTHLY;BYDAY=-1FR"}),
    )
    time_zone = forms.CharField(
        max_length=64,
        help_text="Type a city or region to find its zone. Sessions repeat at the same local "
        "hour in this zone, across daylight-saving changes.",
        widget=forms.Select(attrs={"data-search": "zone"}),
    )
    starts_on = validators.DateField(
        label="Start date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        help_text="Local time in the program's time zone.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends_on = validators.DateField(
        label="End date",
        required=False,
        help_text="Optional. Leave empty to run until paused.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=0,
        max_value=24 * 60,
        help_text="Length of each session; 0 for practices without a meeting.",
    )

    def __init__(self, *args, viewer: Person, practice: Practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer, self.practice = viewer, practice
        self.fields["owner"].queryset = access.program_owner_choices(viewer)
        self.fields["audience_kind"].choices = access.audience_kind_choices(viewer)
        self.fields["audience_departments"].queryset = access.department_choices(viewer)
        self.fields["audience_manager"].queryset = access.team_manager_choices(viewer)
        self.fields["audience_people"].queryset = access.audience_people_choices(
            viewer
        ).select_related("department")
        self.fields["time_zone"].widget.choices = time_zone_choices(
            current=self.data.get("time_zone") or self.initial.get("time_zone")
        )
        if not access.is_hr(viewer):
            # A manager's programs are their own and for their own team.
            del self.fields["owner"]
            del self.fields["audience_departments"]
        for config_field in practice.config_fields:
            self.fields[f"config_{config_field.name}"] = _config_form_field(config_field)

    @classmethod
    def initial_for_new(cls, *, viewer: Person, practice: Practice, today) -> dict:
        initial = {
            # HR leaves the owner to the default (the team's manager); a manager owns
            # what they create and is not offered the choice.
            "owner": None,
            "audience_kind": AudienceKind.EVERYONE if access.is_hr(viewer) else AudienceKind.TEAM,
            "audience_manager": None if access.is_hr(viewer) else viewer.pk,
            "cadence": practice.cadence.value,
            # The person's own zone if they chose one, else where the organisation works.
            "time_zone": viewer.time_zone or Organisation.current().time_zone,
            "starts_on": today,
            "start_time": "09:00",
            "duration_minutes": practice.duration_minutes,
        }
        initial.update(
            {f"config_{name}": value for name, value in practice.default_config().items()}
        )
        return initial

    @classmethod
    def initial_for_program(cls, program: Program) -> dict:
        cadence = program.cadence
        initial = {
            "name": program.name,
            "description": program.description,
            "owner": program.owner_id,
            "audience_kind": program.audience_kind,
            "audience_departments": list(program.audience_departments.values_list("pk", flat=True)),
            "audience_manager": program.audience_manager_id,
            "audience_include_indirect": program.audience_include_indirect,
            "audience_people": list(program.audience_people.values_list("pk", flat=True)),
            "cadence": cadence.value,
            "custom_rrule": program.rrule if cadence == Cadence.CUSTOM else "",
            "time_zone": program.time_zone,
            "starts_on": program.starts_on,
            "start_time": program.start_time,
            "ends_on": program.ends_on,
            "duration_minutes": program.duration_minutes,
        }
        config = program.practice_info.clean_config(program.config)
        initial.update({f"config_{name}": value for name, value in config.items()})
        return initial

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"].strip()
        try:
            recurrence.validate_time_zone(name)
        except ValidationError:
            raise ValidationError(
                f"“{name[:64]}” is not a time zone. Choose one from the list, such as "
                "Europe/London or America/New_York."
            ) from None
        return name

    def clean(self):
        cleaned = super().clean()
        self._clean_schedule(cleaned)
        self._clean_audience(cleaned)
        return cleaned

    def _clean_schedule(self, cleaned: dict) -> None:
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date cannot be before the start date.")
        cadence = cleaned.get("cadence")
        if cadence is None:
            return
        if cadence == Cadence.CUSTOM:
            if not cleaned.get("custom_rrule", "").strip():
                self.add_error("custom_rrule", "Enter a rule, or choose one of the presets.")
                return
            rule = cleaned["custom_rrule"]
        else:
            rule = Cadence(cadence).rrule
        if not rule:
            cleaned["rrule"] = ""
            return
        zone = None
        if cleaned.get("time_zone"):
            zone = recurrence.validate_time_zone(cleaned["time_zone"])
        dtstart = None
        if starts_on and cleaned.get("start_time"):
            dtstart = datetime.combine(starts_on, cleaned["start_time"])
        try:
            cleaned["rrule"] = recurrence.validate_rrule(rule, dtstart=dtstart, tz=zone)
        except ValidationError as error:
            self.add_error("custom_rrule" if cadence == Cadence.CUSTOM else "cadence", error)

    def _clean_audience(self, cleaned: dict) -> None:
        kind = cleaned.get("audience_kind")
        if kind == AudienceKind.TEAM and not cleaned.get("audience_manager"):
            self.add_error("audience_manager", "Choose whose team this program is for.")
        if kind == AudienceKind.DEPARTMENTS and not cleaned.get("audience_departments"):
            self.add_error("audience_departments", "Choose at least one department.")
        if kind == AudienceKind.PEOPLE and not cleaned.get("audience_people"):
            self.add_error("audience_people", "Choose at least one person.")
        if self.practice.is_meeting and cleaned.get("duration_minutes") == 0:
            self.add_error("duration_minutes", "Meetings need a duration of at least one minute.")

    def service_arguments(self) -> dict:
        """The cleaned values in the shape the program services take."""
        data = self.cleaned_data
        arguments = {name: data.get(name) for name in PROGRAM_FIELDS if name in self.fields}
        # No owner chosen: the service gives a team's program to the team's manager.
        arguments["owner"] = data.get("owner")
        arguments["rrule"] = data.get("rrule", "")
        arguments["audience_departments"] = data.get("audience_departments") or []
        arguments["audience_people"] = data.get("audience_people") or []
        arguments["config"] = {
            f.name: data.get(f"config_{f.name}") for f in self.practice.config_fields
        }
        return arguments

    def add_service_errors(self, error: ValidationError) -> None:
        validators.add_service_errors(self, error, rename={"rrule": "custom_rrule", "config": None})


# The regions of the IANA database whose zones people pick; other names it keeps
# (aliases such as US/Eastern, Etc/GMT+5) are still accepted, just not offered.
_REGIONS = (
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
)  # fmt: skip


def time_zone_choices(*, current: str | None = None) -> list:
    """The time zones to choose from, grouped by region, each with its offset now
    ("Europe/London (UTC+00:00)"); ``current``, if a known zone outside them, is offered too."""
    now = timezone.now()
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in _REGIONS}
    for name in sorted(recurrence.available_time_zones()):
        region, _, place = name.partition("/")
        if region in groups and place:
            groups[region].append((name, _zone_label(name, now)))
    offered = {value for zones in groups.values() for value, _ in zones} | {"UTC"}
    choices: list = [("UTC", "UTC")]
    if current and current not in offered and current in recurrence.available_time_zones():
        choices.append((current, _zone_label(current, now)))
    return choices + [(region, zones) for region, zones in groups.items() if zones]


def _zone_label(name: str, now) -> str:
    offset = now.astimezone(ZoneInfo(name)).strftime("%z")
    return f"{name.replace('_', ' ')} (UTC{offset[:3]}:{offset[3:]})"


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email, name, title, department, manager_email (a header row first). "
        "Existing people are matched by e-mail and updated.",
    )
    invite = forms.BooleanField(
        label="Send invitations",
        required=False,
        help_text="E-mail everyone in the file who has no password yet a link to choose one.",
    )
