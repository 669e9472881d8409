"""Writes on a meeting: talking points, notes, action items, how it went.

Any of these marks the session as touched, so re-planning never alters it.
"""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from engagement.models import Person, Program
from meetings import access as meetings_access
from meetings.models import (
    SKIP_LEVEL_THEMES,
    ActionItem,
    DailyWhy,
    Decision,
    LearningTopic,
    LearningTopicVote,
    MoodCheckIn,
    Note,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Rating,
    SkipLevelAnswer,
    Summary,
    TalkingPoint,
    Topic,
    TopicVote,
)
from scheduling import access as scheduling_access
from scheduling.models import WITHOUT_PLACE, Session, SessionStatus

MAX_TEXT = 300


def _touch(session: Session) -> None:
    Session.objects.filter(pk=session.pk, touched=False).update(touched=True)


def _require_insider(actor: Person, session: Session) -> None:
    if not meetings_access.can_work_on_session(actor, session):
        raise PermissionDenied("Only the people in this session may change what it records.")


def _clean_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": f"Write the {what} first."})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": f"Keep the {what} under {MAX_TEXT} characters (it has {len(text)})."}
        )
    return text


@transaction.atomic
def talking_point_add(*, session: Session, author: Person, text: str) -> TalkingPoint:
    _require_insider(author, session)
    point = TalkingPoint.objects.create(
        program=session.program,
        series=session.series,
        raised_in=session,
        author=author,
        text=_clean_text(text, "talking point"),
    )
    _touch(session)
    return point


@transaction.atomic
def talking_point_tick(*, point: TalkingPoint, session: Session, actor: Person) -> TalkingPoint:
    """Tick a point off in ``session``, or reopen it when it was ticked off there."""
    _require_insider(actor, session)
    if point.done_at is None:
        point.done_in, point.done_at = session, timezone.now()
    elif point.done_in_id == session.pk:
        point.done_in, point.done_at = None, None
    point.save(update_fields=["done_in", "done_at"])
    _touch(session)
    return point


@transaction.atomic
def note_save(*, session: Session, author: Person, body: str, private: bool) -> Note:
    _require_insider(author, session)
    if len(body) > 20000:
        raise ValidationError({"body": "Notes are limited to 20,000 characters."})
    lookup = {"session": session, "private": private}
    if private:
        lookup["author"] = author
    note, _ = Note.objects.select_for_update().get_or_create(
        **lookup, defaults={"author": author, "body": body}
    )
    note.body, note.author = body, author
    note.save()
    _touch(session)
    return note


@transaction.atomic
def action_item_add(
    *,
    session: Session,
    creator: Person,
    owner: Person,
    text: str,
    due_on: date | None,
    partner: Person | None = None,
) -> ActionItem:
    """Give someone in the session an action; in an inter-department session (EE14)
    each action is shared by owners from two different departments."""
    _require_insider(creator, session)
    insiders = scheduling_access.session_insiders(session)
    if owner.pk not in insiders:
        raise ValidationError({"owner": "Give the action to someone in this session."})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date cannot be in the past."})
    if session.program.practice == "EE14":
        if partner is None:
            raise ValidationError(
                {"partner": "Shared actions have an owner in each department: choose the other."}
            )
        if partner.pk not in insiders:
            raise ValidationError({"partner": "Share the action with someone in this session."})
        if owner.department_id is None:
            raise ValidationError({"owner": f"{owner} has no department; choose another owner."})
        if partner.department_id is None or partner.department_id == owner.department_id:
            raise ValidationError(
                {"partner": f"Choose someone from a department other than {owner}'s."}
            )
    else:
        partner = None
    item = ActionItem.objects.create(
        program=session.program,
        series=session.series,
        raised_in=session,
        owner=owner,
        partner=partner,
        created_by=creator,
        text=_clean_text(text, "action"),
        due_on=due_on,
    )
    _touch(session)
    return item


def action_item_toggle(*, item: ActionItem, actor: Person) -> ActionItem:
    """Mark done (or open again); the owner and the session's people may."""
    if not meetings_access.can_change_action_item(actor, item):
        raise PermissionDenied("Only the owner and the session's people may change this action.")
    item.done_at = None if item.done_at else timezone.now()
    item.save(update_fields=["done_at"])
    return item


