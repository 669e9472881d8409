from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone

from engagement import validators
from engagement.models import Person
from feedback.bank import BANK, DRIVER_CHOICES, TEMPLATES, driver_label
from feedback.models import LIKERT_LABELS, QuestionKind, Section
from feedback.services import Given

BANK_CHOICES = [(key, f"{driver_label(q.driver)}: {q.text}") for key, q in BANK.items()]
PLAN_DRIVERS = [(c, label) for c, label in DRIVER_CHOICES if c not in {"", "enps", "leadership"}]


class AnswerForm(validators.TextLimits, forms.Form):
    """One field per question, named ``q<id>``; ``given()`` turns them into answers."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            common = {"label": question.text, "required": question.required}
            if question.kind == QuestionKind.LIKERT:
                field = forms.TypedChoiceField(
                    choices=[(str(v), f"{v} {label}") for v, label in LIKERT_LABELS.items()],
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "scale"}),
                    **common,
                )
            elif question.kind == QuestionKind.ENPS:
                field = forms.TypedChoiceField(
                    choices=[(str(v), str(v)) for v in range(11)],
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "scale enps"}),
                    help_text="0 = not at all likely, 10 = extremely likely",
                    **common,
                )
            elif question.kind == QuestionKind.SINGLE:
                field = forms.TypedChoiceField(
                    choices=[(str(i), c) for i, c in enumerate(question.choices)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    **common,
                )
            elif question.kind == QuestionKind.MULTI:
                field = forms.TypedMultipleChoiceField(
                    choices=[(str(i), c) for i, c in enumerate(question.choices)],
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            else:
                field = forms.CharField(
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    **common,
                )
            field.question = question
            self.fields[name] = field

    def given(self) -> dict[int, Given]:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if question.kind == QuestionKind.MULTI:
                result[question.pk] = Given(values=tuple(value or ()))
            elif question.kind == QuestionKind.TEXT:
                result[question.pk] = Given(text=value or "")
            else:
                result[question.pk] = Given(value=None if value in (None, "") else int(value))
        return result

    def sections(self):
        """The bound fields grouped under their section headings, in order."""
        groups, current = [], None
        for question in self.questions:
            title = question.section.title if question.section_id else ""
            if current is None or current[0] != title:
                current = (title, [])
                groups.append(current)
            current[1].append(self[f"q{question.pk}"])
        return groups


class QuestionForm(validators.TextLimits, forms.Form):
    kind = forms.ChoiceField(choices=QuestionKind.choices, label="Type")
    text = forms.CharField(max_length=300, label="Question")
    driver = forms.ChoiceField(
        choices=DRIVER_CHOICES,
        required=False,
        label="Measures",
        help_text="Agreement questions score a driver or the engagement index.",
    )
    section = validators.ModelChoiceField(queryset=None, required=False, empty_label="(no section)")
    required = forms.BooleanField(required=False, initial=True, label="Answer required")
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For choice questions: one option per line.",
    )

    def __init__(self, *args, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = (
            Section.objects.filter(form=survey) if survey else Section.objects.none()
        )

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = (data.get("choices") or "").splitlines()
        return data


class BankForm(forms.Form):
    keys = forms.MultipleChoiceField(
        choices=BANK_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Questions from the bank",
        help_text="Tried wording for each driver, the engagement index, eNPS and leadership.",
    )


class TemplateForm(forms.Form):
    template = forms.ChoiceField(
        choices=[(key, key) for key in TEMPLATES],
        error_messages={"invalid_choice": "Choose one of the templates."},
    )


class QuestionActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("up", "Move up"), ("down", "Move down"), ("remove", "Remove")],
        error_messages={"invalid_choice": "Choose move up, move down or remove."},
    )


class SectionForm(validators.TextLimits, forms.Form):
    title = forms.CharField(
        max_length=150,
        label="New section",
        help_text="A heading for the questions you add next.",
    )


class PlanStartForm(forms.Form):
    window = forms.ChoiceField(label="Results of")

    def __init__(self, *args, windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].choices = [
            (w.pk, timezone.localtime(w.starts_at, w.program.zone).strftime("%B %Y"))
            for w in reversed(list(windows))
        ]


class PlanRequestForm(forms.Form):
    """Which survey and window a new action plan answers, as ids a database can hold."""

    survey = forms.IntegerField(min_value=1, max_value=validators.MAX_ID)
    window = forms.IntegerField(min_value=1, max_value=validators.MAX_ID, required=False)


class PlanSummaryForm(validators.TextLimits, forms.Form):
    summary = forms.CharField(
        label="What we heard",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In a few sentences, what the results told you. The team reads this.",
    )


class CommitmentForm(validators.TextLimits, forms.Form):
    driver = forms.ChoiceField(choices=PLAN_DRIVERS, label="Driver")
    text = forms.CharField(max_length=300, label="We will")
    owner = validators.ModelChoiceField(queryset=Person.objects.none())
    due_on = validators.DateField(
        label="By", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(
            Q(pk=plan.manager_id) | Q(manager=plan.manager, is_active=True)
        ).order_by("first_name")
        self.fields["owner"].initial = plan.manager_id
