"""Reads behind the feedback pages: which surveys, comments, leadership profiles,
how a manager runs the routines, and the health of the programs below a leader.

Each function runs a fixed number of queries, whatever the size of the team.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from engagement import access, extensions
from engagement.models import Person
from engagement.practices import PRACTICES, Capability, codes
from feedback import anonymity
from feedback.anonymity import complete
from feedback.bank import LEADERSHIP
from feedback.models import Answer, Form, QuestionKind
from feedback.scores import (
    LIKERT_COUNTS,
    Cut,
    Score,
    _score,
    after_session_favourable,
    organisations,
    participation_of_organisations,
    percent,
    team_q,
)
from feedback.windows import column, windows_of
from scheduling.models import Participant, ParticipantRole, Session, SessionKind, SessionStatus

RECENT_DAYS = 90
# What a practice's row of program health reads for a field a registered measure gives
# nothing for (no session rated enough, say): a count is 0, a figure None. The health
# table shows these fields (``feedback.tables.HealthTable``).
UNMEASURED = {"ratings": 0}


def recorded_submissions() -> tuple[str, ...]:
    """Practices whose submissions are recorded so far (the surveys); the others have no
    "on time" yet."""
    return codes(capability=Capability.SURVEY)


def survey_forms(viewer: Person):
    """Survey forms of the programs the viewer may see, busiest first."""
    return (
        Form.objects.filter(program__in=access.programs_visible_to(viewer).values("pk"))
        .select_related("program")
        .annotate(leadership=Count("questions", filter=Q(questions__driver=LEADERSHIP)))
        .order_by("program__name")
    )


def pick(forms, program_pk: str | None, *, upward: bool = False):
    """The chosen survey, or the first engagement survey (or upward-feedback one), or
    else the first feedback after sessions."""
    forms = list(forms)
    if program_pk:
        chosen = next((f for f in forms if str(f.program_id) == program_pk), None)
        if chosen is not None:
            return chosen
    surveys = [f for f in forms if not f.after_sessions]
    chosen = next((f for f in surveys if bool(f.leadership) == upward), None)
    if chosen is None and not upward:
        chosen = next(iter(forms), None)
    return chosen


def comments(form: Form, window: Session, cut: Cut, driver: str = "") -> list[str]:
    """Free-text answers of a cut the anonymity engine shows comments for (the caller
    asks it, with the comment minimum).

    Ordered by their random key: neither time nor author orders them.
    """
    answers = Answer.objects.filter(
        cut.q, form=form, question__kind=QuestionKind.TEXT, **{column(form): window.pk}
    ).exclude(text="")
    if driver:
        answers = answers.filter(question__driver=driver)
    return list(answers.order_by("id").values_list("text", flat=True)[:200])


def leadership_profile(form: Form, window: Session, manager: Person) -> dict[str, Score] | None:
    """LP and LC scores the manager's direct reports gave, when the anonymity engine shows
    the direct team; a principle or characteristic only when every respondent gave it."""
    shown = anonymity.disclosure(form, [window.pk])
    if not shown.shows(window.pk, anonymity.team(manager.pk)):
        return None
    respondents = shown.size(window.pk, anonymity.team(manager.pk))
    rows = (
        Answer.objects.filter(
            team_q(manager.pk), form=form, window=window, question__driver=LEADERSHIP
        )
        .exclude(question__code="")
        .values("question__code")
        .annotate(**LIKERT_COUNTS)
    )
    # An optional characteristic some skipped is left out (the engine's rule for drivers).
    return {row["question__code"]: _score(row) for row in rows if row["people"] == respondents}


# Labels of the routines feedback counts itself (scheduling data); the others are the
# measures the apps register (``extensions.measure("manager", ...)``).
ONE_ON_ONES = "1-on-1s held"
SUBMISSIONS = "Surveys answered on time"


def managing(manager: Person, *, now=None) -> dict[str, tuple[int, int]]:
    """How the manager runs the routines over the last 90 days, as (done, due) pairs:
    1-on-1s held, then each registered manager measure (by name), then surveys
    answered on time. A routine no app measures is absent."""
    now = now or timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    one_on_ones = Session.objects.one_on_ones_due(host=manager, now=now).held_of_due()
    submissions = Participant.objects.filter(
        person__manager=manager,
        role=ParticipantRole.SUBMITTER,
        session__program__practice__in=recorded_submissions(),
        session__due_at__gte=since,
        session__due_at__lt=now,
    ).aggregate(
        due=Count("id"),
        on_time=Count(
            "id", filter=Q(submitted_on__isnull=False, submitted_on__lte=F("session__due_at__date"))
        ),
    )
    return {
        "one_on_ones": one_on_ones,
        **{m.name: m.compute(manager, since, now) for m in extensions.measures_for("manager")},
        "submissions": (submissions["on_time"], submissions["due"]),
    }


def managing_labels() -> dict[str, str]:
    """The label of each routine ``managing`` counts, in its order."""
    return {
        "one_on_ones": ONE_ON_ONES,
        **{m.name: m.label for m in extensions.measures_for("manager")},
        "submissions": SUBMISSIONS,
    }


def program_health(leader: Person, *, now=None) -> list[dict]:
    """Per practice, for sessions of the last 90 days with someone of the leader's
    organisation in them: held against planned, submissions on time, the fields of
    each registered practice measure (the meetings app's ratings: ``rating`` and
    ``ratings``), and feedback after sessions. A field no app measures is absent; a
    measure's field for a practice it returns nothing for reads ``UNMEASURED``."""
    now = now or timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    org = Person.objects.below(leader).values("pk")
    in_scope = Participant.objects.filter(Q(person=leader) | Q(person__in=org)).values("session")
    recent = Session.objects.filter(pk__in=in_scope, starts_at__gte=since, starts_at__lt=now)
    meetings = {
        row["program__practice"]: row
        for row in recent.filter(kind=SessionKind.MEETING)
        .exclude(status=SessionStatus.CANCELLED)
        .values("program__practice")
        .annotate(planned=Count("id"), held=Count("id", filter=Q(status=SessionStatus.HELD)))
    }
    submissions = {
        row["session__program__practice"]: row
        for row in Participant.objects.filter(
            Q(person=leader) | Q(person__in=org),
            role=ParticipantRole.SUBMITTER,
            session__due_at__gte=since,
            session__due_at__lt=now,
            session__program__practice__in=recorded_submissions(),
        )
        .values("session__program__practice")
        .annotate(
            due=Count("id"),
            on_time=Count(
                "id",
                filter=Q(submitted_on__isnull=False, submitted_on__lte=F("session__due_at__date")),
            ),
        )
    }
    measured = [
        (m.fields, m.compute(recent, since, now)) for m in extensions.measures_for("practice")
    ]
    feedback = after_session_favourable(leader, since, now)
    rows = []
    for practice in PRACTICES:
        meeting = meetings.get(practice.code, {})
        submission = submissions.get(practice.code, {})
        heard = feedback.get(practice.code, {})
        row = {
            "practice": practice,
            "planned": meeting.get("planned", 0),
            "held": meeting.get("held", 0),
            "due": submission.get("due", 0),
            "on_time": submission.get("on_time", 0),
        }
        for fields, figures in measured:
            given = figures.get(practice.code, {})
            row.update({name: given.get(name, UNMEASURED.get(name)) for name in fields})
        row["feedback"] = heard.get("favourable_pct")
        row["feedback_responses"] = heard.get("responses", 0)
        rows.append(row)
    return rows


