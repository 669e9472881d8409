"""Working on a meeting: talking points, notes, action items, how it went; my actions."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from engagement import access, validators
from engagement import services as engagement_services
from engagement.models import ProgramMember
from meetings import access as meetings_access
from meetings import forms, selectors, services
from meetings.models import (
    ActionItem,
    LearningTopic,
    LearningTopicVote,
    Proposal,
    TalkingPoint,
    Topic,
)
from scheduling import access as scheduling_access
from scheduling import services as scheduling_services
from scheduling.models import Session
from scheduling.views.sessions import session_detail


def _session_for_work(request, pk):
    session = scheduling_access.session_for_view(request.user, pk)
    if not meetings_access.can_work_on_session(request.user, session):
        raise Http404("No such session.")
    return session


def _again(request, pk, name, form) -> HttpResponse:
    """The session page again, with this form bound and its errors beside the fields."""
    return session_detail(request, pk, extra={f"workspace_{name}": form}, status=400)


@require_POST
def point_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_work(request, pk)
    form = forms.TalkingPointForm(request.POST)
    if form.is_valid():
        try:
            services.talking_point_add(
                session=session, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect(session.get_absolute_url() + "#agenda")
    return _again(request, pk, "point_form", form)


@require_POST
def point_tick(request: HttpRequest, pk: int, point_id: int) -> HttpResponse:
    session = _session_for_work(request, pk)
    point = TalkingPoint.objects.of_series(session).up_to(session).filter(pk=point_id).first()
    if point is None:
        raise Http404("No such talking point.")
    services.talking_point_tick(point=point, session=session, actor=request.user)
    return redirect(session.get_absolute_url() + "#agenda")


@require_POST
def note_save(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_work(request, pk)
    form = forms.NoteForm(request.POST)
    # Which of the two note forms to show again, even when the rest is refused.
    private = form.fields["private"].to_python(form.data.get("private"))
    if form.is_valid():
        services.note_save(
            session=session, author=request.user, body=form.cleaned_data["body"], private=private
        )
        messages.success(request, "Private note saved." if private else "Shared notes saved.")
        return redirect(session.get_absolute_url() + "#notes")
    return _again(request, pk, "private_form" if private else "shared_form", form)


@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_work(request, pk)
    form = forms.ActionItemForm(
        request.POST,
        insiders=scheduling_access.session_insiders(session),
        shared=session.program.practice == "EE14",
    )
    if form.is_valid():
        try:
            services.action_item_add(session=session, creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect(session.get_absolute_url() + "#actions")
    return _again(request, pk, "action_form", form)


@require_POST
def action_toggle(request: HttpRequest, item_id: int) -> HttpResponse:
    item = meetings_access.action_items_visible_to(request.user).filter(pk=item_id).first()
    if item is None:
        raise Http404("No such action item.")
    services.action_item_toggle(item=item, actor=request.user)
    target = request.POST.get("next", "")
    # Only a path of this site: anything else (another host, or text that redirect()
    # would take for a view name and fail to reverse) goes back to my actions.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("meetings:my_actions")
    return redirect(target)


@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    session = scheduling_access.session_for_manage(request.user, pk)
    people = [p.person for p in session.participants.select_related("person")]
    form = forms.OutcomeForm(request.POST, people=people)
    if form.is_valid():
        try:
            services.session_record_outcome(
                session=session,
                actor=request.user,
                status=form.cleaned_data["status"],
                attended=set(form.cleaned_data["attended"]),
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, "Recorded how the session went.")
            return redirect(session)
    return _again(request, pk, "outcome_form", form)


class MyActionTable(tables.Table):
    text = tables.Column(verbose_name="Action")
    session = tables.Column(accessor="raised_in", verbose_name="From", linkify=True)
    due_on = tables.DateColumn(verbose_name="Due", format="D j M Y")
    done = tables.TemplateColumn(
        '<form method="post" action="{% url \'meetings:action_toggle\' record.pk %}">'
        '{% csrf_token %}<input type="hidden" name="next" value="{{ request.get_full_path }}">'
        '<button class="button small{% if not record.is_open %} secondary{% endif %}" '
        'type="submit">{% if record.is_open %}Done{% else %}Reopen{% endif %}</button></form>',
        orderable=False,
        verbose_name="",
    )

    class Meta:
        model = ActionItem
        fields = ("text", "session", "due_on", "done")
        order_by = ("due_on",)
        empty_text = "No open action items. Actions given to you in meetings appear here."

    def render_text(self, record, value):
        if record.partner_id is None:
            return value
        other = record.partner if record.owner_id == self.viewer_id else record.owner
        return format_html('{} <span class="muted small">shared with {}</span>', value, other)

    def render_due_on(self, record, value):
        if value is None:
            return "—"
        text = date_format(value, "D j M Y")
        if record.is_overdue():
            return format_html('{} <span class="badge badge-paused">overdue</span>', text)
        return text


def my_actions(request: HttpRequest) -> HttpResponse:
    """Every open action item of mine across all programs."""
    show_done = request.GET.get("show") == "done"
    items = ActionItem.objects.filter(Q(owner=request.user) | Q(partner=request.user))
    items = items.select_related("raised_in", "owner", "partner")
    items = items.exclude(done_at=None) if show_done else items.filter(done_at=None)
    table = MyActionTable(items)
    table.viewer_id = request.user.pk
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "meetings/my_actions.html",
        {"table": table, "show_done": show_done},
    )


class MyWeekTable(tables.Table):
    starts_at = tables.DateTimeColumn(verbose_name="When", format="D j M, H:i")
    title = tables.Column(linkify=True, verbose_name="Session")
    program = tables.Column(verbose_name="Program")
    open_points = tables.Column(verbose_name="Open points", attrs={"td": {"class": "num"}})
    open_actions = tables.Column(verbose_name="Open actions", attrs={"td": {"class": "num"}})
    prepared = tables.Column(verbose_name="Agenda", accessor="my_points")

    class Meta:
        model = Session
        fields = ("starts_at", "title", "program", "open_points", "open_actions", "prepared")
        order_by = ("starts_at",)
        empty_text = "No meetings in the next seven days."

    def render_prepared(self, value):
        if value:
            return format_html('<span class="badge badge-active">prepared ({})</span>', value)
        return format_html('<span class="badge badge-paused">{}</span>', "add your points")


def my_week(request: HttpRequest) -> HttpResponse:
    """My meetings of the next seven days and whether I have prepared them."""
    table = MyWeekTable(selectors.week_ahead(request.user))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "meetings/my_week.html", {"table": table})


def _topic_for_work(request, pk, topic_id):
    session = _session_for_work(request, pk)
    topic = Topic.objects.filter(session=session, pk=topic_id).first()
    if topic is None:
        raise Http404("No such topic.")
    return session, topic


@require_POST
def topic_raise(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_work(request, pk)
    form = forms.TopicForm(request.POST)
    if form.is_valid():
        try:
            services.topic_raise(
                session=session,
                person=request.user,
                text=form.cleaned_data["text"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect(session.get_absolute_url() + "#topics")
    return _again(request, pk, "topic_form", form)


@require_POST
def topic_vote(request: HttpRequest, pk: int, topic_id: str) -> HttpResponse:
    session, topic = _topic_for_work(request, pk, topic_id)
    try:
        services.topic_vote(topic=topic, voter=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(session.get_absolute_url() + "#topics")


@require_POST
def topic_answer(request: HttpRequest, pk: int, topic_id: str) -> HttpResponse:
    session, topic = _topic_for_work(request, pk, topic_id)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        services.topic_answer(topic=topic, actor=request.user, answer=form.cleaned_data["answer"])
    else:
        messages.error(request, "Write an answer of up to 5,000 characters.")
    return redirect(session.get_absolute_url() + "#topics")


@require_POST
def summary_publish(request: HttpRequest, pk: int) -> HttpResponse:
    session = scheduling_access.session_for_manage(request.user, pk)
    form = forms.SummaryForm(request.POST)
    if form.is_valid():
        try:
            services.summary_publish(
                session=session, actor=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, "Summary published and sent to the invitees and audience.")
            return redirect(session.get_absolute_url() + "#summary")
    return _again(request, pk, "summary_form", form)


@require_POST
def mood(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_work(request, pk)
    form = forms.MoodForm(request.POST)
    if not form.is_valid():
        messages.error(request, validators.first_error(form))
        return redirect(session.get_absolute_url() + "#mood")
    try:
        services.mood_record(session=session, person=request.user, mood=form.cleaned_data["mood"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(session.get_absolute_url() + "#mood")


def one_on_ones(request: HttpRequest) -> HttpResponse:
    """A manager's overview: each direct report's last and next 1-on-1 and adherence."""
    reports = selectors.one_on_one_overview(request.user)
    held, due = selectors.one_on_one_adherence(request.user)
    return render(
        request,
        "meetings/one_on_ones.html",
        {"reports": reports, "held": held, "due": due},
    )


@require_POST
def skip_level_answers(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_work(request, pk)
    form = forms.SkipLevelAnswersForm(
        request.POST, questions=services.skip_level_questions(session)
    )
    if not form.is_valid():
        messages.error(request, "Keep each answer under 5,000 characters of plain text.")
        return redirect(session.get_absolute_url() + "#questionnaire")
    try:
        services.skip_level_answers_save(
            session=session, actor=request.user, answers=form.answers()
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Answers saved. Only the two of you can read them.")
    return redirect(session.get_absolute_url() + "#questionnaire")


def skip_level_coverage(request: HttpRequest) -> HttpResponse:
    """A senior leader's skip-level coverage: who has been met this period, who is overdue."""
    return render(
        request,
        "meetings/skip_level_coverage.html",
        {"coverage": selectors.skip_level_coverage(request.user)},
    )


