"""Forms of the scheduling pages that are not about one session."""

from __future__ import annotations

from django import forms

from engagement import recurrence, validators
from engagement.models import Person


class SettingsForm(validators.TextLimits, forms.ModelForm):
    """A person's own settings: reminders and the zone their pages show times in."""

    class Meta:
        model = Person
        fields = ("email_reminders", "time_zone")
        labels = {"time_zone": "Time zone"}
        help_texts = {
            "time_zone": "An IANA name such as Europe/Berlin or America/New_York. "
            "Leave empty to use the site's zone.",
        }
        widgets = {
            "time_zone": forms.TextInput(
                attrs={"list": "time-zones", "autocomplete": "off", "placeholder": "Europe/Berlin"}
            ),
        }

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        if name:
            recurrence.validate_time_zone(name)
        return name
