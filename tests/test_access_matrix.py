"""The role matrix: every route of the product, for every role, gives the expected
GET status and, for a POST, either makes its change or is refused with nothing changed.

Routes come from the URL resolver (tests/routes.py): a route without a row fails
``test_every_route_has_a_row``, so a new page cannot ship without saying who may open
it. The records each row works on are built once (tests/world.py). Columns:

    employee   reports to the manager
    manager    runs the team's 1-on-1s, meetings, huddle and council
    leader     a senior leader above the manager (runs skip-levels and round tables)
    hr         an HR administrator (runs the lunch & learns, social event and survey)
    colleague  the employee's teammate, who serves on the council
    outsider   an unrelated colleague in another department
    peer       a peer manager under the same leader
    superuser  an operator account (superuser, staff), outside the organisation chart
    anonymous  nobody signed in: sent to sign in, nothing changed

GET cells: a status, or ``to(prefix)`` for a redirect there. POST cells: ``OK`` (the
change happens), ``NO`` (let in, refused with a message or the form again, nothing
changed), or the status of a refusal (403, 404) with nothing changed. Rules come from
the apps' access modules and ../shared/PRACTICES.md ("Privacy that the practices
need"); where the code departs from the privacy rules the row says what the rules
require and the cell is marked ``xfail(strict=True)`` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import constants
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.routes import project_routes
from tests.world import build_world

ROLES = (
    "employee",
    "manager",
    "leader",
    "hr",
    "colleague",
    "outsider",
    "peer",
    "superuser",
    "anonymous",
)
PROJECT_APPS = ("engagement", "scheduling", "meetings", "feedback")


@dataclass(frozen=True)
class Redirect:
    prefix: str

    def __repr__(self) -> str:
        return f"to({self.prefix!r})"


def to(prefix: str) -> Redirect:
    return Redirect(prefix)


LOGIN = to("/accounts/login/")
OK = "OK"  # the POST makes its change
NO = "NO"  # let in, refused with a message or the form again; nothing changed


@dataclass(frozen=True)
class Row:
    name: str  # the URL name, "namespace:name"
    on: str | None  # the world's record the route works on (None: no path parameter)
    get: tuple  # one cell per role, in ROLES order
    post: tuple | None = None  # one cell per role; None: GET only
    data: object = None  # the POST's data: a dict, or a function (world, person) -> dict
    xfail: dict = field(default_factory=dict)  # (method, role) -> reason
    query: str = ""  # a query string, e.g. "?_export=csv"

    @property
    def id(self) -> str:
        return f"{self.name}[{self.on or '-'}{self.query}]"


def _all(cell, anonymous=LOGIN) -> tuple:
    return (cell,) * 8 + (anonymous,)


POST_ONLY = _all(405)  # a GET to a POST-only route; anonymous visitors sign in first


# Path parameters -------------------------------------------------------------------


def _kwargs(route_params: tuple, on: str | None, world: dict) -> dict:
    """The route's path parameters: the world's record ``on`` for the main one, the
    world's only record of its kind for the others."""
    record = world[on] if on is not None else None
    employee = world["people"]["employee"]
    values = {}
    for param in route_params:
        if param in ("pk", "program_pk", "manager_pk"):
            values[param] = record.pk
        elif param == "code":
            values[param] = world["one_on_ones"].practice
        elif param == "member_pk":
            values[param] = world["member"].pk
        elif param == "point_id":
            values[param] = world["point"].pk
        elif param == "item_id":
            values[param] = world["action"].pk
        elif param == "topic_id":
            values[param] = world["topic"].pk
        elif param == "topic_pk":
            topic = world["learning_topic"]
            if record is not None and record.pk != topic.program_id:
                topic = record.learning_topics.get()
            values[param] = topic.pk
        elif param == "question_pk":
            values[param] = world["question"].pk
        elif param == "uidb64":
            # The employee's reset or invitation link, as the e-mail carries it.
            values[param] = urlsafe_base64_encode(force_bytes(employee.pk))
        elif param == "token" and "uidb64" in route_params:
            # From the stored person: signing in changes what the token is made of.
            values[param] = default_token_generator.make_token(
                type(employee).objects.get(pk=employee.pk)
            )
        elif param == "token":
            values[param] = world["feed"].token
        else:
            raise AssertionError(f"no value for <{param}>: teach {__name__}._kwargs")
    return values


