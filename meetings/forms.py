from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from engagement import validators
from engagement.models import MemberRole, Person
from meetings.models import SKIP_LEVEL_THEMES, Proposal
from scheduling.models import SessionStatus


class TalkingPointForm(validators.TextLimits, forms.Form):
    text = forms.CharField(
        label="Add a talking point",
        max_length=300,
        help_text="Anything you want to cover; unticked points carry over to the next session.",
        error_messages={"required": "Write the talking point first."},
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the action form on the same page has a "text" field too.
        kwargs.setdefault("auto_id", "id_point_%s")
        super().__init__(*args, **kwargs)


def _with_department(person: Person) -> str:
    return f"{person} ({person.department or 'no department'})"


class ActionItemForm(validators.TextLimits, forms.Form):
    text = forms.CharField(
        label="Action",
        max_length=300,
        error_messages={"required": "Write the action first."},
    )
    owner = validators.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Owner",
        empty_label="Choose who does it",
        error_messages={"required": "Choose who does it."},
    )
    due_on = validators.DateField(
        label="Due",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    partner = validators.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Shared with",
        required=False,
        help_text="An owner from the other department: both see the action and can close it.",
    )

    def __init__(self, *args, insiders=(), shared=False, **kwargs):
        kwargs.setdefault("auto_id", "id_action_%s")
        super().__init__(*args, **kwargs)
        people = (
            Person.objects.filter(pk__in=insiders)
            .select_related("department")
            .order_by("first_name", "last_name")
        )
        self.fields["owner"].queryset = people
        if shared:
            # Shared actions (inter-department sessions): each action has an owner on each side.
            self.fields["partner"].queryset = people
            self.fields["partner"].required = True
            for name in ("owner", "partner"):
                self.fields[name].label_from_instance = _with_department
        else:
            del self.fields["partner"]


# The two notes of a session share one form on the page (prefixes "shared" and
# "private"), so that saving one sends the other's draft along and it is not lost.
NOTE_KINDS = ("shared", "private")


