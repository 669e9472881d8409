"""Junk posted to every route, as every role: never a 5xx, and a refused request
leaves the database as it was.

Routes come from the URL resolver (``tests/routes.py``); a route whose path parameters
this test cannot fill with a real id fails the test, so a new route is covered the
day it is added. The junk reaches every field a view or form reads, whatever its name:
``JunkPost`` answers any key with the junk of the round (NUL bytes, 100,000 characters,
far dates, negative and huge numbers, several values where one is expected), and one
round posts nothing at all (every field missing).
"""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import constants
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection, models
from django.http import QueryDict
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from engagement.models import Person, Program, ProgramMember
from feedback.models import ActionPlan, Commitment, Form, Question
from meetings.models import ActionItem, LearningTopic, Proposal, TalkingPoint, Topic
from scheduling.models import CalendarFeed, Session
from tests.factories import DEMO_ROLES
from tests.routes import project_routes

PROJECT_APPS = ("engagement", "scheduling", "meetings", "feedback")

JUNK = {
    "missing": None,  # a real, empty POST
    "nul": "bad\x00value",
    "long": "x" * 100_000,
    "far_date": "9999-12-31",
    "huge": "9" * 30,
    "negative": ["-1", "not-a-number", "\x00"],
}


class JunkPost(QueryDict):
    """request.POST that holds ``value`` under every key anyone asks for."""

    def __init__(self, value):
        super().__init__(mutable=True)
        self.values_ = value if isinstance(value, list) else [value]

    def __contains__(self, key):
        return True

    def __bool__(self):
        return True

    def __getitem__(self, key):
        return self.values_[0]

    def get(self, key, default=None):
        return self.values_[0]

    def getlist(self, key, default=None):
        return list(self.values_)


# Sessions of the practice a route works on, so that its form is reached.
SESSION_PRACTICE = {
    "meetings:huddle": "EE12",
    "meetings:skip_level_answers": "EE9",
    "meetings:rate": "EE15",
    "meetings:summary_publish": "EE8",
    "meetings:topic_raise": "EE8",
    "meetings:decision_add": "EE5",
    "meetings:proposals_discussed": "EE5",
    "scheduling:session_rsvp": "EE6",
    "scheduling:session_sign_up": "EE15",
    "scheduling:session_withdraw": "EE15",
}
PROGRAM_PRACTICE = {"meetings": None, "feedback": "EE3"}


def _session(practice: str, manager: Person) -> Session:
    sessions = Session.objects.filter(program__practice=practice).order_by("starts_at")
    hosted = sessions.filter(participants__person=manager, participants__role="host")
    now = timezone.now()
    found = (
        hosted.filter(starts_at__lt=now).last()
        or sessions.filter(starts_at__lt=now).last()
        or sessions.first()
    )
    # The planner may have no session of that practice yet (a quarterly social event):
    # the route is still posted to, with a 1-on-1.
    return found or _session("EE10", manager)


def _kwargs(route, people) -> dict:
    """Real ids for the route's parameters; a parameter nobody taught this test to fill
    fails it."""
    manager = people["manager"]
    name, pattern = route.name, route.pattern
    session = _session(SESSION_PRACTICE.get(name, "EE10"), manager)
    point = TalkingPoint.objects.order_by("pk").first()
    topic = Topic.objects.order_by("raised_on", "text").first()
    if name == "meetings:point_tick":
        session = point.raised_in
    if name.startswith("meetings:topic_") and name != "meetings:topic_raise":
        session = topic.session
    council = Program.objects.filter(practice="EE5").first()
    learning = Program.objects.filter(practice="EE15").first()
    survey = Form.objects.select_related("program").order_by("pk").first()
    plan = ActionPlan.objects.order_by("pk").first()
    by_prefix = {
        "programs/": Program.objects.filter(practice="EE10").first(),
        "people/": people["employee"],
        "sessions/": session,
        "proposals/": Proposal.objects.order_by("pk").first(),
        "feedback/surveys/": Session.objects.filter(program=survey.program)
        .order_by("starts_at")
        .last(),
        "feedback/plans/": plan,
        "feedback/commitments/": Commitment.objects.filter(plan=plan).first(),
    }
    values = {}
    for param in route.params:
        if param == "pk":
            prefix = next(p for p in by_prefix if pattern.startswith(p))
            if by_prefix[prefix] is None:
                pytest.fail(f"{name}: the demo has no record for {prefix}")
            values[param] = by_prefix[prefix].pk
        elif param == "program_pk":
            if pattern.startswith("councils/"):
                values[param] = council.pk
            elif pattern.startswith("lunch-and-learns/"):
                values[param] = learning.pk
            else:
                values[param] = survey.program_id
        elif param == "question_pk":
            values[param] = Question.objects.filter(form=survey).first().pk
        elif param == "manager_pk":
            values[param] = manager.pk
        elif param == "point_id":
            values[param] = point.pk
        elif param == "item_id":
            values[param] = ActionItem.objects.order_by("pk").first().pk
        elif param == "topic_id":
            values[param] = topic.pk
        elif param == "member_pk":
            values[param] = ProgramMember.objects.filter(program=council).first().pk
        elif param == "topic_pk":
            values[param] = LearningTopic.objects.filter(program=learning).first().pk
        elif param == "code":
            values[param] = "EE10"
        elif param == "uidb64":
            # A reset or invitation link of the employee's, as the e-mail carries it.
            values[param] = urlsafe_base64_encode(force_bytes(people["employee"].pk))
        elif param == "token" and "uidb64" in route.params:
            values[param] = default_token_generator.make_token(people["employee"])
        elif param == "token":
            values[param] = CalendarFeed.objects.get_or_create(person=manager)[0].token
        else:
            pytest.fail(f"{name}: no real value for <{param}>; teach tests/engagement/{__name__}")
    return values