@transaction.atomic
def session_record_outcome(
    *, session: Session, actor: Person, status: str, attended: set[int]
) -> Session:
    """Record that a session was held (with who attended) or missed."""
    if not scheduling_access.can_manage_session(actor, session):
        raise PermissionDenied("Only the host and the program's owner record how it went.")
    if status not in {SessionStatus.HELD, SessionStatus.MISSED}:
        raise ValidationError("Choose held or missed.")
    if session.starts_at > timezone.now():
        raise ValidationError("A session can be marked held or missed once it has started.")
    session.status = status
    session.touched = True
    session.save(update_fields=["status", "touched", "updated_at"])
    participants = session.participants.exclude(signup__in=WITHOUT_PLACE)
    if status == SessionStatus.MISSED:
        attended = set()
    participants.filter(person_id__in=attended).update(attended=True)
    participants.exclude(person_id__in=attended).update(attended=False)
    return session


def _require_round_table(session: Session) -> None:
    if session.program.practice != "EE8":
        raise ValidationError("Topics belong to round tables.")


@transaction.atomic
def topic_raise(*, session: Session, person: Person, text: str, anonymous: bool) -> Topic:
    """Raise a topic before a round table; an anonymous one keeps no trace of its author."""
    _require_round_table(session)
    _require_insider(person, session)
    config = session.program.practice_info.clean_config(session.program.config)
    if anonymous and not config.get("anonymous_topics", True):
        raise ValidationError({"anonymous": "This round table does not take anonymous topics."})
    topic = Topic.objects.create(
        session=session, author=None if anonymous else person, text=_clean_text(text, "topic")
    )
    _touch(session)
    return topic


def topic_vote(*, topic: Topic, voter: Person) -> TopicVote:
    _require_insider(voter, topic.session)
    try:
        with transaction.atomic():
            return TopicVote.objects.create(topic=topic, voter=voter)
    except IntegrityError:
        raise ValidationError("You have already voted for this topic.") from None


def topic_answer(*, topic: Topic, actor: Person, answer: str) -> Topic:
    if not scheduling_access.can_manage_session(actor, topic.session):
        raise PermissionDenied("Only the leader hosting the round table answers topics.")
    topic.answer = answer.strip()[:5000]
    topic.save(update_fields=["answer"])
    return topic


@transaction.atomic
def summary_publish(*, session: Session, actor: Person, body: str) -> Summary:
    """Publish the summary and e-mail it to the invitees and the program's audience."""
    _require_round_table(session)
    if not scheduling_access.can_manage_session(actor, session):
        raise PermissionDenied("Only the leader hosting the round table publishes its summary.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write the summary first."})
    summary, _ = Summary.objects.update_or_create(
        session=session,
        defaults={"body": body, "published_at": timezone.now(), "published_by": actor},
    )
    _touch(session)
    session_id = session.pk
    transaction.on_commit(lambda: _queue("meetings.services.send_summary", session_id))
    return summary


def send_summary(session_id: int) -> None:
    from django.conf import settings
    from django.core.mail import send_mass_mail

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


def mood_record(*, session: Session, person: Person, mood: int) -> MoodCheckIn:
    """Record (or change) someone's mood at a 1-on-1."""
    _require_insider(person, session)
    if session.program.practice != "EE10":
        raise ValidationError("Mood check-ins belong to 1-on-1s.")
    if mood not in range(1, 6):
        raise ValidationError({"mood": "Choose a mood from 1 to 5."})
    check_in, _ = MoodCheckIn.objects.update_or_create(
        session=session, person=person, defaults={"mood": mood}
    )
    _touch(session)
    return check_in


def skip_level_questions(session: Session) -> list[str]:
    return session.program.config_lines("questions")


@transaction.atomic
def skip_level_answers_save(
    *, session: Session, actor: Person, answers: list[tuple[str, list[str]]]
) -> int:
    """Save the interview's answers, one per question in order, with their themes."""
    if session.program.practice != "EE9":
        raise ValidationError("Questionnaires belong to skip-level interviews.")
    _require_insider(actor, session)
    questions = skip_level_questions(session)
    valid_themes = {code for code, _ in SKIP_LEVEL_THEMES}
    saved = 0
    for position, (question, (answer, themes)) in enumerate(zip(questions, answers, strict=False)):
        SkipLevelAnswer.objects.update_or_create(
            session=session,
            position=position,
            defaults={
                "question": question[:300],
                "answer": answer.strip()[:5000],
                "themes": sorted(set(themes) & valid_themes),
            },
        )
        saved += 1
    _touch(session)
    return saved


RATED_PRACTICES = {"EE14", "EE15"}


