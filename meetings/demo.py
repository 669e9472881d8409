"""History for the demo organisation: past meetings with what they recorded.

Loaded once, after the demo organisation (engagement/demo.py) and its first
planning pass, so that a new user opens 1-on-1s, round tables and
skip-levels that already have notes, actions, topics and answers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from engagement.models import Person, Program
from meetings.models import (
    ActionItem,
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
from scheduling.models import (
    RSVP,
    Participant,
    Session,
    SessionStatus,
    SignUp,
    session_uid,
)
from scheduling.participants import pair_series, session_series, skip_series

ONE_ON_ONE_NOTES = (
    "Went through the week's pick rates; both happy with the trend. Agreed to try the new "
    "rota for December.",
    "Talked about the forklift refresher and the team leader path. Next step: shadow Deepa "
    "on two shifts.",
    "Short one: busy day. Checked in on workload after the peak; it has eased.",
)
TALKING_POINTS = (
    "Holiday cover over Christmas",
    "Feedback on the new scanner app",
    "Training budget for next year",
)
ROUND_TABLE_TOPICS = (
    ("Will the night shift allowance be reviewed?", True, 5),
    ("How do we get more say in the rota?", False, 3),
    ("What is the plan for the second warehouse?", False, 2),
)


def _past_session(program: Program, series: str, start, title: str, people) -> Session:
    series = session_series(program.practice_info, series, start)
    # A 1-on-1 or skip-level is private to its host and the other, as the planner marks it.
    private = program.practice_info.is_private
    lead = next((person for person, role in people if role == "host"), None)
    other = next((person for person, role in people if role != "host"), None)
    session = Session.objects.create(
        program=program,
        series=series,
        planned_start=start,
        kind="meeting",
        title=title,
        starts_at=start,
        ends_at=start + timedelta(minutes=program.duration_minutes or 30),
        status=SessionStatus.HELD,
        touched=True,
        uid=session_uid(program.pk, series, start),
        private=private,
        pair_lead=lead if private else None,
        pair_person=other if private else None,
    )
    Participant.objects.bulk_create(
        [
            Participant(session=session, person=person, role=role, attended=True)
            for person, role in people
        ]
    )
    return session


def _one_on_ones(now) -> int:
    program = Program.objects.get(practice="EE10", owner__username="manager")
    manager = program.owner
    created = 0
    for number, report in enumerate(manager.direct_reports.active().order_by("pk")):
        series = pair_series(manager.pk, report.pk)
        title = f"1-on-1: {manager} & {report}"
        # The latest a week ago: its feedback is still open, the next one is planned.
        for fortnight, note in zip((5, 3, 1), ONE_ON_ONE_NOTES, strict=True):
            start = (now - timedelta(weeks=fortnight)).replace(
                hour=13, minute=30, second=0, microsecond=0
            )
            session = _past_session(
                program, series, start, title, [(manager, "host"), (report, "attendee")]
            )
            Note.objects.create(session=session, author=manager, body=note)
            MoodCheckIn.objects.bulk_create(
                [
                    MoodCheckIn(session=session, person=report, mood=3 + fortnight % 3),
                    MoodCheckIn(session=session, person=manager, mood=4),
                ]
            )
            created += 1
        TalkingPoint.objects.create(
            program=program,
            series=series,
            raised_in=session,
            author=report,
            text=TALKING_POINTS[report.pk % len(TALKING_POINTS)],
        )
        ActionItem.objects.create(
            program=program,
            series=series,
            raised_in=session,
            owner=report,
            created_by=manager,
            text="Book the forklift refresher course",
            # The demo employee's is due this week, so their home has it to do.
            due_on=timezone.localdate()
            + timedelta(days=3 if report.username == "employee" else 5 + report.pk % 10),
        )
        if number == 0:
            ActionItem.objects.create(
                program=program,
                series=series,
                raised_in=session,
                owner=manager,
                created_by=manager,
                text="Confirm the December rota",
                due_on=timezone.localdate() - timedelta(days=2),
            )
    return created


def _round_table(now) -> None:
    program = Program.objects.get(practice="EE8")
    leader = program.owner
    guests = list(Person.objects.active().below(leader).exclude(manager=leader).order_by("pk")[:6])
    start = (now - timedelta(weeks=3)).replace(hour=11, minute=0, second=0, microsecond=0)
    session = _past_session(
        program,
        "main",
        start,
        program.name,
        [(leader, "host")] + [(guest, "attendee") for guest in guests],
    )
    for index, (text, anonymous, votes) in enumerate(ROUND_TABLE_TOPICS):
        topic = Topic.objects.create(
            session=session,
            author=None if anonymous else guests[index],
            text=text,
            raised_on=start.date() - timedelta(days=3),
            answer="Answered in the session; see the summary." if index == 0 else "",
        )
        TopicVote.objects.bulk_create(
            [TopicVote(topic=topic, voter=guest) for guest in guests[:votes]]
        )
    Summary.objects.create(
        session=session,
        body="We talked about the night shift allowance (reviewed with finance in January), "
        "a rota request form for each shift, and the timeline for the second warehouse.",
        published_at=start + timedelta(days=1),
        published_by=leader,
    )
    # Something for the demo leader to do this week.
    ActionItem.objects.create(
        program=program,
        series=session.series,
        raised_in=session,
        owner=leader,
        created_by=leader,
        text="Bring finance's answer on the night shift allowance to the floor",
        due_on=timezone.localdate() + timedelta(days=2),
    )


def _skip_levels(now) -> None:
    program = Program.objects.get(practice="EE9")
    leader = program.owner
    questions = program.config_lines("questions")
    people = Person.objects.active().below(leader).exclude(manager=leader).order_by("-pk")[:3]
    for weeks, person in enumerate(people, start=1):
        start = (now - timedelta(weeks=weeks)).replace(hour=15, minute=0, second=0, microsecond=0)
        session = _past_session(
            program,
            skip_series(leader.pk, person.pk),
            start,
            f"Skip-level: {leader} & {person}",
            [(leader, "host"), (person, "attendee")],
        )
        SkipLevelAnswer.objects.bulk_create(
            [
                SkipLevelAnswer(
                    session=session,
                    position=index,
                    question=question[:300],
                    answer="Mostly good; the peak weeks are hard on the team."
                    if index == 1
                    else "Fine.",
                    themes=["workload"] if index == 1 else [],
                )
                for index, question in enumerate(questions)
            ]
        )


PROPOSALS = (
    (
        "Water fountain on the mezzanine",
        "The nearest one is two floors down; pickers lose time and drink less in summer.",
        [
            (ProposalStatus.UNDER_REVIEW, ""),
            (ProposalStatus.ACCEPTED, "Facilities have budget this quarter; fitted by March."),
            (ProposalStatus.DONE, "Fitted on the 3rd; thanks for raising it."),
        ],
    ),
    (
        "Swap shifts through the app",
        "Today swaps go through the shift manager by phone. Let us agree them between "
        "ourselves and have the manager approve in one tap.",
        [(ProposalStatus.UNDER_REVIEW, "")],
    ),
    (
        "Four-day week in January",
        "January is quiet; try four longer days for those who want it.",
        [
            (ProposalStatus.UNDER_REVIEW, ""),
            (
                ProposalStatus.DECLINED,
                "Stock-take falls in January and needs full cover; we will look at "
                "February instead and bring it back to the council.",
            ),
        ],
    ),
    ("Bike shelter by the staff entrance", "", []),
)
LEARNING_TOPICS = (
    ("Excel pivot tables in 30 minutes", 9),
    ("How our warehouse software decides pick routes", 7),
    ("First aid refresher", 5),
    ("Negotiation basics", 3),
)


def _council(now) -> None:
    program = Program.objects.get(practice="EE5")
    members = [m.person for m in program.members.select_related("person")]
    chair = members[0]
    authors = list(
        program.audience_members().exclude(pk__in=[m.pk for m in members]).order_by("pk")[:4]
    )
    start = (now - timedelta(weeks=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    session = _past_session(
        program,
        "main",
        start,
        program.name,
        [(program.owner, "host")] + [(member, "attendee") for member in members],
    )
    for (title, body, moves), author, age in zip(PROPOSALS, authors, (9, 6, 5, 1), strict=True):
        created = now - timedelta(weeks=age)
        proposal = Proposal.objects.create(
            program=program,
            author=author,
            title=title,
            body=body,
            status=moves[-1][0] if moves else ProposalStatus.SUBMITTED,
            created_at=created,
        )
        ProposalEvent.objects.bulk_create(
            [
                ProposalEvent(
                    proposal=proposal, status=ProposalStatus.SUBMITTED, actor=author, at=created
                )
            ]
            + [
                ProposalEvent(
                    proposal=proposal,
                    status=status,
                    actor=chair,
                    reason=reason,
                    at=created + timedelta(days=7 * step),
                )
                for step, (status, reason) in enumerate(moves, start=1)
            ]
        )
        if moves:
            proposal.discussed_in.add(session)
        # The last change is the last move, not the moment the demo was loaded.
        Proposal.objects.filter(pk=proposal.pk).update(
            updated_at=created + timedelta(days=7 * len(moves))
        )
    Note.objects.create(
        session=session,
        author=chair,
        body="Minutes: reviewed three proposals from the floor. Water fountain accepted; "
        "four-day week declined for January with a reason; shift swaps under review with IT.",
    )
    Decision.objects.create(
        program=program,
        series=session.series,
        session=session,
        text="Accept the water fountain proposal; facilities to fit it by March.",
        recorded_by=chair,
    )
    # HR drafts the policy the council asked for: something for the demo admin to do.
    admin = Person.objects.filter(username="admin").first()
    if admin is not None:
        ActionItem.objects.create(
            program=program,
            series=session.series,
            raised_in=session,
            owner=admin,
            created_by=program.owner,
            text="Draft the shift-swap policy with IT for the council",
            due_on=timezone.localdate() + timedelta(days=1),
        )


def _team_meeting(now) -> None:
    program = Program.objects.get(practice="EE11", owner__username="manager")
    manager = program.owner
    team = list(manager.direct_reports.active().order_by("pk"))
    series = f"team:{manager.pk}"
    for weeks, decision in (
        (2, "Rotate the Friday late shift monthly"),
        (1, "Pilot the new pick-list layout on aisle 4"),
    ):
        start = (now - timedelta(weeks=weeks)).replace(hour=8, minute=30, second=0, microsecond=0)
        session = _past_session(
            program,
            series,
            start,
            program.name,
            [(manager, "host")] + [(person, "attendee") for person in team],
        )
        Decision.objects.create(
            program=program, series=series, session=session, text=decision, recorded_by=manager
        )
        Note.objects.create(
            session=session,
            author=manager,
            body="Scorecard reviewed: accuracy 99.2%, on-time dispatch 96%. Safety walk done.",
        )


def _lunch_and_learn(now) -> None:
    program = Program.objects.get(practice="EE15")
    audience = list(program.audience_members().order_by("pk")[:30])
    topics = [
        LearningTopic.objects.create(
            program=program,
            proposed_by=audience[index],
            title=title,
            created_at=now - timedelta(weeks=8 - index),
        )
        for index, (title, _) in enumerate(LEARNING_TOPICS)
    ]
    LearningTopicVote.objects.bulk_create(
        [
            LearningTopicVote(topic=topic, voter=voter)
            for topic, (_, votes) in zip(topics, LEARNING_TOPICS, strict=True)
            for voter in audience[1 : votes + 1]
        ]
    )
    start = (now - timedelta(weeks=4)).replace(hour=12, minute=30, second=0, microsecond=0)
    attendees = audience[:12]
    past = _past_session(
        program,
        "main",
        start,
        program.name,
        [(program.owner, "host")] + [(person, "attendee") for person in attendees],
    )
    first = topics[0]
    first.session, first.presenter = past, audience[5]
    first.save(update_fields=["session", "presenter"])
    Rating.objects.bulk_create(
        [
            Rating(
                session=past,
                rater=person,
                score=(5, 4, 5, 3, 4)[index % 5],
                comment=("Practical, I used it the next day." if index == 0 else ""),
            )
            for index, person in enumerate(attendees[:9])
        ]
    )
    upcoming = (
        Session.objects.filter(program=program, starts_at__gt=now, status=SessionStatus.SCHEDULED)
        .order_by("starts_at")
        .first()
    )
    if upcoming is not None:
        second = topics[1]
        second.session, second.presenter = upcoming, second.proposed_by
        second.save(update_fields=["session", "presenter"])
        Participant.objects.get_or_create(
            session=upcoming,
            person=second.proposed_by,
            defaults={"role": "presenter", "planned": False, "signup": SignUp.CONFIRMED},
        )


def _inter_department(now) -> None:
    program = Program.objects.get(practice="EE14")
    people = list(
        program.audience_members().filter(liaison_for__isnull=False).select_related("department")
    )
    if len(people) < 2:
        return
    start = (now - timedelta(weeks=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    session = _past_session(
        program,
        "main",
        start,
        program.name,
        [(program.owner, "host")] + [(person, "attendee") for person in people],
    )
    first, second = people[0], people[1]
    ActionItem.objects.create(
        program=program,
        series=session.series,
        raised_in=session,
        owner=first,
        partner=second,
        created_by=program.owner,
        text="Agree a hand-off checklist for software releases on peak days",
        due_on=timezone.localdate() + timedelta(days=10),
    )
    Rating.objects.bulk_create(
        [
            Rating(
                session=session,
                rater=first,
                about=second.department,
                score=4,
                comment="Quick fixes, but releases still land on Mondays.",
            ),
            Rating(
                session=session,
                rater=second,
                about=first.department,
                score=3,
                comment="Bug reports lack the order numbers we need.",
            ),
        ]
    )


def _social_event(now) -> None:
    program = Program.objects.get(practice="EE6")
    upcoming = (
        Session.objects.filter(program=program, starts_at__gt=now, status=SessionStatus.SCHEDULED)
        .order_by("starts_at")
        .first()
    )
    if upcoming is None:
        return
    people = list(program.audience_members().order_by("pk")[:40])
    answers = [RSVP.YES] * 25 + [RSVP.MAYBE] * 9 + [RSVP.NO] * 6
    signup = {RSVP.YES: SignUp.CONFIRMED, RSVP.MAYBE: SignUp.MAYBE, RSVP.NO: SignUp.DECLINED}
    Participant.objects.bulk_create(
        [
            Participant(
                session=upcoming,
                person=person,
                role="attendee",
                planned=False,
                rsvp=answer,
                signup=signup[answer],
                signed_up_at=now,
            )
            for person, answer in zip(people, answers, strict=False)
            if person.pk != program.owner_id
        ],
        ignore_conflicts=True,
    )


def demo_history_load(*, stdout: TextIO | None = None) -> bool:
    """Add past meetings to the demo organisation, once; return whether it did."""
    if not Person.objects.filter(username="manager").exists():
        return False
    if Note.objects.exists() or Topic.objects.exists():
        return False
    now = timezone.now()
    with transaction.atomic():
        one_on_ones = _one_on_ones(now)
        _round_table(now)
        _skip_levels(now)
        _council(now)
        _team_meeting(now)
        _lunch_and_learn(now)
        _inter_department(now)
        _social_event(now)
    if stdout is not None:
        stdout.write(
            f"Added meeting history: {one_on_ones} past 1-on-1s with notes and moods, "
            "a round table with topics and a summary, three skip-level interviews, council "
            "proposals and minutes, team decisions, lunch & learn topics and ratings, an "
            "inter-department session and RSVPs for the next social evening.\n"
        )
    return True
