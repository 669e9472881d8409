"""Two years of monthly pulse results for the demo organisation, with real differences
between teams, an upward-feedback survey, and an action plan that worked.

Answers are generated from a simple model (a team level, a team trend, a
driver effect and noise) so that the dashboards tell a story at first sight:
some teams improve, some slip, and Shift B's recognition rises after its
manager's action plan.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from engagement import services as engagement_services
from engagement.demo import DEMO_USERNAMES
from engagement.models import Person, Program
from feedback import ballots, services, windows
from feedback.bank import DRIVERS
from feedback.models import ActionPlan, Answer, Commitment, Form, Response
from scheduling.models import Participant, ParticipantRole, Session, SessionKind, session_uid

SEED = 2718
# The demo accounts leave the feedback of their sessions of the last five weeks (the
# month of the latest and the one before) unanswered, so that it is open to them.
RECENT_UNANSWERED_DAYS = 35
# Close to the history's own spread, so the open window continues the story.
AGREEMENT, ENPS = (2, 3, 3, 4, 4, 5), (3, 5, 6, 7, 8, 9, 10)
MONTHS = 24
COMMENTS = (
    "More notice when rotas change would help a lot.",
    "The new scanners are a big improvement, thank you.",
    "I would like to know more about where the company is heading.",
    "Recognition happens, but mostly for the same few people.",
    "Peak weeks are exhausting; we need more cover.",
    "My manager really listens, which makes a difference.",
    "Training for the new system came too late.",
    "Good team spirit on our shift.",
)


def _window(program: Program, start: datetime, days: int) -> Session:
    session, _ = Session.objects.get_or_create(
        program=program,
        series="main",
        planned_start=start,
        defaults={
            "starts_at": start,
            "ends_at": start + timedelta(days=days),
            "due_at": start + timedelta(days=days),
            "kind": SessionKind.PERIOD,
            "title": program.name,
            "touched": True,
            "uid": session_uid(program.pk, "main", start),
        },
    )
    return session


def _answer_open_window(form: Form, rng) -> int:
    """The pulse window open now (the planner opened it): about two thirds have
    answered so far, through the real answering path (held, then mixed)."""
    now = timezone.now()
    window = (
        Session.objects.filter(program=form.program, starts_at__lte=now, due_at__gt=now)
        .exclude(status="cancelled")
        .first()
    )
    if window is None:
        return 0
    questions = list(form.questions.exclude(kind="text"))
    invited = Person.objects.filter(
        participations__session=window, participations__role=ParticipantRole.SUBMITTER
    ).order_by("pk")
    written = 0
    for person in invited:
        # The demo accounts have the open pulse still to answer.
        if rng.random() > 0.65 or person.username in DEMO_USERNAMES:
            continue
        answers = {
            q.pk: services.Given(value=rng.choice(ENPS if q.kind == "enps" else AGREEMENT))
            for q in questions
        }
        services.response_submit(window=window, person=person, answers=answers)
        written += len(answers)
    return written


def _month_starts(program: Program, months: int, step: int = 1) -> list[datetime]:
    today = timezone.localdate()
    starts = []
    for back in range(months, 0, -step):
        index = today.year * 12 + today.month - 1 - back
        day = datetime(index // 12, index % 12 + 1, 1).date()
        starts.append(datetime.combine(day, time(9, 0), tzinfo=program.zone))
    return starts


def _generate(
    form: Form, windows: list[Session], people: list[Person], rng, *, upward=False
) -> int:
    """Invite everyone, let most answer, and write receipts and anonymous answers."""
    questions = list(form.questions.all())
    managers = sorted({p.manager_id for p in people})
    level = {m: rng.gauss(0, 0.35) for m in managers}
    slope = {m: rng.gauss(0, 0.015) for m in managers}
    # Each person's outlook is steady from month to month; teams move slowly.
    outlook = {p.pk: rng.gauss(0, 0.45) for p in people}
    driver_effect = {d: rng.gauss(0, 0.3) for d in DRIVERS}
    driver_effect["workload"] = -0.45
    demo_manager = Person.objects.filter(username="manager").values_list("pk", flat=True).first()
    if demo_manager in level:
        # Shift B starts below the rest, which is what its action plan answers.
        level[demo_manager] = -0.25
    answers_written = 0
    for t, window in enumerate(windows):
        participants, responses, answers = [], [], []
        for person in people:
            rate = 0.97 if person.manager_id == demo_manager else 0.9
            answered = rng.random() < (rate if level[person.manager_id] > -0.3 else 0.78)
            participants.append(
                Participant(
                    session=window,
                    person=person,
                    role=ParticipantRole.SUBMITTER,
                    submitted_on=(window.starts_at + timedelta(days=rng.randint(0, 6))).date()
                    if answered
                    else None,
                )
            )
            if not answered:
                continue
            response = Response(
                form=form,
                window=window,
                manager_id=person.manager_id,
                department_id=person.department_id,
            )
            responses.append(response)
            mood = (
                3.35 + level[person.manager_id] + slope[person.manager_id] * t + outlook[person.pk]
            )
            for question in questions:
                common = {
                    "response": response,
                    "question": question,
                    "form": form,
                    "window": window,
                    "manager_id": person.manager_id,
                    "department_id": person.department_id,
                }
                if question.kind == "text":
                    if rng.random() < 0.18:
                        answers.append(Answer(text=rng.choice(COMMENTS), **common))
                    continue
                effect = driver_effect.get(question.driver, 0.1 if upward else 0)
                if (
                    person.manager_id == demo_manager
                    and question.driver == "recognition"
                    and t >= len(windows) - 4
                ):
                    effect += 0.9  # Shift B's action plan on recognition is working.
                latent = mood + effect + rng.gauss(0, 0.6)
                if question.kind == "enps":
                    value = max(0, min(10, round(latent * 2.1 - 0.6 + rng.gauss(0, 1))))
                else:
                    value = max(1, min(5, round(latent)))
                answers.append(Answer(value=value, **common))
        Participant.objects.bulk_create(participants, batch_size=500, ignore_conflicts=True)
        Response.objects.bulk_create(responses, batch_size=500)
        Answer.objects.bulk_create(answers, batch_size=2000)
        answers_written += len(answers)
    return answers_written


def _action_plan(form: Form, windows: list[Session]) -> None:
    manager = Person.objects.get(username="manager")
    window = windows[-5]
    plan = ActionPlan.objects.create(
        form=form,
        window=window,
        manager=manager,
        created_by=manager,
        summary="You told us good work goes unnoticed, especially on nights, and that the "
        "peak weeks are too heavy.",
        shared_at=window.due_at + timedelta(days=3),
    )
    team = list(manager.direct_reports.active().order_by("pk")[:2])
    Commitment.objects.bulk_create(
        [
            Commitment(
                plan=plan,
                driver="recognition",
                text="Start each Monday meeting with a shout-out chosen by the team",
                owner=manager,
                due_on=window.due_at.date() + timedelta(days=14),
                done_at=window.due_at + timedelta(days=10),
            ),
            Commitment(
                plan=plan,
                driver="recognition",
                text="Nominate someone from nights for Northwind Stars every month",
                owner=team[0],
                due_on=window.due_at.date() + timedelta(days=30),
                done_at=window.due_at + timedelta(days=25),
            ),
            Commitment(
                plan=plan,
                driver="workload",
                text="Agree two extra agency shifts for every peak week with planning",
                owner=manager,
                due_on=timezone.localdate() + timedelta(days=20),
            ),
        ]
    )


def _after_sessions(rng, admin: Person) -> int:
    """Feedback after the demo's past 1-on-1s and lunch & learn, one answer per person
    and month, as the pages would have written it."""
    written = 0
    for practice, owner_username in (("EE10", "manager"), ("EE15", None)):
        programs = Program.objects.filter(practice=practice)
        if owner_username:
            programs = programs.filter(owner__username=owner_username)
        program = programs.first()
        if program is None or Form.objects.filter(program=program).exists():
            continue
        form = services.form_create(actor=admin, program=program)
        questions = list(form.questions.all())
        places = (
            windows.invitations(form, Session.objects.filter(program=program, status="held"))
            .select_related("session", "person")
            .order_by("session__starts_at")
        )
        seen = set()
        recent = timezone.now() - timedelta(days=RECENT_UNANSWERED_DAYS)
        for place in places:
            if rng.random() > 0.85:
                continue
            if place.person.username in DEMO_USERNAMES and place.session.starts_at > recent:
                # The demo accounts have feedback on their latest sessions still to give.
                continue
            period = windows.period_for(form, place.session)
            if (period.pk, place.person_id) in seen:
                continue
            seen.add((period.pk, place.person_id))
            Participant.objects.filter(pk=place.pk).update(
                submitted_on=place.session.starts_at.date()
            )
            response = Response.objects.create(
                form=form,
                period=period,
                manager_id=place.person.manager_id,
                department_id=place.person.department_id,
            )
            rows = []
            for question in questions:
                common = {
                    "response": response,
                    "question": question,
                    "form": form,
                    "period": period,
                    "manager_id": response.manager_id,
                    "department_id": response.department_id,
                }
                if question.kind == "text":
                    if rng.random() < 0.3:
                        rows.append(Answer(text=rng.choice(COMMENTS), **common))
                    continue
                rows.append(Answer(value=max(1, min(5, round(rng.gauss(4.1, 0.7)))), **common))
            Answer.objects.bulk_create(rows)
            written += len(rows)
    return written


def demo_feedback_load(*, stdout: TextIO | None = None) -> bool:
    """Add survey history to the demo organisation, once; return whether it did."""
    pulse = Program.objects.filter(practice="EE3", name="Monthly engagement pulse").first()
    if pulse is None or Form.objects.filter(program=pulse).exists():
        return False
    rng = random.Random(SEED)
    admin = pulse.owner
    people = list(pulse.audience_members().filter(is_active=True, manager__isnull=False))
    with transaction.atomic():
        form = services.form_create(actor=admin, program=pulse, template="pulse")
        windows = [_window(pulse, start, 10) for start in _month_starts(pulse, MONTHS)]
        written = _generate(form, windows, people, rng)
        _action_plan(form, windows)
        upward_program = engagement_services.program_create(
            actor=admin,
            practice="EE3",
            name="Upward feedback",
            owner=admin,
            description="Twice a year each team rates its manager on the four leadership "
            "principles and the characteristics that carry them out.",
            starts_on=timezone.localdate().replace(day=1) - timedelta(days=365),
            time_zone=pulse.time_zone,
            rrule="FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=1",
            config={**pulse.config, "window_days": 14},
            audience_kind=pulse.audience_kind,
        )
        upward = services.form_create(actor=admin, program=upward_program, template="upward")
        upward_windows = [
            _window(upward_program, start, 14) for start in _month_starts(upward_program, 12, 6)
        ]
        written += _generate(upward, upward_windows, people, rng, upward=True)
        written += _after_sessions(rng, admin)
        written += _answer_open_window(form, rng)
    # As the hourly job would: the closed windows' anonymous answers are sealed.
    sealed = ballots.seal_closed()
    if stdout is not None:
        stdout.write(
            f"Added survey history: {len(windows)} monthly pulse windows and "
            f"{len(upward_windows)} upward-feedback windows, {written:,} answers, and an "
            "action plan for Shift B, and feedback after the past 1-on-1s and lunch & learn; "
            f"{sealed:,} responses of closed windows sealed.\n"
        )
    return True
