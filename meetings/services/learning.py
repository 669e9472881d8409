"""Lunch & learns: topics proposed, voted on and scheduled with their presenters; and
the 1-5 ratings given after a session (a lunch & learn, or each department served at
an inter-department meeting)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from engagement import extensions
from engagement.models import Department, Person, Program
from engagement.practices import Capability
from engagement.validators import check_length
from meetings import access as meetings_access
from meetings.models import LearningTopic, LearningTopicVote, Rating
from meetings.services.common import require_insider, touch
from scheduling import access as scheduling_access
from scheduling.models import Participant, ParticipantRole, Session, SessionStatus, SignUp
from scheduling.services import promote_next


@transaction.atomic
def learning_topic_propose(
    *, program: Program, person: Person, title: str, description: str = ""
) -> LearningTopic:
    if not program.practice_info.has(Capability.LEARNING_TOPICS):
        raise ValidationError("Topics are proposed for lunch & learns.")
    if not meetings_access.can_propose_learning_topic(person, program):
        raise PermissionDenied("Only people this lunch & learn is for may propose topics.")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Name the topic."})
    check_length(title, 150, field="title")
    description = check_length((description or "").strip(), 2000, field="description")
    return LearningTopic.objects.create(
        program=program,
        proposed_by=person,
        title=title,
        description=description,
    )


def learning_topic_vote(*, topic: LearningTopic, voter: Person) -> LearningTopicVote:
    if not meetings_access.can_propose_learning_topic(voter, topic.program):
        raise PermissionDenied("Only people this lunch & learn is for may vote.")
    try:
        with transaction.atomic():
            return LearningTopicVote.objects.create(topic=topic, voter=voter)
    except IntegrityError:
        raise ValidationError("You have already voted for this topic.") from None


@transaction.atomic
def learning_topic_schedule(
    *, topic: LearningTopic, session: Session, presenter: Person, actor: Person
) -> LearningTopic:
    """Put a topic on a coming session with its presenter.

    The presenter takes part as presenter without taking one of the seats (a seat
    they had goes to the first on the waitlist); a host who presents stays host.
    """
    if not scheduling_access.can_manage_session(actor, session):
        raise PermissionDenied("Only the lunch & learn's host chooses what it covers.")
    if session.program_id != topic.program_id:
        raise ValidationError({"session": "Choose a session of this lunch & learn."})
    session = Session.objects.select_for_update().get(pk=session.pk)
    now = timezone.now()
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= now:
        raise ValidationError({"session": "Choose a session that is still to come."})
    if not presenter.is_active:
        raise ValidationError({"presenter": "This person has left the organisation."})
    topic = (
        LearningTopic.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=topic.pk)
    )
    old = topic.session
    if old is not None and old.pk != session.pk and old.starts_at <= now:
        raise ValidationError({"topic": "This topic has already been presented."})
    taken = LearningTopic.objects.filter(session=session).exclude(pk=topic.pk).first()
    if taken is not None:
        raise ValidationError({"session": f"That session already covers “{taken}”."})
    if old is not None and topic.presenter_id:
        Participant.objects.filter(
            session=old, person_id=topic.presenter_id, role=ParticipantRole.PRESENTER
        ).delete()
    topic.session, topic.presenter = session, presenter
    topic.save(update_fields=["session", "presenter"])
    place = Participant.objects.filter(session=session, person=presenter).first()
    if place is None:
        Participant.objects.create(
            session=session,
            person=presenter,
            role=ParticipantRole.PRESENTER,
            planned=False,
            signed_up_at=now,
        )
    elif place.role != ParticipantRole.HOST:
        freed_seat = place.signup == SignUp.CONFIRMED
        place.role, place.signup = ParticipantRole.PRESENTER, ""
        place.save(update_fields=["role", "signup"])
        if freed_seat:
            # Promotes the first on the waitlist and tells them once this commits.
            promote_next(session)
    session.touched = True
    session.save(update_fields=["touched", "updated_at"])
    return topic


# Ratings ------------------------------------------------------------------


def _rated(program: Program) -> bool:
    practice = program.practice_info
    return practice.has(Capability.RATE_SESSION) or practice.has(Capability.RATE_DEPARTMENTS)


def rating_targets(session: Session, rater: Person) -> list:
    """What ``rater`` rates after ``session``: the session itself (a lunch & learn), or
    each other department taking part (an inter-department meeting)."""
    practice = session.program.practice_info
    if practice.has(Capability.RATE_SESSION):
        return [None]
    if practice.has(Capability.RATE_DEPARTMENTS):
        departments = Department.objects.filter(people__participations__session=session).exclude(
            pk=rater.department_id
        )
        return list(departments.distinct().order_by("name"))
    return []


def asks_feedback_form(program) -> bool:
    """Whether the program asks its own feedback questions after sessions, which then
    replace the 1-5 rating (so nobody is asked twice). The feedback app answers."""
    return bool(extensions.ask("program_asks_feedback", program, default=False))


def takes_ratings(program) -> bool:
    """Lunch & learns and inter-department sessions take 1-5 ratings, unless their
    program asks its own feedback questions instead."""
    return _rated(program) and not asks_feedback_form(program)


@transaction.atomic
def rating_give(*, session: Session, rater: Person, score: int, comment: str, about=None) -> Rating:
    if not _rated(session.program):
        raise ValidationError("This session takes no ratings.")
    if not takes_ratings(session.program):
        raise ValidationError(
            "This program asks for feedback with its own questions: answer them under "
            "\u201cHow was it?\u201d."
        )
    require_insider(rater, session)
    if session.starts_at > timezone.now():
        raise ValidationError("Rate a session once it has taken place.")
    if score not in range(1, 6):
        raise ValidationError({"score": "Choose a rating from 1 to 5."})
    if about not in rating_targets(session, rater):
        raise ValidationError({"about": "Rate another department taking part."})
    comment = check_length(comment.strip(), 2000, field="comment")
    rating, _ = Rating.objects.update_or_create(
        session=session,
        rater=rater,
        about=about,
        defaults={"score": score, "comment": comment},
    )
    touch(session)
    return rating