class NoteForm(validators.TextLimits, forms.Form):
    body = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, prefix: str, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.private = prefix == "private"
        # Labelled by its card's heading (the page shows no separate label).
        self.fields["body"].widget.attrs["aria-labelledby"] = f"{prefix}-note-title"


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(SessionStatus.HELD, "Held"), (SessionStatus.MISSED, "Missed (no-show)")],
        widget=forms.RadioSelect,
        initial=SessionStatus.HELD,
    )
    attended = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Attended"
    )
    started_on = validators.DateField(
        label="It took place on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    started_time = forms.TimeField(
        label="at",
        required=False,
        help_text="Change these when it was held at another time than planned.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(p.pk, str(p)) for p in people]

    def started_at(self, zone) -> datetime | None:
        """When it took place, in ``zone``, or None when the form leaves it as planned."""
        day, time = self.cleaned_data.get("started_on"), self.cleaned_data.get("started_time")
        if day is None or time is None:
            return None
        return datetime.combine(day, time).replace(tzinfo=zone)


class TopicForm(validators.TextLimits, forms.Form):
    text = forms.CharField(
        label="Raise a topic",
        max_length=300,
        help_text="What would you like the leader to talk about? Others can upvote it.",
    )
    anonymous = forms.BooleanField(
        required=False,
        label="Raise it anonymously",
        help_text="Nobody, administrators included, can ever see who raised it.",
    )


class AnswerForm(validators.TextLimits, forms.Form):
    answer = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class SummaryForm(validators.TextLimits, forms.Form):
    body = forms.CharField(
        label="Summary",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Published on this page and e-mailed to the invitees and the program's audience.",
    )


class DecisionForm(validators.TextLimits, forms.Form):
    text = forms.CharField(
        label="Record a decision",
        max_length=500,
        help_text="What was decided, in a sentence everyone will understand later.",
    )


class ProposalForm(validators.TextLimits, forms.Form):
    title = forms.CharField(
        max_length=150, help_text="The change you propose, in a line. The council sees your name."
    )
    body = forms.CharField(
        label="Details",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why it matters and what you suggest.",
    )


class ProposalMoveForm(validators.TextLimits, forms.Form):
    status = forms.ChoiceField(label="Move to")
    reason = forms.CharField(
        label="Why",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to accept or decline; the proposer is e-mailed this.",
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = proposal.next_statuses


class ProposalsDiscussedForm(forms.Form):
    proposals = validators.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Proposals discussed",
        help_text="Linked from these minutes; each proposal shows the meetings that discussed it.",
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = Proposal.objects.filter(program=program).order_by(
            "-created_at"
        )


class MemberForm(forms.Form):
    person = validators.ModelChoiceField(queryset=Person.objects.none(), label="Person")
    role = forms.ChoiceField(choices=MemberRole.choices, initial=MemberRole.MEMBER)
    starts_on = validators.DateField(
        label="Term starts", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = validators.DateField(
        label="Term ends",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The last day they serve; leave empty for an open term.",
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            program.audience_members().filter(is_active=True).order_by("first_name", "last_name")
        )


class LearningTopicForm(validators.TextLimits, forms.Form):
    title = forms.CharField(
        label="Propose a topic",
        max_length=150,
        help_text="Something you would like to learn, or to teach. Others can upvote it.",
    )
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LearningScheduleForm(forms.Form):
    topic = validators.ModelChoiceField(queryset=None, label="Topic")
    session = validators.ModelChoiceField(queryset=None, label="Session")
    presenter = validators.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Presenter",
        help_text="Presents without taking one of the seats.",
    )

    def __init__(self, *args, topics, sessions, presenters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda s: date_format(
            timezone.localtime(s.starts_at, s.program.zone), "D j M Y, H:i"
        )
        self.fields["presenter"].queryset = presenters


# Forms of the actions that used to read the request directly: bounds and NUL-free text
# come from Django's fields, so nothing reaches a service unchecked.

SCALE = [(str(value), str(value)) for value in range(1, 6)]


class MoodForm(forms.Form):
    mood = forms.TypedChoiceField(
        choices=SCALE,
        coerce=int,
        error_messages={
            "invalid_choice": "Choose a mood from 1 to 5.",
            "required": "Choose a mood from 1 to 5.",
        },
    )


class RatingForm(validators.TextLimits, forms.Form):
    score = forms.TypedChoiceField(
        choices=SCALE,
        coerce=int,
        error_messages={
            "required": "Choose a rating from 1 to 5.",
            "invalid_choice": "Choose a rating from 1 to 5.",
        },
    )
    comment = forms.CharField(required=False, max_length=2000)
    about = forms.CharField(required=False, max_length=20)


class _KnownThemes(forms.MultipleChoiceField):
    """Themes ticked on the questionnaire; a value that is no theme is dropped, as the
    page offers none (a renamed theme in an old tab must not lose the answers)."""

    def to_python(self, value):
        known = {str(code) for code, _ in self.choices}
        return [item for item in super().to_python(value) if item in known]


class SkipLevelAnswersForm(validators.TextLimits, forms.Form):
    """One answer and its themes per question, named ``answer_<i>`` and ``themes_<i>``."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = len(questions)
        for index, question in enumerate(questions):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=question, required=False, max_length=5000
            )
            self.fields[f"themes_{index}"] = _KnownThemes(choices=SKIP_LEVEL_THEMES, required=False)

    def answers(self) -> list[tuple[str, list[str]]]:
        return [
            (self.cleaned_data[f"answer_{i}"], self.cleaned_data[f"themes_{i}"])
            for i in range(self.count)
        ]


class HuddleForm(validators.TextLimits, forms.Form):
    """The huddle screen: the WHY, focus, and per person ``present_<id>`` and ``mood_<id>``."""

    why = forms.CharField(
        max_length=500,
        error_messages={"required": "Write today's WHY: why today's work matters."},
    )
    focus = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, team=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team = list(team)
        for person in self.team:
            self.fields[f"present_{person.pk}"] = forms.BooleanField(required=False)
            self.fields[f"mood_{person.pk}"] = forms.TypedChoiceField(
                choices=[("", "—"), *SCALE],
                coerce=int,
                required=False,
                empty_value=None,
                error_messages={"invalid_choice": "Moods go from 1 to 5."},
            )

    def present(self) -> set[int]:
        return {p.pk for p in self.team if self.cleaned_data[f"present_{p.pk}"]}

    def moods(self) -> dict[int, int]:
        moods = {p.pk: self.cleaned_data[f"mood_{p.pk}"] for p in self.team}
        return {pk: mood for pk, mood in moods.items() if mood is not None}
