"""Round tables: topics raised and voted on beforehand, the leader's answers, the summary."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from engagement.models import Person
from engagement.practices import Capability
from meetings import access as meetings_access
from meetings.models import Summary, Topic, TopicVote
from meetings.services.common import clean_text, queue, require_insider, touch
from scheduling.models import Session


def _require_round_table(session: Session) -> None:
    if not session.program.practice_info.has(Capability.ROUND_TABLE_TOPICS):
        raise ValidationError("Topics belong to round tables.")


@transaction.atomic
def topic_raise(*, session: Session, person: Person, text: str, anonymous: bool) -> Topic:
    """Raise a topic before a round table; an anonymous one keeps no trace of its author."""
    _require_round_table(session)
    require_insider(person, session)
    config = session.program.practice_info.clean_config(session.program.config)
    if anonymous and not config.get("anonymous_topics", True):
        raise ValidationError({"anonymous": "This round table does not take anonymous topics."})
    topic = Topic.objects.create(
        session=session, author=None if anonymous else person, text=clean_text(text, "topic")
    )
    touch(session)
    return topic


def topic_vote(*, topic: Topic, voter: Person) -> TopicVote:
    require_insider(voter, topic.session)
    try:
        with transaction.atomic():
            return TopicVote.objects.create(topic=topic, voter=voter)
    except IntegrityError:
        raise ValidationError("You have already voted for this topic.") from None


def topic_answer(*, topic: Topic, actor: Person, answer: str) -> Topic:
    if not meetings_access.can_answer_round_table(actor, topic.session):
        raise PermissionDenied("Only the leader hosting the round table answers topics.")
    topic.answer = answer.strip()[:5000]
    topic.save(update_fields=["answer"])
    return topic


@transaction.atomic
def summary_publish(*, session: Session, actor: Person, body: str) -> Summary:
    """Publish the summary and e-mail it to the invitees and the program's audience."""
    _require_round_table(session)
    if not meetings_access.can_answer_round_table(actor, session):
        raise PermissionDenied("Only the leader hosting the round table publishes its summary.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write the summary first."})
    summary, _ = Summary.objects.update_or_create(
        session=session,
        defaults={"body": body, "published_at": timezone.now(), "published_by": actor},
    )
    touch(session)
    session_id = session.pk
    transaction.on_commit(lambda: queue("meetings.services.round_tables.send_summary", session_id))
    return summary


def send_summary(session_id: int) -> None:
    session = Session.objects.select_related("program", "summary").get(pk=session_id)
    invitees = session.participants.values_list("person_id", flat=True)
    audience = session.program.audience_members().values_list("pk", flat=True)
    people = (
        Person.objects.active()
        .filter(Q(pk__in=invitees) | Q(pk__in=audience), email_reminders=True)
        .exclude(email="")
    )
    link = settings.SITE_URL + session.get_absolute_url()
    subject = f"Summary: {session.title}"
    body = f"{session.summary.body}\n\nRead it with the topics and answers: {link}\n"
    send_mass_mail(
        [(subject, body, None, [email]) for email in people.values_list("email", flat=True)],
        fail_silently=False,
    )
