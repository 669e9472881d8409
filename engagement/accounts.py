"""Signing in: the lock-out page, password reset by e-mail and invitations.

Throttling itself is django-axes (see settings: per account and address, with a
cool-off); this module only draws its refusal as the sign-in page with a message.
Reset links and invitation links are Django's: a token from
``default_token_generator`` that stops working once the password changes, checked
by ``PasswordResetConfirmView``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_q.tasks import async_task

from engagement import demo
from engagement.models import Person

log = logging.getLogger(__name__)

RESETS_PER_HOUR = 3
RESET_WINDOW_SECONDS = 3600


def link_days() -> int:
    return max(settings.PASSWORD_RESET_TIMEOUT // (24 * 3600), 1)


# Signing in ------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's sign-in page; with the demo organisation loaded it names the demo
    accounts, so whoever tries the product knows how to get in."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_accounts"] = demo.demo_accounts()
        return context


# Throttling ------------------------------------------------------------------


def locked_out_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the sign-in page again, saying why and for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    login = (credentials or {}).get("username") or request.POST.get("username", "")
    form = auth_forms.AuthenticationForm(request, initial={"username": login})
    context = {"form": form, "locked_out": True, "cooloff_minutes": minutes, "next": ""}
    response = TemplateResponse(
        request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    return response.render()


# Password reset --------------------------------------------------------------


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, also for people who never chose a password.

    Imported people have no usable password; Django's form would silently skip
    them, so a lost invitation could never be replaced. Here there is no other
    way to sign in, so every active person with the address gets the link.
    """

    def get_users(self, email):
        # A few links an hour per address: enough for a lost e-mail, too few to flood
        # anyone's inbox. Past that, the page says the same and nothing is sent.
        key = "rapport:reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
        cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
        if cache.incr(key) > RESETS_PER_HOUR:
            log.warning("Password reset links for one address: limit reached, none sent.")
            return []
        return Person.objects.filter(email__iexact=email.strip(), is_active=True)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Rendered here, sent by the worker: the page answers as fast for an address
        # that has an account as for one that has none.
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        async_task("engagement.accounts.mail_send", subject, body, to_email)


def mail_send(subject: str, body: str, to: str) -> None:
    """Send one prepared e-mail (a django-q2 task)."""
    EmailMessage(subject, body, to=[to]).send()


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self):
        # Links use SITE_URL, not the Host header a request happens to carry.
        return {"site_url": settings.SITE_URL, "link_days": link_days()}


# The reset link and the invitation's are Django's PasswordResetConfirmView, worded
# for each (config/urls.py passes these).
RESET_WORDING = {
    "heading": "Choose a new password",
    "lead": "Type it twice. It replaces your old password.",
}
WELCOME_WORDING = {
    "heading": "Welcome to Rapport",
    "lead": "Choose the password you will sign in with, and type it twice.",
}


# Invitations -------------------------------------------------------------------


def invitation_link(person: Person) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return settings.SITE_URL + reverse("invitation_confirm", args=[uid, token])


def invitation_send(*, person_ids: Iterable[int], inviter_id: int | None = None) -> int:
    """E-mail each person a link to choose their password; return how many were sent.

    People without an e-mail address or no longer active are skipped. One
    connection for the whole batch, so an import of hundreds is one SMTP session.
    """
    inviter = Person.objects.filter(pk=inviter_id).first() if inviter_id else None
    people = Person.objects.filter(pk__in=list(person_ids), is_active=True).exclude(email="")
    subject = render_to_string("registration/invitation_subject.txt").strip()
    messages = []
    for person in people:
        body = render_to_string(
            "registration/invitation_email.txt",
            {
                "person": person,
                "inviter": inviter,
                "link": invitation_link(person),
                "link_days": link_days(),
            },
        )
        messages.append(EmailMessage(subject, body, to=[person.email]))
    if messages:
        get_connection().send_messages(messages)
    log.info("Sent %d invitation(s)%s.", len(messages), f" for {inviter}" if inviter else "")
    return len(messages)


def invitations_queue(*, person_ids: list[int], inviter: Person | None = None) -> None:
    """Send the invitations in the background once the caller's transaction commits."""
    if not person_ids:
        return
    inviter_id = inviter.pk if inviter is not None else None

    def queue() -> None:
        async_task(
            "engagement.accounts.invitation_send", person_ids=person_ids, inviter_id=inviter_id
        )

    transaction.on_commit(queue)


# Passwords changed by someone else ------------------------------------------------


def password_changed_by_admin(*, person: Person, actor: Person) -> None:
    """Record that an administrator set someone else's password, and tell that person.

    The admin has written its LogEntry ("Changed password."); this adds a line to the
    application log and an e-mail, so that a change the person did not ask for is
    noticed by the one person who can tell.
    """
    _changed_by_admin(
        person=person,
        actor=actor,
        what="password",
        template="registration/password_changed_email.txt",
        subject="Your Rapport password was changed",
        to=person.email,
    )


def email_changed_by_admin(*, person: Person, actor: Person, previous: str) -> None:
    """Record an administrator's change of someone's e-mail address and tell the person
    at the address they had: a reset link or invitation now goes to the new one."""
    _changed_by_admin(
        person=person,
        actor=actor,
        what="e-mail address",
        template="registration/email_changed_email.txt",
        subject="Your Rapport e-mail address was changed",
        to=previous,
    )


def _changed_by_admin(*, person, actor, what: str, template: str, subject: str, to: str):
    log.warning(
        "Administrator %s (id %s) changed the %s of %s (id %s).",
        actor.get_username(),
        actor.pk,
        what,
        person.get_username(),
        person.pk,
    )
    if not to:
        return
    body = render_to_string(
        template, {"person": person, "actor": actor, "site_url": settings.SITE_URL}
    )
    # Only once the change is saved: an admin save that fails tells nobody anything.
    transaction.on_commit(lambda: EmailMessage(subject, body, to=[to]).send())
