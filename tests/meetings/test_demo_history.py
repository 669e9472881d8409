"""The demo organisation comes with meeting history, loaded once."""

from io import StringIO

from django.core.management import call_command

from engagement.models import ProgramMember
from meetings.models import (
    ActionItem,
    Decision,
    LearningTopic,
    MoodCheckIn,
    Note,
    Proposal,
    ProposalEvent,
    Rating,
    SkipLevelAnswer,
    Summary,
    Topic,
)
from scheduling.models import Session

MODELS = (
    Session,
    Note,
    ActionItem,
    MoodCheckIn,
    Topic,
    Summary,
    SkipLevelAnswer,
    Proposal,
    Decision,
    LearningTopic,
    Rating,
)


def test_demo_history_is_loaded_once_and_keeps_anonymous_topics_anonymous(db):
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo_history", stdout=out)
    assert "Added meeting history" in out.getvalue()
    counts = [model.objects.count() for model in MODELS]
    assert all(counts), dict(zip([m.__name__ for m in MODELS], counts, strict=True))
    assert ProgramMember.objects.filter(person__username="employee").exists()
    assert set(Proposal.objects.values_list("status", flat=True)) >= {"done", "declined"}
    assert not ProposalEvent.objects.filter(status="declined", reason="").exists()
    assert ActionItem.objects.filter(partner__isnull=False).exists()
    assert Session.objects.filter(status="held").count() >= 20
    assert Topic.objects.filter(author__isnull=True).exists()
    call_command("load_demo_history", stdout=StringIO())
    again = [model.objects.count() for model in MODELS]
    assert again == counts


def test_no_history_without_the_demo_organisation(db):
    out = StringIO()
    call_command("load_demo_history", stdout=out)
    assert "nothing to add" in out.getvalue()
    assert not Session.objects.exists()
