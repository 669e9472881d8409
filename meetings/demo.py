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
    MoodCheckIn,
    Note,
    SkipLevelAnswer,
    Summary,
    TalkingPoint,
    Topic,
    TopicVote,
)
from scheduling.models import Participant, Session, SessionStatus, session_uid
from scheduling.participants import pair_series

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
        for fortnight, note in zip((6, 4, 2), ONE_ON_ONE_NOTES, strict=True):
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
            due_on=timezone.localdate() + timedelta(days=5 + report.pk % 10),
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


def _skip_levels(now) -> None:
    program = Program.objects.get(practice="EE9")
    leader = program.owner
    questions = program.config_lines("questions")
    people = Person.objects.active().below(leader).exclude(manager=leader).order_by("-pk")[:3]
    for weeks, person in enumerate(people, start=1):
        start = (now - timedelta(weeks=weeks)).replace(hour=15, minute=0, second=0, microsecond=0)
        session = _past_session(
            program,
            f"skip:{person.pk}",
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
    if stdout is not None:
        stdout.write(
            f"Added meeting history: {one_on_ones} past 1-on-1s with notes and moods, "
            "a round table with topics and a summary, three skip-level interviews.\n"
        )
    return True
