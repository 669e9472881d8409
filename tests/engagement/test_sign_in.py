"""Signing in: throttling per account and address, password reset and invitations."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from engagement.models import Person
from tests.factories import make_person

LOGIN = "/accounts/login/"


def _sign_in(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        response = _sign_in(client, username, "wrong", address)
    return response


# Throttling ----------------------------------------------------------------------


def test_wrong_passwords_below_the_limit_still_let_the_right_one_in(client, org):
    _fail(client, "employee", settings.AXES_FAILURE_LIMIT - 1)
    response = _sign_in(client, "employee", "pw")
    assert response.status_code == 302
    assert _signed_in(client)


def test_after_the_limit_the_right_password_is_refused_with_a_message(client, org):
    response = _fail(client, "employee", settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    response = _sign_in(client, "employee", "pw")
    assert response.status_code == 429
    assert not _signed_in(client)
    page = response.content.decode()
    assert 'id="locked-out"' in page
    assert "Too many failed sign-ins" in page
    assert "15 minutes" in page
    # The page is still the sign-in page, with the way out.
    assert reverse("password_reset") in page


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(client, org):
    _fail(client, "employee", 30)
    _sign_in(client, "employee", "pw")
    assert not _signed_in(client)


def test_after_the_cool_off_the_right_password_works_again(client, org):
    _fail(client, "employee", settings.AXES_FAILURE_LIMIT)
    assert _sign_in(client, "employee", "pw").status_code == 429
    # Let the cool-off pass for the recorded attempts.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    response = _sign_in(client, "employee", "pw")
    assert response.status_code == 302
    assert _signed_in(client)


def test_the_lock_is_per_account_and_address(client, org):
    _fail(client, "employee", settings.AXES_FAILURE_LIMIT, address="10.0.0.1")
    # Someone guessing from one address does not lock the person out elsewhere...
    assert _sign_in(client, "employee", "pw", address="10.0.0.2").status_code == 302
    client.logout()
    # ...nor other people at that address.
    assert _sign_in(client, "colleague", "pw", address="10.0.0.1").status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, org, settings):
    """Everyone comes through the proxy's own address: the lock follows the address the
    proxy wrote last into X-Forwarded-For, and addresses a client forges before it
    change nothing, neither to escape the lock nor to share it with others."""
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1

    def through_proxy(password, forwarded):
        return client.post(
            LOGIN,
            {"username": "employee", "password": password},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for n in range(settings.AXES_FAILURE_LIMIT):
        # The guesser forges a different first address each time.
        through_proxy("wrong", f"1.1.1.{n}, 203.0.113.7")
    # The same client, forging nothing this time: still locked.
    assert through_proxy("pw", "203.0.113.7").status_code == 429
    # Someone else behind the same proxy, even one whose own proxy adds an entry first,
    # is not locked out with the guesser.
    assert through_proxy("pw", "198.51.100.4").status_code == 302
    client.logout()
    assert through_proxy("pw", "10.1.1.1, 198.51.100.5").status_code == 302


def test_an_e_mail_address_and_its_username_count_as_one_account(client, org):
    employee = org["employee"]
    for login in [employee.email, "employee"] * 3:
        _sign_in(client, login, "wrong")
    assert _sign_in(client, employee.email.upper(), "pw").status_code == 429
    assert _sign_in(client, "employee", "pw").status_code == 429
    assert not _signed_in(client)


def test_signing_in_by_e_mail_still_works(client, org):
    assert _sign_in(client, org["employee"].email, "pw").status_code == 302
    assert _signed_in(client)


# Password reset -----------------------------------------------------------------


def _link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def _set_password_through(client, link: str, password: str):
    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert page.context["validlink"]
    form_url = page.redirect_chain[-1][0]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_login_page_links_to_the_password_reset(client, db):
    page = client.get(LOGIN).content.decode()
    assert reverse("password_reset") in page


def test_a_reset_e_mail_sets_a_new_password_that_signs_in(client, org):
    employee = org["employee"]
    response = client.post(reverse("password_reset"), {"email": employee.email.upper()})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [employee.email]
    assert message.body.count(settings.SITE_URL) == 1
    done = _set_password_through(client, _link_in(message), "a-new-long-passphrase")
    assert done.status_code == 302
    assert _sign_in(client, "employee", "a-new-long-passphrase").status_code == 302
    assert _signed_in(client)


def test_reset_links_for_one_address_are_a_few_an_hour(client, org, monkeypatch):
    """Enough for a lost e-mail, too few to flood someone's inbox; the page answers
    the same either way, and the mail is sent by the worker, not while it waits."""
    from engagement import accounts

    queued = []
    monkeypatch.setattr(
        accounts, "async_task", lambda name, *args: queued.append(name) or accounts.mail_send(*args)
    )
    employee = org["employee"]
    pages = [
        client.post(reverse("password_reset"), {"email": employee.email})
        for _ in range(accounts.RESETS_PER_HOUR + 2)
    ]
    assert {page.status_code for page in pages} == {302}
    assert len(mail.outbox) == accounts.RESETS_PER_HOUR
    assert queued == ["engagement.accounts.mail_send"] * accounts.RESETS_PER_HOUR


def test_a_reset_link_works_once(client, org):
    client.post(reverse("password_reset"), {"email": org["employee"].email})
    link = _link_in(mail.outbox[0])
    _set_password_through(client, link, "a-new-long-passphrase")
    page = client.get(link, follow=True)
    assert not page.context["validlink"]
    assert 'id="link-invalid"' in page.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, org):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_with_a_message(client, org):
    client.post(reverse("password_reset"), {"email": org["employee"].email})
    response = _set_password_through(client, _link_in(mail.outbox[0]), "1234")
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    org["employee"].refresh_from_db()
    assert org["employee"].check_password("pw")


def test_someone_imported_without_a_password_can_ask_for_a_link(client, org):
    newcomer = make_person("newcomer", manager=org["manager"])
    newcomer.set_unusable_password()
    newcomer.save()
    client.post(reverse("password_reset"), {"email": newcomer.email})
    assert [m.to for m in mail.outbox] == [[newcomer.email]]


# Invitations ----------------------------------------------------------------------


@pytest.fixture
def newcomer(org):
    person = make_person("newcomer", manager=org["manager"])
    person.set_unusable_password()
    person.save()
    return person


def test_hr_invites_from_the_person_page_and_the_person_signs_in(
    client, org, newcomer, django_capture_on_commit_callbacks
):
    client.force_login(org["hr"])
    page = client.get(newcomer.get_absolute_url()).content.decode()
    assert 'id="send-invitation"' in page
    assert "has not chosen a password yet" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("engagement:person_invite", args=[newcomer.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [newcomer.email]
    assert "invited to Rapport by" in message.body
    client.logout()

    link = _link_in(message)
    assert link.startswith("/accounts/welcome/")
    page = client.get(link, follow=True)
    assert "Welcome to Rapport" in page.content.decode()
    _set_password_through(client, link, "my-own-long-passphrase")
    assert _sign_in(client, newcomer.email, "my-own-long-passphrase").status_code == 302
    assert _signed_in(client)
    # The link has done its work.
    assert not client.get(link, follow=True).context["validlink"]


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_only_hr_sends_invitations(client, org, newcomer, role, django_capture_on_commit_callbacks):
    client.force_login(org[role])
    page = client.get(newcomer.get_absolute_url()).content.decode()
    assert "send-invitation" not in page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("engagement:person_invite", args=[newcomer.pk]))
    assert response.status_code == 403
    assert callbacks == []
    assert mail.outbox == []


def test_an_invitation_for_someone_who_does_not_exist_is_a_404(client, org, newcomer):
    inactive = make_person("gone", manager=org["manager"], is_active=False)
    client.force_login(org["outsider"])
    for pk in (inactive.pk, 999_999):
        response = client.post(reverse("engagement:person_invite", args=[pk]))
        assert response.status_code == 404
    assert mail.outbox == []


def test_inviting_someone_without_an_e_mail_says_why(client, org):
    nameless = make_person("noemail", manager=org["manager"], email="")
    client.force_login(org["hr"])
    response = client.post(reverse("engagement:person_invite", args=[nameless.pk]), follow=True)
    assert "cannot be invited" in response.content.decode()
    assert mail.outbox == []


def test_the_invitation_is_only_a_get_away_from_nothing(
    client, org, newcomer, django_capture_on_commit_callbacks
):
    client.force_login(org["hr"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("engagement:person_invite", args=[newcomer.pk]))
    assert response.status_code == 405
    assert mail.outbox == []


CSV = (
    "email,name,title,department,manager_email\n"
    "ada@example.com,Ada Lovelace,Analyst,Operations,manager@example.com\n"
    "employee@example.com,Employee Tester,Associate,Operations,manager@example.com\n"
)


def test_the_import_command_invites_those_without_a_password(
    org, tmp_path, capsys, django_capture_on_commit_callbacks
):
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_people", str(path), "--invite", verbosity=0)
    assert "1 invited" in capsys.readouterr().out
    # The employee already has a password; only the newcomer is invited.
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]


def test_the_import_without_the_flag_sends_nothing(
    org, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_people", str(path), verbosity=0)
    assert Person.objects.filter(email="ada@example.com").exists()
    assert mail.outbox == []


def test_the_admin_import_sends_invitations_when_asked(
    client, org, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    hr = org["hr"]
    hr.is_staff = True
    hr.save()
    client.force_login(hr)
    upload = SimpleUploadedFile("people.csv", CSV.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:engagement_person_import"), {"file": upload, "invite": "on"}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    assert "by Hr" in mail.outbox[0].body


def test_a_failed_import_invites_nobody(org, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "people.csv"
    path.write_text(CSV + "not-an-address,Broken Row,,,\n")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(CommandError, match="Nothing was imported"),
    ):
        call_command("import_people", str(path), "--invite", verbosity=0)
    assert callbacks == []
    assert mail.outbox == []