def rating_targets(session: Session, rater: Person) -> list:
    """What ``rater`` rates after ``session``: the session itself (EE15), or each other
    department taking part (EE14)."""
    if session.program.practice == "EE15":
        return [None]
    if session.program.practice == "EE14":
        from engagement.models import Department

        departments = Department.objects.filter(people__participations__session=session).exclude(
            pk=rater.department_id
        )
        return list(departments.distinct().order_by("name"))
    return []


def asks_feedback_form(program) -> bool:
    """Whether the program asks feedback after sessions with a feedback form, which
    then replaces the 1-5 rating (so nobody is asked twice)."""
    form = apps.get_model("feedback", "Form")
    return form.objects.filter(program=program, questions__isnull=False).exists()


def takes_ratings(program) -> bool:
    """Lunch & learns and inter-department sessions take 1-5 ratings, unless their
    program asks its own feedback questions instead."""
    return program.practice in RATED_PRACTICES and not asks_feedback_form(program)


@transaction.atomic
def rating_give(*, session: Session, rater: Person, score: int, comment: str, about=None) -> Rating:
    if session.program.practice not in RATED_PRACTICES:
        raise ValidationError("This session takes no ratings.")
    if not takes_ratings(session.program):
        raise ValidationError(
            "This program asks for feedback with its own questions: answer them under "
            "\u201cHow was it?\u201d."
        )
    _require_insider(rater, session)
    if session.starts_at > timezone.now():
        raise ValidationError("Rate a session once it has taken place.")
    if score not in range(1, 6):
        raise ValidationError({"score": "Choose a rating from 1 to 5."})
    if about not in rating_targets(session, rater):
        raise ValidationError({"about": "Rate another department taking part."})
    rating, _ = Rating.objects.update_or_create(
        session=session,
        rater=rater,
        about=about,
        defaults={"score": score, "comment": comment.strip()[:2000]},
    )
    _touch(session)
    return rating


@transaction.atomic
def huddle_record(
    *,
    session: Session,
    actor: Person,
    why: str,
    focus: str,
    present: set[int],
    moods: dict[int, int],
) -> DailyWhy:
    """Record a daily huddle (EE12) in one go: the WHY, focus, who was there, their moods."""
    if session.program.practice != "EE12":
        raise ValidationError("Only daily huddles have a WHY.")
    if not scheduling_access.can_manage_session(actor, session):
        raise PermissionDenied("Only the supervisor running the huddle records it.")
    why = why.strip()
    if not why:
        raise ValidationError({"why": "Write today's WHY: why today's work matters."})
    if any(mood not in range(1, 6) for mood in moods.values()):
        raise ValidationError({"moods": "Moods go from 1 to 5."})
    daily, _ = DailyWhy.objects.update_or_create(
        session=session,
        defaults={"why": why[:500], "focus": focus.strip()[:2000], "written_by": actor},
    )
    people = set(session.participants.values_list("person_id", flat=True))
    session.participants.filter(person_id__in=present & people).update(attended=True)
    session.participants.exclude(person_id__in=present).update(attended=False)
    MoodCheckIn.objects.filter(session=session).delete()
    MoodCheckIn.objects.bulk_create(
        [
            MoodCheckIn(session=session, person_id=person_id, mood=mood)
            for person_id, mood in moods.items()
            if person_id in people
        ]
    )
    if session.starts_at <= timezone.now():
        session.status = SessionStatus.HELD
    session.touched = True
    session.save(update_fields=["status", "touched", "updated_at"])
    return daily


# Decisions (EE11 team meetings, EE5 council) ------------------------------

DECISION_PRACTICES = {"EE5", "EE11"}


@transaction.atomic
def decision_record(*, session: Session, actor: Person, text: str) -> Decision:
    if session.program.practice not in DECISION_PRACTICES:
        raise ValidationError("Decisions are recorded in team meetings and council meetings.")
    _require_insider(actor, session)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the decision first."})
    if len(text) > 500:
        raise ValidationError(
            {"text": f"Keep a decision under 500 characters (it has {len(text)})."}
        )
    decision = Decision.objects.create(
        program=session.program,
        series=session.series,
        session=session,
        text=text,
        recorded_by=actor,
    )
    _touch(session)
    return decision


# Employee council proposals (EE5) -----------------------------------------