def _project_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    ]


def _row_counts() -> tuple[int, ...]:
    """Every project table's row count, in one query."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in _project_models()]
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _refused(response) -> bool:
    if response.status_code >= 400:
        return True
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(message.level >= constants.ERROR for message in queued)


def _nothing_stored_out_of_bounds() -> list[str]:
    """Text holding NUL or the junk's 100,000 characters, or a date past the bounds."""
    found = []
    far = {
        models.DateField: date(2201, 1, 1),
        models.DateTimeField: timezone.make_aware(timezone.datetime(2201, 1, 1)),
    }
    for model in _project_models():
        for field in model._meta.concrete_fields:
            where = f"{model.__name__}.{field.name}"
            if isinstance(field, models.CharField | models.TextField):
                for text in model.objects.values_list(field.name, flat=True).iterator():
                    if text and ("\x00" in text or len(text) >= 50_000):
                        found.append(where)
                        break
            elif isinstance(field, models.DateField):  # DateTimeField included
                limit = far[type(field) if type(field) in far else models.DateField]
                if isinstance(field, models.DateTimeField):
                    limit = far[models.DateTimeField]
                if model.objects.filter(**{f"{field.name}__gte": limit}).exists():
                    found.append(where)
    return found


def test_every_route_is_covered():
    names = {route.name for route in project_routes()}
    assert {"meetings:huddle", "scheduling:session_move", "feedback:answer"} <= names
    assert not any(name.startswith("admin:") for name in names)


def _reads_post(url) -> bool:
    """Whether the view behind ``url`` reads a POST at all; the others only get the
    empty POST (they must still not fail), which keeps this test quick."""
    func = resolve(url).func
    view_class = getattr(func, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    return "POST" in inspect.getsource(inspect.unwrap(func))


def test_junk_to_every_route_as_every_role_is_refused_cleanly(client, demo_site, monkeypatch):
    real_load = WSGIRequest._load_post_and_files
    junk = {"value": None}

    def load(request):
        if junk["value"] is None:
            return real_load(request)
        request._post = JunkPost(junk["value"])
        request._files = MultiValueDict()
        return None

    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", load)
    routes = [
        (route, reverse(route.name, kwargs=_kwargs(route, demo_site))) for route in project_routes()
    ]
    failures = []
    for role in DEMO_ROLES:
        client.force_login(demo_site[role])
        for route, url in routes:
            payloads = JUNK if _reads_post(url) else {"missing": None}
            for label, value in payloads.items():
                junk["value"] = value
                before = _row_counts()
                response = client.post(url, {} if value is None else {"x": "1"})
                junk["value"] = None
                if response.status_code >= 500:
                    failures.append(f"{role} {route.name} {label}: {response.status_code}")
                elif _refused(response) and _row_counts() != before:
                    failures.append(f"{role} {route.name} {label}: refused but rows changed")
                if route.name in {"login", "logout"}:
                    client.force_login(demo_site[role])
    assert failures == []
    assert _nothing_stored_out_of_bounds() == []
