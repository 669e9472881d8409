from django import forms

from engagement.models import Person
from scheduling.models import SessionStatus


class TalkingPointForm(forms.Form):
    text = forms.CharField(
        label="Add a talking point",
        max_length=300,
        help_text="Anything you want to cover; unticked points carry over to the next session.",
    )


class ActionItemForm(forms.Form):
    text = forms.CharField(label="Action", max_length=300)
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), label="Owner")
    due_on = forms.DateField(
        label="Due",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, insiders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(pk__in=insiders).order_by(
            "first_name", "last_name"
        )


class NoteForm(forms.Form):
    body = forms.CharField(
        required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(SessionStatus.HELD, "Held"), (SessionStatus.MISSED, "Missed (no-show)")],
        widget=forms.RadioSelect,
        initial=SessionStatus.HELD,
    )
    attended = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Attended"
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(p.pk, str(p)) for p in people]


class TopicForm(forms.Form):
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


class AnswerForm(forms.Form):
    answer = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class SummaryForm(forms.Form):
    body = forms.CharField(
        label="Summary",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Published on this page and e-mailed to the invitees and the program's audience.",
    )
