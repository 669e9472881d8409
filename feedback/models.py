"""Forms, questions and responses; action plans that close the loop.

Anonymity is structural. An anonymous ``Response`` has no respondent, no
timestamp and a random key; the record that someone responded is their
``scheduling.Participant.submitted_on`` (a date), in another table with no key
in common. Each response keeps the respondent's manager and department as they
were, which is what breakdowns group by; the minimum group size in
``feedback.scores`` is what keeps those groups from naming anyone.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from engagement.models import Department, Person, Program
from engagement.practices import DEFAULT_MIN_GROUP, Capability
from feedback.bank import DRIVER_CHOICES, LEADERSHIP_LABELS
from scheduling.models import Session


class QuestionKind(models.TextChoices):
    LIKERT = "likert", "Agreement, 1 to 5"
    ENPS = "enps", "eNPS, 0 to 10"
    SINGLE = "single", "Single choice"
    MULTI = "multi", "Multiple choice"
    TEXT = "text", "Free text"


LIKERT_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neutral",
    4: "Agree",
    5: "Strongly agree",
}


class Form(models.Model):
    """The questions of a survey program (employee/manager feedback), whose windows are
    the program's periods; or feedback after the sessions of a 1-on-1, lunch & learn or
    inter-department program, gathered a calendar month at a time (``Period``)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="feedback_form")
    intro = models.TextField(
        blank=True,
        max_length=2000,
        help_text="Shown above the questions: why you ask and what happens with the answers.",
    )
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Questions of {self.program}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:form_edit", args=[self.pk])

    @property
    def after_sessions(self) -> bool:
        return not self.program.practice_info.has(Capability.SURVEY)

    @property
    def config(self) -> dict:
        return self.program.practice_info.clean_config(self.program.config)

    @property
    def anonymous(self) -> bool:
        return bool(self.config.get("anonymous", True))

    @property
    def min_group_size(self) -> int:
        return max(3, int(self.config.get("min_group_size", DEFAULT_MIN_GROUP)))

    @property
    def comment_min_group_size(self) -> int:
        return max(
            self.min_group_size,
            int(self.config.get("comment_min_group_size", DEFAULT_MIN_GROUP)),
        )

    def is_locked(self, now=None) -> bool:
        """Questions are fixed once answers exist (or a survey window has opened):
        answers must mean the same thing."""
        now = now or timezone.now()
        if self.after_sessions:
            return self.responses.exists()
        return Session.objects.filter(program_id=self.program_id, starts_at__lte=now).exists()


class Period(models.Model):
    """A calendar month of feedback after sessions. Answers name the month, never the
    session: a 1-on-1 has one person who could have rated it."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="periods")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["form", "starts_at"], name="one_period_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.form.program} {self.starts_at:%B %Y}"

    @property
    def program(self):
        return self.form.program


class Section(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=150)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    driver = models.CharField(max_length=20, choices=DRIVER_CHOICES, blank=True)
    code = models.CharField(
        max_length=5, blank=True, help_text="LP1-LP4 or LC1-LC20 for upward feedback."
    )
    required = models.BooleanField(default=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["form", "kind"], name="question_form_kind_idx")]

    def __str__(self) -> str:
        return self.text

    @property
    def code_label(self) -> str:
        return LEADERSHIP_LABELS.get(self.code, "")


class Stage(models.IntegerChoices):
    """How far an anonymous response has been mixed with others (see ``feedback.ballots``)."""

    HELD = 0, "held: written as submitted"
    MIXED = 1, "mixed with others of its window"
    SEALED = 2, "sealed with its closed window"


class Response(models.Model):
    """One person's answers in one window.

    Attributed: ``respondent`` and ``submitted_at`` are set and the person may
    edit it until the window closes. Anonymous: both are empty, the key is
    random, and ``feedback.ballots`` rewrites it in shuffled batches so that
    not even the database's own row order lines it up with the receipts.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="responses")
    window = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    respondent = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    manager = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    stage = models.PositiveSmallIntegerField(choices=Stage.choices, default=Stage.HELD)

    class Meta:
        indexes = [
            # With the department: the anonymity engine counts responses per cell
            # (manager, department) from the index alone.
            models.Index(
                fields=["form", "window", "manager", "department"], name="response_cell_idx"
            ),
            models.Index(
                fields=["form", "period", "manager", "department"], name="response_month_cell_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "respondent"],
                condition=Q(respondent__isnull=False),
                name="response_once_per_window",
            ),
        ]

    def __str__(self) -> str:
        return f"Response to {self.form}"


class Answer(models.Model):
    """One value of a response. Group columns are copied from the response so that
    scores are a single grouped scan; a multiple-choice question has a row per choice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="+")
    window = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    manager = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=2000, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["form", "window", "manager"], name="answer_group_idx"),
            models.Index(fields=["form", "period", "manager"], name="answer_period_idx"),
            models.Index(fields=["question", "window"], name="answer_question_idx"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"


class Tally(models.Model):
    """The answers of a closed window, counted once per filing group and driver.

    Written by ``feedback.ballots`` when the window is sealed; from then on the
    window's answers and group columns never change, so scores read these rows
    instead of every answer. Respondents are distinct within a group, and
    groups never share a response, so ``people`` adds up across groups. A row
    of kind ``RESPONSES`` counts the group's responses.
    """

    RESPONSES = "responses"
    # One row per sealed window, so that which windows have tallies is one small read.
    SEALED = "sealed"

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="+")
    window = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # No department: only the latest window is shown by department, from its answers,
    # and splitting every team by department would multiply the rows.
    manager = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    driver = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=10)
    n = models.PositiveIntegerField()
    fav = models.PositiveIntegerField(default=0)
    neu = models.PositiveIntegerField(default=0)
    unfav = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["form", "window", "manager"], name="tally_group_idx"),
            models.Index(fields=["form", "period", "manager"], name="tally_period_idx"),
            models.Index(fields=["form", "kind"], name="tally_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"Tally of {self.driver or self.kind} in {self.form}"


class ActionPlan(models.Model):
    """What a manager commits to after a survey window: "you said, we did"."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="action_plans")
    window = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="action_plans")
    manager = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="action_plans")
    summary = models.TextField(
        "what we heard",
        max_length=2000,
        blank=True,
        help_text="In a few sentences, what the results told you; the team reads this.",
    )
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-window__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["window", "manager"], name="one_plan_per_team_window"),
        ]

    def __str__(self) -> str:
        return f"Action plan of {self.manager} after {self.window}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:plan_detail", args=[self.pk])


class Commitment(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="commitments")
    driver = models.CharField(max_length=20, choices=DRIVER_CHOICES)
    text = models.CharField("we will", max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="commitments")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text