# POST data ------------------------------------------------------------------------


def _program_form(program, **overrides) -> dict:
    data = {
        "name": program.name,
        "description": program.description,
        "audience_kind": program.audience_kind,
        "audience_manager": program.audience_manager_id or "",
        "audience_include_indirect": "on" if program.audience_include_indirect else "",
        "cadence": "custom",
        "custom_rrule": program.rrule,
        "time_zone": program.time_zone,
        "starts_on": program.starts_on.isoformat(),
        "start_time": program.start_time.strftime("%H:%M"),
        "ends_on": "",
        "duration_minutes": program.duration_minutes,
    }
    for key, value in program.config.items():
        if isinstance(value, bool):
            data[f"config_{key}"] = "on" if value else ""
        else:
            data[f"config_{key}"] = value
    data.update(overrides)
    return data


def _new_program(world, person) -> dict:
    """A 1-on-1 program for the poster's own team (or the manager's, for those without)."""
    own = person.direct_reports.exists()
    program = world["one_on_ones"]
    return _program_form(
        program,
        name="Another 1-on-1 program",
        audience_manager=person.pk if own else world["org"]["manager"].pk,
        **({"owner": person.pk} if not own else {}),
    )


def _future_day(world) -> str:
    return (timezone.localdate() + timedelta(days=9)).isoformat()


def _huddle(world, person) -> dict:
    data = {"why": "Safety first", "focus": "Loading dock"}
    for member in (world["org"]["employee"], world["org"]["colleague"]):
        data[f"present_{member.pk}"] = "on"
        data[f"mood_{member.pk}"] = "4"
    return data


def _answers(world, person) -> dict:
    by_text = {q.text: q.pk for q in world["pulse"].questions.all()}
    return {
        f"q{by_text['Proud']}": "4",
        f"q{by_text['Recognised']}": "4",
        f"q{by_text['Recommend']}": "9",
        f"q{by_text['Comment']}": "",
    }


DATA = {
    "engagement:program_create": _new_program,
    "engagement:program_edit": lambda w, p: _program_form(w["one_on_ones"], name="Renamed"),
    "scheduling:my_settings": {"email_reminders": "", "time_zone": "Europe/London"},
    "scheduling:session_cancel": {"reason": "Away"},
    "scheduling:session_move": lambda w, p: {"starts_on": _future_day(w), "start_time": "15:30"},
    "scheduling:session_rsvp": {"answer": "yes"},
    "meetings:mood": {"mood": "4"},
    "meetings:rate": {"score": "5", "comment": "Useful"},
    "meetings:huddle": _huddle,
    "meetings:skip_level_answers": {"answer_0": "Clear priorities"},
    "meetings:point_add": {"text": "Rota swap"},
    "meetings:note_save": {"save": "shared", "shared-body": "Agreed on the rota"},
    "meetings:action_add": lambda w, p: {"text": "Ask for a quote", "owner": p.pk},
    "meetings:outcome": lambda w, p: {
        "status": "held",
        "attended": [w["org"]["manager"].pk, w["org"]["employee"].pk],
    },
    "meetings:topic_raise": {"text": "Parking"},
    "meetings:topic_answer": {"answer": "Because of the season."},
    "meetings:summary_publish": {"body": "We talked about the rota."},
    "meetings:decision_add": {"text": "Start at eight"},
    "meetings:proposals_discussed": lambda w, p: {"proposals": [w["proposal"].pk]},
    "meetings:proposal_submit": {"title": "Water fountain"},
    "meetings:member_add": lambda w, p: {
        "person": w["org"]["employee"].pk,
        "role": "member",
        "starts_on": timezone.localdate().isoformat(),
    },
    "meetings:proposal_move": {"status": "under_review", "reason": "Looking into it"},
    "meetings:learning_topic_propose": {"title": "Public speaking"},
    "meetings:learning_topic_schedule": lambda w, p: {
        "topic": w["learning_topic"].pk,
        "session": w["lunch"].pk,
        "presenter": w["org"]["colleague"].pk,
    },
    "feedback:answer": _answers,
    "feedback:survey_create": {"template": "pulse"},
    "feedback:question_add": {
        "kind": "likert",
        "text": "New question",
        "driver": "growth",
        "required": "on",
    },
    "feedback:bank_add": {"keys": ["eng_proud"]},  # a question of the bank
    "feedback:section_add": {"title": "About your team"},
    "feedback:question_change": {"action": "up"},
    "feedback:plan_start": lambda w, p: {
        "survey": w["pulse_program"].pk,
        "window": w["unplanned_window"].pk,
    },
    "feedback:plan_summary": {"summary": "What we heard"},
    "feedback:commitment_add": lambda w, p: {
        "driver": "recognition",
        "text": "Monthly thanks",
        "owner": w["org"]["manager"].pk,
        "due_on": _future_day(w),
    },
}