def asks_feedback(program) -> bool:
    """Whether the program asks feedback after its sessions with questions of its own
    (the meetings app then takes no 1-5 rating, so that nobody is asked twice)."""
    return Form.objects.filter(program=program, questions__isnull=False).exists()


def managers_below(leader: Person, *, now=None) -> list[dict] | None:
    """Each manager below ``leader`` with their organisation's engagement and
    participation in the latest window of the main survey, and how they run the
    routines over the last 90 days (1-on-1s held, then each registered manager measure
    that counts many managers at once). A fixed number of queries, whatever the number
    of managers; None when nobody below manages anyone.

    Engagement and participation are given only where the anonymity engine shows the
    manager's organisation, as that manager's results page would; elsewhere they are
    None and ``hidden`` is true.
    """
    now = now or timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    managers = list(
        Person.objects.active()
        .below(leader)
        .managers()
        .select_related("department")
        .with_report_count()
        .order_by("last_name", "first_name")
    )
    if not managers:
        return None
    ids = [m.pk for m in managers]
    one_on_ones = Session.objects.one_on_ones_held_by_host(hosts=ids, now=now)
    measured = [
        (m.name, m.many(ids, since, now)) for m in extensions.measures_for("manager") if m.many
    ]
    survey = pick(survey_forms(leader), None)
    window = None
    if survey is not None and not survey.after_sessions:
        window = next(iter(windows_of(survey, now=now)[-1:]), None)
    engagement, invited, shown = {}, {}, None
    if window is not None:
        shown = anonymity.disclosure(survey, [window.pk])
        engagement = organisations(survey, window, ids)
        invited = participation_of_organisations(window, ids)
    rows = []
    for manager in managers:
        row = {
            "manager": manager,
            "reports": manager.report_count,
            "engagement": None,
            "participation": None,
            "hidden": False,
            "results_url": _results_url(manager.pk, survey),
            "routines": {"one_on_ones": one_on_ones.get(manager.pk, (0, 0))},
        }
        for name, figures in measured:
            row["routines"][name] = figures.get(manager.pk, (0, 0))
        if shown is not None:
            key = anonymity.org(manager.pk)
            respondents = shown.size(window.pk, key)
            visible = shown.shows(window.pk, key) and respondents >= survey.min_group_size
            asked, answered = invited.get(manager.pk, (0, 0))
            row["hidden"] = bool(asked) and not visible
            if visible:
                score = engagement.get(manager.pk)
                row["engagement"] = score.favourable_pct if complete(score, respondents) else None
                row["participation"] = percent(answered, asked)
        rows.append(row)
    return rows


def _results_url(manager_pk: int, survey: Form | None) -> str:
    url = reverse("feedback:results", args=[manager_pk])
    return url + (f"?survey={survey.program_id}" if survey is not None else "")
