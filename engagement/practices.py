"""The catalog of the seventeen engagement practices, EE1 to EE17.

Practices are code, not rows: their codes and names are how the organisation
talks about them, and each carries the mechanism it runs on, a default
schedule and the configuration its programs need. A program stores its
practice's code and a configuration dictionary validated against the
practice's ``config_fields``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError

from engagement import recurrence
from engagement.validators import too_long

# The fewest people any figure drawn from their answers or ratings is shown for, unless
# a program sets more (never fewer than 3): the feedback surveys' default, and the raters
# a session needs before its ratings count in program health.
DEFAULT_MIN_GROUP = 5


class Mechanism(StrEnum):
    MEETING = "meeting"
    SUBMISSION = "submission"
    RECOGNITION = "recognition"
    PUBLICATION = "publication"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Cadence(StrEnum):
    """Schedule presets offered on the program form, each an RFC 5545 RRULE."""

    ONCE = "once"
    DAILY_WORKDAYS = "daily_workdays"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return CADENCE_LABELS[self]

    @property
    def rrule(self) -> str:
        return CADENCE_RRULES.get(self, "")

    @classmethod
    def for_rrule(cls, rrule: str) -> Cadence:
        for cadence, rule in CADENCE_RRULES.items():
            if rule == rrule:
                return cadence
        return cls.CUSTOM


CADENCE_LABELS = {
    Cadence.ONCE: "Once (no repetition)",
    Cadence.DAILY_WORKDAYS: "Daily on workdays (Monday to Friday)",
    Cadence.WEEKLY: "Weekly",
    Cadence.BIWEEKLY: "Every two weeks",
    Cadence.MONTHLY: "Monthly",
    Cadence.QUARTERLY: "Quarterly",
    Cadence.YEARLY: "Yearly",
    Cadence.CUSTOM: "Custom rule (RFC 5545 RRULE)",
}

CADENCE_RRULES = {
    Cadence.ONCE: "",
    Cadence.DAILY_WORKDAYS: "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
    Cadence.WEEKLY: "FREQ=WEEKLY",
    Cadence.BIWEEKLY: "FREQ=WEEKLY;INTERVAL=2",
    Cadence.MONTHLY: "FREQ=MONTHLY",
    Cadence.QUARTERLY: "FREQ=MONTHLY;INTERVAL=3",
    Cadence.YEARLY: "FREQ=YEARLY",
}


@dataclass(frozen=True)
class ConfigField:
    """One setting a program of a practice carries, with its default."""

    name: str
    label: str
    kind: str  # "int", "bool", "text", "lines" or "slots" (lines of a weekday and a time)
    default: object
    help_text: str = ""
    min_value: int | None = None
    max_value: int | None = None
    max_length: int = 4000
    # For "lines": the longest one line may be (a question stored with each answer).
    line_max_length: int | None = None

    def clean(self, value: object) -> object:
        """Return the value in its stored form, or raise ValidationError."""
        if self.kind == "int":
            if value in (None, ""):
                raise ValidationError("This setting is required.")
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise ValidationError("Enter a whole number.") from None
            if self.min_value is not None and number < self.min_value:
                raise ValidationError(f"{self.label} must be at least {self.min_value}.")
            if self.max_value is not None and number > self.max_value:
                raise ValidationError(f"{self.label} must be at most {self.max_value}.")
            return number
        if self.kind == "bool":
            if isinstance(value, str):
                return value.strip().lower() in {"1", "true", "on", "yes"}
            return bool(value)
        text = "" if value is None else str(value).strip()
        if len(text) > self.max_length:
            raise ValidationError(too_long(self.max_length, len(text)))
        if self.kind == "slots":
            recurrence.parse_slots(text)
        if self.kind in ("lines", "slots"):
            lines = [line.rstrip() for line in text.splitlines() if line.strip()]
            limit = self.line_max_length
            for number, line in enumerate(lines, start=1):
                if limit is not None and len(line.strip()) > limit:
                    raise ValidationError(f"Line {number}: {too_long(limit, len(line.strip()))}")
            return "\n".join(lines)
        return text


class Gathering(StrEnum):
    """Whom a practice's sessions bring together: the planner asks this to choose
    participants, and to mark the sessions of a private gathering private (the
    session's columns, which access reads)."""

    PAIRS = "pairs"  # each manager with each direct report, private to the two
    SKIP_LEVELS = "skip_levels"  # the leader with each person two or more levels down
    TEAMS = "teams"  # each manager with their whole team
    COUNCIL = "council"  # the owner with the members serving that day
    LIAISONS = "liaisons"  # the departments' named liaisons
    ROUND_TABLE = "round_table"  # a small group drawn from different teams
    SIGN_UP = "sign_up"  # the owner hosts; people sign up up to a capacity
    AUDIENCE = "audience"  # the owner with the whole audience
    SUBMITTERS = "submitters"  # periods: everyone in the audience owes something
    NOBODY = "nobody"  # periods that nobody owes (published, nominated)

    @property
    def private(self) -> bool:
        """One person meeting one other: when, with whom and what was said stay theirs."""
        return self in (Gathering.PAIRS, Gathering.SKIP_LEVELS)


class Due(StrEnum):
    """When a period's submissions are due."""

    NONE = "none"
    AFTER_PERIOD = "after_period"  # ``due_offset_days`` after the period it reports on
    AFTER_START = "after_start"  # ``due_offset_days`` after the period opens
    WINDOW = "window"  # a survey window of ``window_days``
    BEFORE_END = "before_end"  # nominations close ``nominations_close_days`` before the end


class Capability(StrEnum):
    """What a practice's programs can do beyond their mechanism; pages, services and
    the planner ask for a capability, never for a practice code."""

    DECISIONS = "decisions"  # the meeting records decisions
    PROPOSALS = "proposals"  # anyone in the audience brings proposals to decide
    ROUND_TABLE_TOPICS = "round_table_topics"  # invitees raise topics beforehand
    INTERVIEW = "interview"  # a skip-level's configured questions and themes
    MOOD_CHECKIN = "mood_checkin"  # each side's mood, 1 to 5
    HUDDLE = "huddle"  # a daily huddle's WHY, focus and moods in one go
    SHARED_ACTIONS = "shared_actions"  # an action has an owner on each side
    RSVP = "rsvp"  # yes, maybe or no, with a seat when there is one
    SIGN_UP = "sign_up"  # people sign themselves up
    LEARNING_TOPICS = "learning_topics"  # topics proposed, voted on and scheduled
    RATE_SESSION = "rate_session"  # participants rate the session
    RATE_DEPARTMENTS = "rate_departments"  # each department rates the others
    SURVEY = "survey"  # periods are survey windows with their own questions


@dataclass(frozen=True)
class AfterSession:
    """The short form a practice's participants are asked after each session: its
    title and the keys of its questions in the feedback bank."""

    title: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Practice:
    code: str
    name: str
    mechanism: Mechanism
    purpose: str
    participants: str
    cadence: Cadence
    cadence_note: str
    duration_minutes: int
    config_fields: tuple[ConfigField, ...] = field(default=())
    # Whether a meeting's open talking points and action items, and its history,
    # follow it to the next session of its series. False where successive
    # sessions gather different people (a new group, whoever signs up): there
    # each session is a series of its own, so nobody reads or ticks off what
    # another group raised.
    carries_over: bool = True
    gathering: Gathering = Gathering.AUDIENCE
    due: Due = Due.NONE
    capabilities: frozenset[Capability] = frozenset()
    after_session: AfterSession | None = None

    @property
    def number(self) -> int:
        return int(self.code[2:])

    def has(self, capability: Capability) -> bool:
        return capability in self.capabilities

    @property
    def is_private(self) -> bool:
        return self.gathering.private

    @property
    def is_meeting(self) -> bool:
        return self.mechanism == Mechanism.MEETING

    def default_config(self) -> dict:
        return {f.name: f.default for f in self.config_fields}

    def field(self, name: str) -> ConfigField:
        return next(f for f in self.config_fields if f.name == name)

    def clean_config(self, config: dict | None) -> dict:
        """Validate a configuration against this practice.

        Missing settings take the practice's default; unknown keys are
        dropped so that a stale setting cannot linger unseen. Raises one
        ValidationError mapping each bad setting to its message.
        """
        config = config or {}
        cleaned, errors = {}, {}
        for config_field in self.config_fields:
            value = config.get(config_field.name, config_field.default)
            try:
                cleaned[config_field.name] = config_field.clean(value)
            except ValidationError as error:
                errors[config_field.name] = error.messages
        if errors:
            raise ValidationError(errors)
        return cleaned

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def label(self, *, with_code: bool) -> str:
        """The practice as a reader knows it: administrators by code and name ("EE10
        Structured 1-on-1 Meetings"), everyone else by name (``access.sees_practice_codes``)."""
        return str(self) if with_code else self.name


def _reminder(default_hours: int = 24) -> ConfigField:
    return ConfigField(
        "reminder_lead_hours",
        "Reminder lead time (hours)",
        "int",
        default_hours,
        "How long before a session or due date the reminder e-mail goes out. 0 turns it off.",
        min_value=0,
        max_value=24 * 30,
    )


def _agenda(*items: str) -> ConfigField:
    return ConfigField(
        "agenda_template",
        "Agenda template",
        "lines",
        "\n".join(items),
        "One agenda item per line; every session starts from this list.",
        max_length=4000,
    )


def _capacity(default: int) -> ConfigField:
    return ConfigField(
        "capacity",
        "Capacity",
        "int",
        default,
        "Most people who can sign up for one session; later sign-ups join the waitlist.",
        min_value=1,
        max_value=10000,
    )


def _due_offset(default: int, what: str = "the end of each period") -> ConfigField:
    return ConfigField(
        "due_offset_days",
        "Due (days after the period ends)",
        "int",
        default,
        f"Submissions are due this many days after {what}.",
        min_value=0,
        max_value=90,
    )


_OVERDUE_NUDGE = ConfigField(
    "overdue_nudge",
    "Nudge when overdue",
    "bool",
    True,
    "Send one reminder the day after a missed due date.",
)

_ACKNOWLEDGE = ConfigField(
    "require_acknowledgement",
    "Ask readers to acknowledge",
    "bool",
    True,
    "Readers confirm they have read it; the read rate counts acknowledgements.",
)

_SKIP_LEVEL_QUESTIONS = (
    "What is going well for you and your team right now?",
    "What gets in the way of doing your best work?",
    "How well do you understand where the organisation is heading and why?",
    "What support do you get from your manager, and what would help more?",
    "What is one thing you would change if you were in my role?",
    "Is there anything you have not felt able to raise elsewhere?",
)

PRACTICES: tuple[Practice, ...] = (
    Practice(
        "EE1",
        "Employee Development",
        Mechanism.SUBMISSION,
        "Every employee has a development plan with goals, skills, training and milestones, "
        "agreed with their manager and checked regularly.",
        "Employee and manager",
        Cadence.QUARTERLY,
        "Plan yearly, check-in monthly or quarterly",
        30,
        (
            _due_offset(14, "each check-in"),
            ConfigField(
                "plan_review_months",
                "Full plan review (months)",
                "int",
                12,
                "How often the whole plan is rewritten rather than checked.",
                min_value=1,
                max_value=36,
            ),
            _reminder(72),
            _OVERDUE_NUDGE,
        ),
        gathering=Gathering.SUBMITTERS,
        due=Due.AFTER_START,
    ),
    Practice(
        "EE2",
        "Communications",
        Mechanism.PUBLICATION,
        "Leaders and HR keep people informed with announcements and a regular newsletter.",
        "Leaders and HR to an audience",
        Cadence.MONTHLY,
        "As needed; newsletter monthly",
        0,
        (_ACKNOWLEDGE,),
        gathering=Gathering.NOBODY,
    ),
    Practice(
        "EE3",
        "Employee/Manager Feedback Programs",
        Mechanism.SUBMISSION,
        "Surveys and upward feedback measure engagement, eNPS and drivers per team over time.",
        "Everyone",
        Cadence.MONTHLY,
        "Pulse monthly or quarterly; annual census",
        0,
        (
            ConfigField(
                "window_days",
                "Survey window (days)",
                "int",
                10,
                "How long each survey stays open for answers.",
                min_value=1,
                max_value=60,
            ),
            ConfigField(
                "anonymous",
                "Anonymous responses",
                "bool",
                True,
                "Answers are stored apart from who responded and can never be traced back.",
            ),
            ConfigField(
                "min_group_size",
                "Minimum group size",
                "int",
                5,
                "No result is shown for a group with fewer responses than this (never below 3). "
                "Fixed once the first window opens.",
                min_value=3,
                max_value=50,
            ),
            ConfigField(
                "comment_min_group_size",
                "Minimum group size for comments",
                "int",
                5,
                "Comments are shown only for groups with at least this many responses (and never "
                "fewer than the minimum group size).",
                min_value=3,
                max_value=50,
            ),
            _reminder(48),
        ),
        gathering=Gathering.SUBMITTERS,
        due=Due.WINDOW,
        capabilities=frozenset({Capability.SURVEY}),
    ),
    Practice(
        "EE4",
        "Monthly Accomplishments",
        Mechanism.SUBMISSION,
        "Each employee records the month's accomplishments; the manager acknowledges them.",
        "Every employee, reviewed by the manager",
        Cadence.MONTHLY,
        "Monthly, due a few days after month end",
        0,
        (_due_offset(3), _reminder(48), _OVERDUE_NUDGE),
        gathering=Gathering.SUBMITTERS,
        due=Due.AFTER_PERIOD,
    ),
    Practice(
        "EE5",
        "Employee Council",
        Mechanism.MEETING,
        "Elected or appointed employees raise and decide proposals with a sponsoring leader.",
        "Council members with a sponsoring leader",
        Cadence.MONTHLY,
        "Monthly",
        60,
        (
            _agenda(
                "Actions from last meeting",
                "New proposals",
                "Proposals under review",
                "Updates from the sponsor",
            ),
            ConfigField(
                "term_months",
                "Member term (months)",
                "int",
                12,
                "How long a council member serves before re-election or rotation.",
                min_value=1,
                max_value=48,
            ),
            _reminder(),
        ),
        gathering=Gathering.COUNCIL,
        capabilities=frozenset({Capability.DECISIONS, Capability.PROPOSALS}),
    ),
    Practice(
        "EE6",
        "Employee Social Events",
        Mechanism.MEETING,
        "Social events that bring people together, with RSVP, capacity and a waitlist.",
        "Anyone invited",
        Cadence.QUARTERLY,
        "As planned",
        120,
        (
            _capacity(60),
            ConfigField(
                "location",
                "Place",
                "text",
                "",
                "Where the event takes place.",
                max_length=200,
            ),
            _reminder(),
        ),
        carries_over=False,
        gathering=Gathering.SIGN_UP,
        capabilities=frozenset({Capability.RSVP}),
    ),
    Practice(
        "EE7",
        "Awards & Recognition Program",
        Mechanism.RECOGNITION,
        "Employees nominate peers; a committee or leader decides awards; kudos any time.",
        "Employees nominate peers; a committee or leader decides",
        Cadence.QUARTERLY,
        "Kudos any time; awards monthly or quarterly",
        0,
        (
            ConfigField(
                "award_categories",
                "Award categories",
                "lines",
                "Customer hero\nTeam player\nInnovation\nLiving our values",
                "One category per line.",
                max_length=2000,
            ),
            ConfigField(
                "nominations_close_days",
                "Nominations close (days before period end)",
                "int",
                7,
                "Leaves the committee time to decide.",
                min_value=0,
                max_value=60,
            ),
        ),
        gathering=Gathering.NOBODY,
        due=Due.BEFORE_END,
    ),
    Practice(
        "EE8",
        "Round Table Discussions with Sr. Leaders",
        Mechanism.MEETING,
        "A senior leader meets a small group from different teams; topics come in beforehand.",
        "A senior leader with a small group of employees from different teams",
        Cadence.MONTHLY,
        "Monthly",
        60,
        (
            ConfigField(
                "group_size",
                "Group size",
                "int",
                8,
                "How many employees are invited to each round table.",
                min_value=2,
                max_value=30,
            ),
            ConfigField(
                "anonymous_topics",
                "Allow anonymous topics",
                "bool",
                True,
                "Invitees may submit topics that nobody can trace back to them.",
            ),
            _agenda("Welcome and context", "Submitted topics, most votes first", "Open floor"),
            _reminder(),
        ),
        carries_over=False,
        gathering=Gathering.ROUND_TABLE,
        capabilities=frozenset({Capability.ROUND_TABLE_TOPICS}),
    ),
    Practice(
        "EE9",
        "Skip Level Interviews with Sr. Leaders",
        Mechanism.MEETING,
        "A senior leader meets every employee two or more levels down, confidentially.",
        "A senior leader with an employee two or more levels down",
        Cadence.WEEKLY,
        "Every employee once or twice a year, spread across the year",
        30,
        (
            ConfigField(
                "questions",
                "Questions",
                "lines",
                "\n".join(_SKIP_LEVEL_QUESTIONS),
                "One question per line, asked in every interview.",
                max_length=4000,
                line_max_length=300,
            ),
            ConfigField(
                "rotation_months",
                "Meet everyone every (months)",
                "int",
                12,
                "Each eligible employee is met once in this period.",
                min_value=1,
                max_value=36,
            ),
            _reminder(),
        ),
        gathering=Gathering.SKIP_LEVELS,
        capabilities=frozenset({Capability.INTERVIEW}),
    ),
    Practice(
        "EE10",
        "Structured 1-on-1 Meetings",
        Mechanism.MEETING,
        "A manager meets each direct report with an agenda both prepare; points carry over.",
        "A manager with each direct report",
        Cadence.BIWEEKLY,
        "Weekly or every two weeks",
        30,
        (
            _agenda(
                "How are you? (mood check-in)",
                "Wins since last time",
                "Priorities and blockers",
                "Growth and development",
                "Feedback both ways",
            ),
            ConfigField(
                "mood_checkin",
                "Mood check-in",
                "bool",
                True,
                "Ask both sides for a mood from 1 to 5 each session.",
            ),
            ConfigField(
                "slots",
                "Times for 1-on-1s",
                "slots",
                "",
                "Optional: the weekly times the manager keeps for 1-on-1s, one a line, such as "
                "“Tuesday 10:00”. Each period (from one scheduled start to the next) spreads "
                "its 1-on-1s over these; left empty, over its working days at the start time.",
                max_length=500,
            ),
            _reminder(),
        ),
        gathering=Gathering.PAIRS,
        capabilities=frozenset({Capability.MOOD_CHECKIN}),
        after_session=AfterSession(
            "Pulse after 1-on-1s", ("one_time", "one_steps", "one_heard", "comment")
        ),
    ),
    Practice(
        "EE11",
        "Structured Team Meetings",
        Mechanism.MEETING,
        "A manager runs a regular team meeting with agenda, minutes, decisions and actions.",
        "A manager with the whole team",
        Cadence.WEEKLY,
        "Weekly",
        45,
        (
            _agenda(
                "Review of last week's action items",
                "Metrics and scorecard",
                "Updates from around the team",
                "Decisions needed",
                "New action items",
            ),
            _reminder(),
        ),
        gathering=Gathering.TEAMS,
        capabilities=frozenset({Capability.DECISIONS}),
    ),
    Practice(
        "EE12",
        "Pre-Shift Process / Daily WHY",
        Mechanism.MEETING,
        "A few minutes before each shift: why today's work matters, the focus, a mood tap.",
        "A supervisor with the shift or team",
        Cadence.DAILY_WORKDAYS,
        "Every working day, a few minutes",
        10,
        (
            _agenda("Today's WHY", "Focus items", "Safety and quality reminders"),
            _reminder(0),
        ),
        gathering=Gathering.TEAMS,
        capabilities=frozenset({Capability.HUDDLE}),
    ),
    Practice(
        "EE13",
        "Weekly Scorecard / Monthly Operational Reports",
        Mechanism.SUBMISSION,
        "Managers report metrics against targets weekly, rolled into a monthly report.",
        "A manager for the team",
        Cadence.WEEKLY,
        "Scorecard weekly, report monthly",
        0,
        (
            _due_offset(1),
            ConfigField(
                "metrics",
                "Metrics",
                "lines",
                "On-time delivery %\nCustomer satisfaction\nSafety incidents\nOpen backlog",
                "One metric per line; targets are set per team.",
                max_length=2000,
            ),
            _reminder(24),
            _OVERDUE_NUDGE,
        ),
        gathering=Gathering.SUBMITTERS,
        due=Due.AFTER_PERIOD,
    ),
    Practice(
        "EE14",
        "Inter-Department Management",
        Mechanism.MEETING,
        "Liaisons of two or more departments meet, share actions and rate each other's service.",
        "Managers or liaisons of two or more departments",
        Cadence.MONTHLY,
        "Monthly",
        60,
        (
            _agenda(
                "Open shared action items",
                "What is working between us",
                "What is getting in the way",
                "Service ratings",
            ),
            _reminder(),
        ),
        gathering=Gathering.LIAISONS,
        capabilities=frozenset({Capability.SHARED_ACTIONS, Capability.RATE_DEPARTMENTS}),
        after_session=AfterSession(
            "Inter-department feedback", ("inter_understood", "inter_actions", "comment")
        ),
    ),
    Practice(
        "EE15",
        "Employee Lunch & Learns",
        Mechanism.MEETING,
        "A colleague presents a topic over lunch to those who sign up.",
        "A presenter and those who sign up",
        Cadence.MONTHLY,
        "Monthly",
        60,
        (
            _capacity(25),
            ConfigField(
                "location",
                "Place",
                "text",
                "",
                "Room or link for the session.",
                max_length=200,
            ),
            _reminder(),
        ),
        carries_over=False,
        gathering=Gathering.SIGN_UP,
        capabilities=frozenset(
            {Capability.SIGN_UP, Capability.LEARNING_TOPICS, Capability.RATE_SESSION}
        ),
        after_session=AfterSession(
            "Lunch & learn feedback", ("learn_worth", "learn_use", "comment")
        ),
    ),
    Practice(
        "EE16",
        "Employee Roles & Responsibilities",
        Mechanism.PUBLICATION,
        "Role descriptions are published and each holder acknowledges the current version.",
        "HR or the manager publishes; the employee acknowledges",
        Cadence.YEARLY,
        "When a role changes; yearly review",
        0,
        (_ACKNOWLEDGE, _due_offset(14, "a new version is published"), _reminder(72)),
        gathering=Gathering.SUBMITTERS,
        due=Due.AFTER_START,
    ),
    Practice(
        "EE17",
        "Employee Performance Reviews Management",
        Mechanism.SUBMISSION,
        "Review cycles with self, manager and peer reviews, ratings and sign-off by both.",
        "Employee, manager and chosen peers",
        Cadence.YEARLY,
        "Yearly or twice a year",
        60,
        (
            _due_offset(21, "each cycle opens"),
            ConfigField(
                "peer_reviewers",
                "Peer reviewers per employee",
                "int",
                2,
                "How many peers each employee chooses to review them.",
                min_value=0,
                max_value=10,
            ),
            _reminder(72),
            _OVERDUE_NUDGE,
        ),
        gathering=Gathering.SUBMITTERS,
        due=Due.AFTER_START,
    ),
)

_BY_CODE = {practice.code: practice for practice in PRACTICES}

PRACTICE_CHOICES = [(p.code, f"{p.code} {p.name}") for p in PRACTICES]


def get_practice(code: str) -> Practice:
    """Return the practice with this code, or raise LookupError."""
    try:
        return _BY_CODE[code.upper()]
    except KeyError:
        raise LookupError(f"No practice with code {code!r}.") from None


def codes(
    *,
    capability: Capability | None = None,
    gathering: Gathering | None = None,
    mechanism: Mechanism | None = None,
    private: bool | None = None,
    after_session: bool | None = None,
) -> tuple[str, ...]:
    """The codes of the practices that match every condition given, for a database
    filter (``program__practice__in=codes(capability=Capability.SURVEY)``)."""
    return tuple(
        p.code
        for p in PRACTICES
        if (capability is None or p.has(capability))
        and (gathering is None or p.gathering == gathering)
        and (mechanism is None or p.mechanism == mechanism)
        and (private is None or p.is_private == private)
        and (after_session is None or (p.after_session is not None) == after_session)
    )
