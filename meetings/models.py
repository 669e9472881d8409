"""What happens in a meeting: talking points, notes, action items.

Talking points and action items belong to a series (a 1-on-1 pair, a team,
a program's main series), not to one session: whatever is not ticked off
simply shows on the next session of the series, so nothing is copied.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from engagement.models import Person, Program
from scheduling.models import Session


class SeriesQuerySet(models.QuerySet):
    def of_series(self, session: Session) -> SeriesQuerySet:
        return self.filter(program_id=session.program_id, series=session.series)

    def open(self) -> SeriesQuerySet:
        return self.filter(done_at__isnull=True)

    def up_to(self, session: Session) -> SeriesQuerySet:
        """Raised in this session or an earlier one of the series."""
        return self.filter(raised_in__starts_at__lte=session.starts_at)


class TalkingPoint(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=64)
    raised_in = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="talking_points")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="talking_points")
    text = models.CharField(max_length=300)
    done_in = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["program", "series"], name="talkingpoint_series_idx")]

    def __str__(self) -> str:
        return self.text


class ActionItem(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=64)
    raised_in = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="action_items")
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="action_items")
    # Inter-department management: an action shared by two departments has an owner on each side.
    partner = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shared_action_items",
        verbose_name="shared with",
    )
    created_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due_on", "pk"]
        indexes = [
            models.Index(fields=["program", "series"], name="actionitem_series_idx"),
            models.Index(fields=["owner", "done_at"], name="actionitem_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < today


class Note(models.Model):
    """Notes of one session: one shared note the participants write together, and
    one private note per author that nobody else reads, administrators included."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    private = models.BooleanField(default=False)
    body = models.TextField(max_length=20000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(private=False), name="note_one_shared"
            ),
            models.UniqueConstraint(
                fields=["session", "author"], condition=Q(private=True), name="note_one_private"
            ),
        ]

    def __str__(self) -> str:
        return f"{'Private' if self.private else 'Shared'} note on {self.session}"


class Topic(models.Model):
    """A topic an invitee raises before a round table, possibly anonymously.

    An anonymous topic stores no author at all, only the day it was raised,
    and its key is random: nothing in the database orders or links it to the
    person who wrote it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="topics")
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    raised_on = models.DateField(default=timezone.localdate)
    answer = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["raised_on", "text"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_anonymous(self) -> bool:
        return self.author_id is None


class TopicVote(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "voter"], name="topic_vote_once"),
        ]

    def __str__(self) -> str:
        return f"Vote for {self.topic}"


class Summary(models.Model):
    """The leader's published summary of a round table, sent to invitees and the audience."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="summary")
    body = models.TextField(max_length=20000)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Summary of {self.session}"


class MoodCheckIn(models.Model):
    """How someone feels at a 1-on-1, from 1 (low) to 5 (great); seen by the pair only."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="moods")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    mood = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="mood_once_per_session"),
            models.CheckConstraint(
                condition=Q(mood__gte=1) & Q(mood__lte=5), name="mood_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.mood}/5"


SKIP_LEVEL_THEMES = (
    ("workload", "Workload"),
    ("recognition", "Recognition"),
    ("growth", "Growth"),
    ("manager_support", "Manager support"),
    ("communication", "Communication"),
    ("tools_process", "Tools & process"),
    ("wellbeing", "Wellbeing"),
    ("belonging", "Belonging"),
    ("strategy", "Strategy & direction"),
)


class SkipLevelAnswer(models.Model):
    """The answer to one question of a skip-level interview, with its themes.

    Confidential between the senior leader and the employee: the manager in
    between never sees it.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    question = models.CharField(max_length=300)
    answer = models.TextField(max_length=5000, blank=True)
    themes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="answer_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return self.question


class Rating(models.Model):
    """A participant's rating after a session, 1 to 5 with a comment, kept for dashboards.

    Lunch & learns rate the session; inter-department sessions rate
    how well another department served the rater's (``about``).
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    about = models.ForeignKey(
        "engagement.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "rater"], condition=Q(about=None), name="rating_once"
            ),
            models.UniqueConstraint(
                fields=["session", "rater", "about"],
                condition=~Q(about=None),
                name="rating_once_per_department",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5 for {self.session}"


class DailyWhy(models.Model):
    """The day's purpose message and focus items of a pre-shift huddle (the daily WHY)."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="daily_why")
    why = models.CharField("today's WHY", max_length=500)
    focus = models.TextField("focus items", max_length=2000, blank=True)
    written_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return self.why


class Decision(models.Model):
    """A decision a meeting took (team meetings, the employee council), kept with its series."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=64)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(max_length=500)
    recorded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["program", "series"], name="decision_series_idx")]

    def __str__(self) -> str:
        return self.text


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    DONE = "done", "Done"


# Where a proposal may go from each status; a decision needs a reason.
PROPOSAL_MOVES = {
    ProposalStatus.SUBMITTED: {ProposalStatus.UNDER_REVIEW, ProposalStatus.DECLINED},
    ProposalStatus.UNDER_REVIEW: {ProposalStatus.ACCEPTED, ProposalStatus.DECLINED},
    ProposalStatus.ACCEPTED: {ProposalStatus.DONE, ProposalStatus.UNDER_REVIEW},
    ProposalStatus.DECLINED: {ProposalStatus.UNDER_REVIEW},
    ProposalStatus.DONE: set(),
}


class Proposal(models.Model):
    """An idea brought to the employee council by anyone in its audience."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(max_length=150)
    body = models.TextField("details", max_length=5000, blank=True)
    status = models.CharField(
        max_length=15, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    discussed_in = models.ManyToManyField(Session, blank=True, related_name="proposals")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["program", "status"], name="proposal_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:proposal_detail", args=[self.pk])

    @property
    def next_statuses(self) -> list[tuple[str, str]]:
        allowed = PROPOSAL_MOVES[ProposalStatus(self.status)]
        return [(value, label) for value, label in ProposalStatus.choices if value in allowed]


class ProposalEvent(models.Model):
    """Each move of a proposal: who moved it, to what, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=15, choices=ProposalStatus.choices)
    actor = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(max_length=2000, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_status_display()}"


class LearningTopic(models.Model):
    """A topic proposed for a lunch & learn; the most wanted get scheduled."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="learning_topics")
    proposed_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=150)
    description = models.TextField(max_length=2000, blank=True)
    session = models.OneToOneField(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_topic",
    )
    presenter = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class LearningTopicVote(models.Model):
    topic = models.ForeignKey(LearningTopic, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "voter"], name="learning_vote_once"),
        ]

    def __str__(self) -> str:
        return f"Vote for {self.topic}"