# The rows ----------------------------------------------------------------------------

# fmt: off
S = "/feedback/results/"  # a manager's own results page
# Columns: employee, manager, leader, hr, colleague, outsider, peer, superuser, anonymous.
ROWS = [
    # The organisation: directory basics for everyone; a program for its audience, its
    # owner, those above and HR; programs are changed by HR and their owner.
    Row("engagement:home", None, _all(200)),
    Row("engagement:practice_list", None, _all(200)),
    Row("engagement:practice_detail", None, _all(200)),
    Row("engagement:program_list", None, _all(200)),
    Row("engagement:program_list", None, _all(200), query="?_export=csv"),
    Row("engagement:program_create", None,
        get= (403, 200, 200, 200, 403, 403, 200, 200, LOGIN),
        post=(403, OK,  OK,  OK,  403, 403, OK,  OK,  LOGIN)),
    Row("engagement:program_detail", "one_on_ones",
        get= (200, 200, 200, 200, 200, 404, 404, 200, LOGIN)),
    Row("engagement:program_edit", "one_on_ones",
        get= (403, 200, 403, 200, 403, 404, 404, 200, LOGIN),
        post=(403, OK,  403, OK,  403, 404, 404, OK,  LOGIN)),
    Row("engagement:program_pause", "one_on_ones", POST_ONLY,
        post=(403, OK,  403, OK,  403, 404, 404, OK,  LOGIN)),
    Row("engagement:program_resume", "paused", POST_ONLY,
        post=(403, OK,  403, OK,  403, 404, 404, OK,  LOGIN)),
    Row("engagement:person_list", None, _all(200)),
    Row("engagement:person_list", None, _all(200), query="?_export=csv"),
    Row("engagement:person_detail", "person:employee", _all(200)),
    Row("engagement:person_invite", "person:employee", POST_ONLY,
        post=(403, 403, 403, OK,  403, 403, 403, OK,  LOGIN)),

    # Calendars and settings: one's own; the feed answers whoever holds its secret.
    Row("scheduling:my_calendar", None, _all(200)),
    Row("scheduling:feed_regenerate", None, POST_ONLY, post=_all(OK)),
    Row("scheduling:calendar_feed", "feed", _all(200, anonymous=200)),
    Row("scheduling:my_settings", None, _all(200), post=_all(OK)),

    # Sessions. A 1-on-1 is private to the pair (the manager owns the program); a
    # skip-level to the leader and the employee, the manager in between included; a
    # group session is seen by whoever sees its program.
    Row("scheduling:session_detail", "one_on_one",
        get= (200, 200, 404, 404, 404, 404, 404, 404, LOGIN)),
    Row("scheduling:session_detail", "leaders_one_on_one",  # the leader owns the program
        get= (200, 200, 200, 404, 404, 404, 404, 404, LOGIN)),
    Row("scheduling:session_detail", "skip_level",
        get= (200, 404, 200, 404, 404, 404, 404, 404, LOGIN)),
    Row("scheduling:session_detail", "team_meeting",
        get= (200, 200, 200, 200, 200, 404, 404, 200, LOGIN)),
    Row("scheduling:session_detail", "round_table",
        get= (200, 200, 200, 200, 200, 404, 200, 200, LOGIN)),
    Row("scheduling:session_detail", "window",
        get= (200, 200, 200, 200, 200, 404, 200, 200, LOGIN)),
    Row("scheduling:session_ics", "one_on_one",
        get= (200, 200, 404, 404, 404, 404, 404, 404, LOGIN)),
    Row("scheduling:session_ics", "skip_level",
        get= (200, 404, 200, 404, 404, 404, 404, 404, LOGIN)),
    Row("scheduling:session_ics", "team_meeting",
        get= (200, 200, 200, 200, 200, 404, 404, 200, LOGIN)),
    Row("scheduling:session_cancel", "one_on_one", POST_ONLY,
        post=(403, OK,  404, 404, 404, 404, 404, 404, LOGIN)),
    Row("scheduling:session_cancel", "team_meeting", POST_ONLY,
        post=(403, OK,  403, OK,  403, 404, 404, OK,  LOGIN)),
    Row("scheduling:session_move", "one_on_one", POST_ONLY,
        post=(403, OK,  404, 404, 404, 404, 404, 404, LOGIN)),
    Row("scheduling:session_move", "team_meeting", POST_ONLY,
        post=(403, OK,  403, OK,  403, 404, 404, OK,  LOGIN)),
    # A lunch & learn of Operations: the colleague already has a seat; HR hosts it.
    Row("scheduling:session_sign_up", "lunch", POST_ONLY,
        post=(OK,  OK,  OK,  403, NO,  404, OK,  403, LOGIN)),
    Row("scheduling:session_withdraw", "lunch", POST_ONLY,
        post=(NO,  NO,  NO,  NO,  OK,  404, NO,  NO,  LOGIN)),
    # A social event of Operations, hosted by HR.
    Row("scheduling:session_rsvp", "social", POST_ONLY,
        post=(OK,  OK,  OK,  403, OK,  404, OK,  403, LOGIN)),

    # What happens in a meeting: its people work on it (404 for anyone else); the host
    # and the program's editors record how it went.
    Row("meetings:my_week", None, _all(200)),
    Row("meetings:one_on_ones", None, _all(200)),
    Row("meetings:skip_level_coverage", None, _all(200)),
    Row("meetings:my_actions", None, _all(200)),
    Row("meetings:mood", "one_on_one_past", POST_ONLY,
        post=(OK,  OK,  404, 404, 404, 404, 404, 404, LOGIN)),
    Row("meetings:rate", "lunch_held", POST_ONLY,
        post=(OK,  404, 404, OK,  OK,  404, 404, 404, LOGIN)),
    Row("meetings:huddle", "huddle",
        get= (403, 200, 403, 200, 403, 404, 404, 200, LOGIN),
        post=(403, OK,  403, OK,  403, 404, 404, OK,  LOGIN)),
    Row("meetings:series_history", "one_on_one",
        get= (200, 200, 404, 404, 404, 404, 404, 404, LOGIN)),
    Row("meetings:series_history", "skip_level",
        get= (200, 404, 200, 404, 404, 404, 404, 404, LOGIN)),
    Row("meetings:series_history", "team_meeting",
        get= (200, 200, 404, 404, 200, 404, 404, 404, LOGIN)),
    Row("meetings:skip_level_answers", "skip_level", POST_ONLY,
        post=(OK,  404, OK,  404, 404, 404, 404, 404, LOGIN)),
    Row("meetings:action_toggle", None, POST_ONLY,
        post=(OK,  OK,  404, 404, 404, 404, 404, 404, LOGIN)),
    Row("meetings:point_add", "one_on_one", POST_ONLY,
        post=(OK,  OK,  404, 404, 404, 404, 404, 404, LOGIN)),
    Row("meetings:point_add", "team_meeting", POST_ONLY,
        post=(OK,  OK,  404, 404, OK,  404, 404, 404, LOGIN)),
    Row("meetings:point_tick", "one_on_one", POST_ONLY,
        post=(OK,  OK,  404, 404, 404, 404, 404, 404, LOGIN)),
    Row("meetings:note_save", "one_on_one", POST_ONLY,
        post=(OK,  OK,  404, 404, 404, 404, 404, 404, LOGIN)),
    Row("meetings:note_save", "leaders_one_on_one", POST_ONLY,
        post=(OK,  OK,  404, 404, 404, 404, 404, 404, LOGIN)),
    Row("meetings:note_save", "team_meeting", POST_ONLY,
        post=(OK,  OK,  404, 404, OK,  404, 404, 404, LOGIN)),
    Row("meetings:action_add", "one_on_one", POST_ONLY,
        post=(OK,  OK,  404, 404, 404, 404, 404, 404, LOGIN)),
    Row("meetings:action_add", "team_meeting", POST_ONLY,
        post=(OK,  OK,  404, 404, OK,  404, 404, 404, LOGIN)),
    Row("meetings:outcome", "one_on_one_past", POST_ONLY,
        post=(403, OK,  404, 404, 404, 404, 404, 404, LOGIN)),
    Row("meetings:outcome", "team_meeting_past", POST_ONLY,
        post=(403, OK,  403, OK,  403, 404, 404, OK,  LOGIN)),
    # The leader's round table: the employee and the colleague are invited.
    Row("meetings:topic_raise", "round_table", POST_ONLY,
        post=(OK,  404, OK,  404, OK,  404, 404, 404, LOGIN)),
    Row("meetings:topic_vote", "round_table", POST_ONLY,
        post=(OK,  404, OK,  404, OK,  404, 404, 404, LOGIN)),
    Row("meetings:topic_answer", "round_table", POST_ONLY,
        post=(403, 404, OK,  404, 403, 404, 404, 404, LOGIN)),
    Row("meetings:summary_publish", "round_table", POST_ONLY,
        post=(403, 403, OK,  OK,  403, 404, 403, OK,  LOGIN)),
    # The team's council: the manager owns it, the colleague serves on it, the
    # employee brought the proposal.
    Row("meetings:decision_add", "council_meeting", POST_ONLY,
        post=(404, OK,  404, 404, OK,  404, 404, 404, LOGIN)),
    Row("meetings:proposals_discussed", "council_meeting", POST_ONLY,
        post=(404, OK,  404, 404, OK,  404, 404, 404, LOGIN)),
    Row("meetings:council", "council",
        get= (200, 200, 200, 200, 200, 404, 404, 200, LOGIN)),
    Row("meetings:proposal_submit", "council", POST_ONLY,
        post=(OK,  403, 403, 403, OK,  404, 404, 403, LOGIN)),
    Row("meetings:member_add", "council", POST_ONLY,
        post=(403, OK,  403, OK,  403, 404, 404, OK,  LOGIN)),
    Row("meetings:member_end", None, POST_ONLY,
        post=(403, OK,  403, OK,  403, 404, 404, OK,  LOGIN)),
    Row("meetings:proposal_detail", "proposal",
        get= (200, 200, 200, 200, 200, 404, 404, 200, LOGIN)),
    Row("meetings:proposal_move", "proposal", POST_ONLY,
        post=(403, OK,  403, OK,  OK,  404, 404, OK,  LOGIN)),
    # HR's lunch & learns for Operations (the superuser is outside its audience).
    Row("meetings:learning_topics", "lunches",
        get= (200, 200, 200, 200, 200, 404, 200, 200, LOGIN)),
    Row("meetings:learning_topic_propose", "lunches", POST_ONLY,
        post=(OK,  OK,  OK,  OK,  OK,  404, OK,  403, LOGIN)),
    Row("meetings:learning_topic_vote", "lunches", POST_ONLY,
        post=(OK,  OK,  OK,  OK,  OK,  404, OK,  403, LOGIN)),
    Row("meetings:learning_topic_schedule", "lunches", POST_ONLY,
        post=(403, 403, 403, OK,  403, 404, 403, OK,  LOGIN)),
    # The manager's lunch & learns for the team: the team and its manager propose and
    # vote; those above and HR see them.
    Row("meetings:learning_topics", "team_lunches",
        get= (200, 200, 200, 200, 200, 404, 404, 200, LOGIN)),
    Row("meetings:learning_topic_propose", "team_lunches", POST_ONLY,
        post=(OK,  OK,  403, 403, OK,  404, 404, 403, LOGIN)),
    Row("meetings:learning_topic_vote", "team_lunches", POST_ONLY,
        post=(OK,  OK,  403, 403, OK,  404, 404, 403, LOGIN)),

    # Surveys: answered by those invited; written by HR; results of a team are seen by
    # its manager, those above and HR; action plans are made by the manager and those
    # above, shared plans seen by the team.
    Row("feedback:my_surveys", None, _all(200)),
    Row("feedback:answer", "window",
        get= (200, 200, 404, 404, 200, 404, 200, 404, LOGIN),
        post=(OK,  OK,  404, 404, OK,  404, OK,  404, LOGIN)),
    Row("feedback:survey_edit", "draft_survey",
        get= (200, 200, 200, 200, 200, 404, 200, 200, LOGIN)),
    Row("feedback:survey_edit", "pulse_program",
        get= (200, 200, 200, 200, 200, 404, 200, 200, LOGIN)),
    Row("feedback:survey_create", "bare_survey", POST_ONLY,
        post=(403, 403, 403, OK,  403, 404, 403, OK,  LOGIN)),
    Row("feedback:question_add", "draft_survey", POST_ONLY,
        post=(403, 403, 403, OK,  403, 404, 403, OK,  LOGIN)),
    Row("feedback:bank_add", "draft_survey", POST_ONLY,
        post=(403, 403, 403, OK,  403, 404, 403, OK,  LOGIN)),
    Row("feedback:section_add", "draft_survey", POST_ONLY,
        post=(403, 403, 403, OK,  403, 404, 403, OK,  LOGIN)),
    Row("feedback:question_change", "draft_survey", POST_ONLY,
        post=(403, 403, 403, OK,  403, 404, 403, OK,  LOGIN)),
    Row("feedback:results_home", None,
        get= (404, to(S), to(S), to(S), 404, 404, to(S), to(S), LOGIN)),
    Row("feedback:results", "person:manager",
        get= (404, 200, 200, 200, 404, 404, 404, 200, LOGIN)),
    Row("feedback:results", "person:manager", query="?table=drivers&_export=csv",
        get= (404, 200, 200, 200, 404, 404, 404, 200, LOGIN)),
    Row("feedback:results", "person:leader",
        get= (404, 404, 200, 200, 404, 404, 404, 200, LOGIN)),
    Row("feedback:results", "person:employee", _all(404)),  # no team, no results
    Row("feedback:plan_start", "person:manager", POST_ONLY,
        post=(404, OK,  OK,  403, 404, 404, 404, 403, LOGIN)),
    Row("feedback:plan_detail", "plan",
        get= (200, 200, 200, 200, 200, 404, 404, 200, LOGIN)),
    Row("feedback:plan_detail", "draft_plan",  # a draft stays with those who plan, and HR
        get= (404, 200, 200, 200, 404, 404, 404, 200, LOGIN)),
    Row("feedback:plan_summary", "plan", POST_ONLY,
        post=(403, OK,  OK,  403, 403, 404, 404, 403, LOGIN)),
    Row("feedback:commitment_add", "plan", POST_ONLY,
        post=(403, OK,  OK,  403, 403, 404, 404, 403, LOGIN)),
    Row("feedback:plan_share", "draft_plan", POST_ONLY,
        post=(404, OK,  OK,  403, 404, 404, 404, 403, LOGIN)),
    Row("feedback:commitment_toggle", "commitment", POST_ONLY,
        post=(OK,  OK,  OK,  403, 403, 404, 404, 403, LOGIN)),

    # Accounts: open to everyone; signed-in people skip the sign-in page.
    Row("login", None, _all(to("/"), anonymous=200)),
    Row("logout", None, _all(405), post=_all(LOGIN, anonymous=LOGIN)),
    Row("password_reset", None, _all(200, anonymous=200)),
    Row("password_reset_done", None, _all(200, anonymous=200)),
    Row("password_reset_confirm", "person:employee", _all(302, anonymous=302)),
    Row("password_reset_complete", None, _all(200, anonymous=200)),
    Row("invitation_confirm", "person:employee", _all(302, anonymous=302)),
]
# fmt: on