@transaction.atomic
def proposal_submit(*, program: Program, author: Person, title: str, body: str) -> Proposal:
    """Anyone in a council's audience (or on it) brings a proposal to it."""
    if program.practice != "EE5":
        raise ValidationError("Proposals go to an employee council.")
    if not meetings_access.can_submit_proposal(author, program):
        raise PermissionDenied("Only people this council represents may bring it proposals.")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Give the proposal a title."})
    if len(title) > 150:
        raise ValidationError(
            {"title": f"Keep the title under 150 characters (it has {len(title)})."}
        )
    if len(body or "") > 5000:
        raise ValidationError({"body": "Keep the details under 5,000 characters."})
    proposal = Proposal.objects.create(
        program=program, author=author, title=title, body=(body or "").strip()
    )
    ProposalEvent.objects.create(proposal=proposal, status=ProposalStatus.SUBMITTED, actor=author)
    return proposal


@transaction.atomic
def proposal_move(*, proposal: Proposal, actor: Person, status: str, reason: str) -> Proposal:
    """Move a proposal on; every move records who made it and why, and the proposer hears."""
    if not meetings_access.can_decide_proposal(actor, proposal.program, proposal):
        raise PermissionDenied(
            "Only council members and the council's owner decide proposals, never their own, "
            "while the council is active."
        )
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if status not in dict(proposal.next_statuses):
        current = proposal.get_status_display().lower()
        raise ValidationError({"status": f"A proposal that is {current} cannot move there."})
    reason = (reason or "").strip()
    if status in {ProposalStatus.ACCEPTED, ProposalStatus.DECLINED} and not reason:
        raise ValidationError({"reason": "Say why: the proposer and everyone else will read it."})
    if len(reason) > 2000:
        raise ValidationError({"reason": "Keep the reason under 2,000 characters."})
    proposal.status = status
    proposal.save(update_fields=["status", "updated_at"])
    event = ProposalEvent.objects.create(
        proposal=proposal, status=status, actor=actor, reason=reason
    )
    event_id = event.pk
    transaction.on_commit(lambda: _queue("meetings.services.tell_proposer", event_id))
    return proposal


def _queue(task: str, *args) -> None:
    """E-mail in the background: a slow or failing mail server never fails the request."""
    from django_q.tasks import async_task

    async_task(task, *args)


def tell_proposer(event_id: int) -> None:
    from django.conf import settings
    from django.core.mail import send_mail

    event = ProposalEvent.objects.select_related("proposal__author", "actor").get(pk=event_id)
    proposal, author = event.proposal, event.proposal.author
    if not author.is_active or not author.email or not author.email_reminders:
        return
    lines = [
        f"Your proposal “{proposal.title}” is now {event.get_status_display().lower()}.",
        f"Decided by {event.actor}." if event.actor else None,
        f"Why: {event.reason}" if event.reason else None,
        f"See it: {settings.SITE_URL}{proposal.get_absolute_url()}",
    ]
    send_mail(
        f"Your proposal: {event.get_status_display()}",
        "\n\n".join(line for line in lines if line) + "\n",
        None,
        [author.email],
    )


@transaction.atomic
def proposals_discussed(*, session: Session, actor: Person, proposals: list[Proposal]) -> int:
    """Link the proposals a council meeting discussed to its minutes."""
    if session.program.practice != "EE5":
        raise ValidationError("Proposals are discussed in council meetings.")
    _require_insider(actor, session)
    if any(p.program_id != session.program_id for p in proposals):
        raise ValidationError({"proposals": "Choose proposals brought to this council."})
    session.proposals.set(proposals)
    _touch(session)
    return len(proposals)


# Lunch & learn topics (EE15) ----------------------------------------------


@transaction.atomic
def learning_topic_propose(
    *, program: Program, person: Person, title: str, description: str = ""
) -> LearningTopic:
    if program.practice != "EE15":
        raise ValidationError("Topics are proposed for lunch & learns.")
    if not meetings_access.can_propose_learning_topic(person, program):
        raise PermissionDenied("Only people this lunch & learn is for may propose topics.")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Name the topic."})
    if len(title) > 150:
        raise ValidationError(
            {"title": f"Keep the topic under 150 characters (it has {len(title)})."}
        )
    return LearningTopic.objects.create(
        program=program,
        proposed_by=person,
        title=title,
        description=(description or "").strip()[:2000],
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
    from scheduling.models import Participant, ParticipantRole, SignUp
    from scheduling.services import _promote_next

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
            _promote_next(session)
    session.touched = True
    session.save(update_fields=["touched", "updated_at"])
    return topic