@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_work(request, pk)
    form = forms.RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, validators.first_error(form))
        return redirect(session.get_absolute_url() + "#rating")
    about = None
    if form.cleaned_data["about"]:
        targets = services.rating_targets(session, request.user)
        about = next((d for d in targets if str(d.pk) == form.cleaned_data["about"]), "unknown")
    try:
        services.rating_give(
            session=session,
            rater=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            about=about,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Thank you: your rating is saved.")
    return redirect(session.get_absolute_url() + "#rating")


def huddle(request: HttpRequest, pk: int) -> HttpResponse:
    """The daily huddle on one phone screen: WHY, focus, and per person present + mood."""
    session = scheduling_access.session_for_manage(request.user, pk)
    if session.program.practice != "EE12":
        raise Http404("Only daily huddles have this screen.")
    team = [
        p.person
        for p in session.participants.select_related("person").order_by(
            "role", "person__first_name"
        )
        if p.role != "host"
    ]
    error = None
    if request.method == "POST":
        form = forms.HuddleForm(request.POST, team=team)
        if form.is_valid():
            try:
                services.huddle_record(
                    session=session,
                    actor=request.user,
                    why=form.cleaned_data["why"],
                    focus=form.cleaned_data["focus"],
                    present=form.present(),
                    moods=form.moods(),
                )
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                messages.success(request, "Huddle recorded.")
                return redirect(session)
        else:
            error = validators.first_error(form)
    daily = getattr(session, "daily_why", None)
    moods = dict(session.moods.values_list("person_id", "mood"))
    attended = dict(session.participants.values_list("person_id", "attended"))
    rows = [(person, attended.get(person.pk) is not False, moods.get(person.pk)) for person in team]
    return render(
        request,
        "meetings/huddle.html",
        {
            "session": session,
            "why": request.POST.get("why", daily.why if daily else ""),
            "focus": request.POST.get("focus", daily.focus if daily else ""),
            "rows": rows,
            "scale": range(1, 6),
            "error": error,
        },
        status=400 if error else 200,
    )


def series_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole history of a series (a 1-on-1 pair, a team) on one page."""
    session = _session_for_work(request, pk)
    sessions = selectors.series_history(session, viewer=request.user)
    return render(
        request, "meetings/series_history.html", {"session": session, "sessions": sessions}
    )


# Decisions and council minutes ------------------------------------------------


@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_work(request, pk)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_record(
                session=session, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect(session.get_absolute_url() + "#decisions")
    return _again(request, pk, "decision_form", form)


@require_POST
def proposals_discussed(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_work(request, pk)
    if session.program.practice != "EE5":
        raise Http404("Only council meetings discuss proposals.")
    form = forms.ProposalsDiscussedForm(request.POST, program=session.program)
    if form.is_valid():
        services.proposals_discussed(
            session=session, actor=request.user, proposals=list(form.cleaned_data["proposals"])
        )
        messages.success(request, "The minutes now link the proposals discussed.")
        return redirect(session.get_absolute_url() + "#proposals")
    return _again(request, pk, "discussed_form", form)


# Employee council (EE5) -----------------------------------------------------


class ProposalTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name="Proposal")
    status = tables.Column()
    created_at = tables.DateColumn(verbose_name="Submitted", format="j M Y")
    updated_at = tables.DateColumn(verbose_name="Last change", format="j M Y")

    class Meta:
        model = Proposal
        fields = ("title", "status", "created_at", "updated_at")
        order_by = ("-created_at",)
        empty_text = "No proposals yet. Bring the first one with the form on this page."

    def render_status(self, record, value):
        return format_html('<span class="badge badge-proposal-{}">{}</span>', record.status, value)


def _council_program(request, program_pk):
    program = access.program_for_view(request.user, program_pk)
    if program.practice != "EE5":
        raise Http404("Only an employee council has this page.")
    return program


def council(request: HttpRequest, program_pk: int, forms_: dict | None = None, status=200):
    """A council's page: its members, the proposals brought to it, and a way to bring one."""
    program = _council_program(request, program_pk)
    viewer = request.user
    mine = ProposalTable(Proposal.objects.filter(program=program, author=viewer), prefix="mine-")
    everything = ProposalTable(Proposal.objects.filter(program=program), prefix="all-")
    RequestConfig(request, paginate={"per_page": 10}).configure(mine)
    RequestConfig(request, paginate={"per_page": 20}).configure(everything)
    can_edit = access.can_edit_program(viewer, program)
    today = timezone.localdate()
    members = list(program.members.select_related("person", "person__department"))
    forms_ = forms_ or {}
    return render(
        request,
        "meetings/council.html",
        {
            "program": program,
            "current": [m for m in members if m.serves_on(today)],
            "other_terms": [m for m in members if not m.serves_on(today)],
            "mine": mine,
            "everything": everything,
            "can_submit": meetings_access.can_submit_proposal(viewer, program),
            "can_edit": can_edit,
            "proposal_form": forms_.get("proposal") or forms.ProposalForm(),
            "member_form": forms_.get("member")
            or (
                forms.MemberForm(program=program, initial={"starts_on": today})
                if can_edit
                else None
            ),
            "today": today,
        },
        status=status,
    )


@require_POST
def proposal_submit(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = _council_program(request, program_pk)
    form = forms.ProposalForm(request.POST)
    if form.is_valid():
        try:
            proposal = services.proposal_submit(
                program=program, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(
                request, "Proposal sent to the council. You will hear what it decides."
            )
            return redirect(proposal)
    return council(request, program_pk, {"proposal": form}, status=400)


@require_POST
def member_add(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = access.program_for_edit(request.user, program_pk)
    form = forms.MemberForm(request.POST, program=program)
    if form.is_valid():
        try:
            engagement_services.member_add(actor=request.user, program=program, **form.cleaned_data)
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            scheduling_services.council_sync(program)
            messages.success(request, "Seated on the council; its next meetings include them.")
            return redirect("meetings:council", program_pk=program.pk)
    return council(request, program_pk, {"member": form}, status=400)


@require_POST
def member_end(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = ProgramMember.objects.select_related("program").filter(pk=member_pk).first()
    if member is None:
        raise Http404("No such council member.")
    program = access.program_for_edit(request.user, member.program_id)
    try:
        engagement_services.member_end_term(
            actor=request.user, member=member, ends_on=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        scheduling_services.council_sync(program)
        messages.success(request, f"{member.person}'s term ends today.")
    return redirect("meetings:council", program_pk=program.pk)


def proposal_detail(request: HttpRequest, pk: int, move_form=None) -> HttpResponse:
    proposal = meetings_access.proposal_for_view(request.user, pk)
    can_decide = meetings_access.can_decide_proposal(request.user, proposal.program, proposal)
    return render(
        request,
        "meetings/proposal_detail.html",
        {
            "proposal": proposal,
            "program": proposal.program,
            "show_author": meetings_access.can_see_proposal_author(request.user, proposal),
            "events": proposal.events.select_related("actor"),
            "discussed_in": proposal.discussed_in.order_by("starts_at"),
            "move_form": (move_form or forms.ProposalMoveForm(proposal=proposal))
            if can_decide and proposal.next_statuses
            else None,
        },
        status=400 if move_form is not None else 200,
    )


@require_POST
def proposal_move(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = meetings_access.proposal_for_view(request.user, pk)
    if not meetings_access.can_decide_proposal(request.user, proposal.program, proposal):
        raise PermissionDenied("Only council members and the council's owner decide proposals.")
    form = forms.ProposalMoveForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            services.proposal_move(proposal=proposal, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, "Recorded; the proposer has been told.")
            return redirect(proposal)
    return proposal_detail(request, pk, move_form=form)


# Lunch & learn topics (EE15) ---------------------------------------------------


def _learning_program(request, program_pk):
    program = access.program_for_view(request.user, program_pk)
    if program.practice != "EE15":
        raise Http404("Only a lunch & learn has topic proposals.")
    return program


def learning_topics(request: HttpRequest, program_pk: int, forms_=None, status=200):
    """Topics proposed for a lunch & learn, most wanted first, and what is scheduled."""
    program = _learning_program(request, program_pk)
    viewer = request.user
    topics = (
        LearningTopic.objects.filter(program=program)
        .select_related("proposed_by", "presenter", "session")
        .annotate(
            vote_count=Count("votes"),
            i_voted=Exists(LearningTopicVote.objects.filter(topic=OuterRef("pk"), voter=viewer)),
        )
        .order_by("session", "-vote_count", "created_at")
    )
    forms_ = forms_ or {}
    schedule_form = None
    if meetings_access.can_schedule_learning_topics(viewer, program):
        schedule_form = forms_.get("schedule") or _schedule_form(program)
    return render(
        request,
        "meetings/learning_topics.html",
        {
            "program": program,
            "open_topics": [t for t in topics if t.session_id is None],
            "scheduled": sorted(
                (t for t in topics if t.session_id), key=lambda t: t.session.starts_at
            ),
            "can_propose": meetings_access.can_propose_learning_topic(viewer, program),
            "topic_form": forms_.get("topic") or forms.LearningTopicForm(),
            "schedule_form": schedule_form,
        },
        status=status,
    )


def _schedule_form(program, data=None):
    from scheduling.models import Session, SessionStatus

    sessions = (
        Session.objects.filter(
            program=program, status=SessionStatus.SCHEDULED, starts_at__gt=timezone.now()
        )
        .select_related("program")
        .order_by("starts_at")
    )
    topics = LearningTopic.objects.filter(program=program).filter(
        Q(session__isnull=True) | Q(session__starts_at__gt=timezone.now())
    )
    presenters = program.audience_members().filter(is_active=True).order_by("first_name")
    return forms.LearningScheduleForm(data, topics=topics, sessions=sessions, presenters=presenters)


@require_POST
def learning_topic_propose(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = _learning_program(request, program_pk)
    form = forms.LearningTopicForm(request.POST)
    if form.is_valid():
        try:
            services.learning_topic_propose(
                program=program, person=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, "Topic proposed. Colleagues can now upvote it.")
            return redirect("meetings:learning_topics", program_pk=program.pk)
    return learning_topics(request, program_pk, {"topic": form}, status=400)


@require_POST
def learning_topic_vote(request: HttpRequest, program_pk: int, topic_pk: int) -> HttpResponse:
    program = _learning_program(request, program_pk)
    topic = LearningTopic.objects.filter(program=program, pk=topic_pk).first()
    if topic is None:
        raise Http404("No such topic.")
    try:
        services.learning_topic_vote(topic=topic, voter=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("meetings:learning_topics", program_pk=program.pk)


@require_POST
def learning_topic_schedule(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = _learning_program(request, program_pk)
    form = _schedule_form(program, request.POST)
    if form.is_valid():
        try:
            topic = services.learning_topic_schedule(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, f"“{topic}” is scheduled with its presenter.")
            return redirect("meetings:learning_topics", program_pk=program.pk)
    return learning_topics(request, program_pk, {"schedule": form}, status=400)