# The machinery --------------------------------------------------------------------------


def _project_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    ]


def _snapshot() -> dict:
    """Every row of every project table."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in _project_models()
    }


def _diff(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def _refused_with_message(response) -> bool:
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(message.level >= constants.ERROR for message in queued)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end;
    each test's own savepoint undoes what its POST changed."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _data(row: Row, world: dict, person) -> dict:
    data = row.data if row.data is not None else DATA.get(row.name, {})
    return data(world, person) if callable(data) else data


def _cases(method: str) -> list:
    return list(_each_case(method))


def _each_case(method: str):
    for row in ROWS:
        cells = row.get if method == "get" else row.post
        if cells is None:
            continue
        for role, cell in zip(ROLES, cells, strict=True):
            marks = []
            if (method, role) in row.xfail:
                marks.append(pytest.mark.xfail(strict=True, reason=row.xfail[(method, role)]))
            yield pytest.param(row, role, cell, id=f"{row.id}-{role}", marks=marks)


PARAMS = {route.name: route.params for route in project_routes()}


def _url(row: Row, world: dict) -> str:
    return reverse(row.name, kwargs=_kwargs(PARAMS[row.name], row.on, world)) + row.query


def _sign_in(client, world, role):
    if role != "anonymous":
        client.force_login(world["people"][role])


def check_get(client, world, row, role, cell) -> None:
    _sign_in(client, world, role)
    response = client.get(_url(row, world))
    if isinstance(cell, Redirect):
        assert response.status_code == 302, f"{response.status_code}, not a redirect"
        assert response["Location"].startswith(cell.prefix), response["Location"]
    else:
        assert response.status_code == cell


def check_post(client, world, row, role, cell, on_commit) -> None:
    _sign_in(client, world, role)
    url = _url(row, world)
    person = world["people"].get(role)
    data = _data(row, world, person) if person is not None else {}
    before, sent = _snapshot(), len(mail.outbox)
    # Follow-ups (mail, tasks) run on commit, as they would outside the test.
    with on_commit(execute=True):
        response = client.post(url, data)
    changed = _diff(before, _snapshot()) + ["mail"] * (len(mail.outbox) > sent)
    status = response.status_code
    if cell == OK:
        assert status < 400, status
        assert not _refused_with_message(response), "refused with a message"
        assert changed, "the POST changed nothing"
        return
    assert changed == [], f"refused ({status}) but changed {changed}"
    if cell == NO:
        assert status in (200, 302, 400), status
        if status == 302:
            assert _refused_with_message(response), "a redirect without an error message"
    elif isinstance(cell, Redirect):
        assert status == 302
        assert response["Location"].startswith(cell.prefix), response["Location"]
    else:
        assert status == cell


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role", "cell"), _cases("get"))
def test_get(client, world, row, role, cell):
    check_get(client, world, row, role, cell)


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role", "cell"), _cases("post"))
def test_post(client, world, row, role, cell, django_capture_on_commit_callbacks):
    check_post(client, world, row, role, cell, django_capture_on_commit_callbacks)


def test_every_route_has_a_row():
    names = {route.name for route in project_routes()}
    covered = {row.name for row in ROWS}
    assert sorted(names - covered) == []
    assert sorted(covered - names) == []  # a row of a route that is gone


def test_every_post_route_has_post_cells():
    """A row whose GET is refused with 405 is for a POST-only route: it says who may POST."""
    assert [row.id for row in ROWS if row.get[0] == 405 and row.post is None] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("session", "role", "sees_shared", "sees_private"),
    [
        ("one_on_one", "manager", True, True),  # the private note's author
        ("one_on_one", "employee", True, False),
        ("leaders_one_on_one", "employee", True, False),
        ("leaders_one_on_one", "leader", False, False),  # owns the program, not the notes
    ],
)
def test_a_1_on_1s_notes_are_the_pairs_and_a_private_note_its_authors(
    client, world, session, role, sees_shared, sees_private
):
    client.force_login(world["people"][role])
    response = client.get(world[session].get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert ("We agreed on the rota" in page) == sees_shared
    assert ("Seems tired lately" in page) == sees_private
