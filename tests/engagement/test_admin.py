"""HR works in the admin without superuser rights; password changes by an administrator
are recorded and the person is told."""

import logging

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse

from engagement.models import Person


@pytest.fixture
def hr(org):
    hr = org["hr"]
    hr.is_staff = True
    hr.save()
    return hr


@pytest.fixture
def operator(db):
    return Person.objects.create_superuser("root", "root@example.com", "pw")


def test_createsuperuser_makes_an_operator_outside_the_organisation(operator, org):
    assert operator.is_operator
    assert not Person.objects.active().filter(pk=operator.pk).exists()
    directory = Person.objects.active().values_list("username", flat=True)
    assert "root" not in directory


def test_hr_has_the_admin_permissions_it_needs_and_no_more(hr):
    assert not hr.is_superuser
    for permission in (
        "engagement.change_person",
        "engagement.add_program",
        "scheduling.view_session",
        "axes.delete_accessattempt",
    ):
        assert hr.has_perm(permission), permission
    for permission in ("django_q.change_schedule", "auth.change_group", "admin.delete_logentry"):
        assert not hr.has_perm(permission), permission


def test_without_staff_status_hr_has_no_admin_permissions(org):
    assert not org["hr"].has_perm("engagement.change_person")


def test_hr_uses_the_admin(client, hr):
    client.force_login(hr)
    assert client.get(reverse("admin:engagement_person_changelist")).status_code == 200
    assert client.get(reverse("admin:engagement_program_changelist")).status_code == 200
    assert client.get(reverse("admin:django_q_schedule_changelist")).status_code == 403


def test_hr_cannot_make_anyone_a_superuser(client, org, hr):
    client.force_login(hr)
    page = client.get(reverse("admin:engagement_person_change", args=[org["employee"].pk]))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="user_permissions"' not in page.content.decode()


def test_hr_cannot_open_an_operators_account(client, hr, operator):
    client.force_login(hr)
    for view in ("engagement_person_change", "auth_user_password_change"):
        url = reverse(f"admin:{view}", args=[operator.pk])
        assert client.get(url).status_code in (302, 404)
        response = client.post(url, {"password1": "taken-over-x9", "password2": "taken-over-x9"})
        assert response.status_code in (302, 404)
    operator.refresh_from_db()
    assert operator.check_password("pw")


@pytest.mark.parametrize("who", ["hr", "operator"])
def test_an_administrator_changing_someones_password_is_recorded_and_told(
    client, org, hr, operator, who, caplog, django_capture_on_commit_callbacks
):
    actor = hr if who == "hr" else operator
    employee = org["employee"]
    client.force_login(actor)
    url = reverse("admin:auth_user_password_change", args=[employee.pk])
    # The warning goes out once the change is committed.
    with (
        caplog.at_level(logging.WARNING, logger="engagement.accounts"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            url,
            {
                "password1": "A-new-long-passphrase-1",
                "password2": "A-new-long-passphrase-1",
                "usable_password": "true",
            },
        )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password("A-new-long-passphrase-1")
    entry = LogEntry.objects.get(object_id=str(employee.pk))
    assert entry.user == actor
    assert "password" in entry.get_change_message().lower()
    assert any(
        actor.username in record.getMessage() and "changed the password" in record.getMessage()
        for record in caplog.records
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [employee.email]
    assert str(actor) in mail.outbox[0].body


def test_a_refused_password_change_tells_nobody(client, org, hr):
    client.force_login(hr)
    url = reverse("admin:auth_user_password_change", args=[org["employee"].pk])
    response = client.post(url, {"password1": "a", "password2": "b", "usable_password": "true"})
    assert response.status_code == 200
    assert mail.outbox == []


def test_changing_ones_own_password_sends_no_warning(client, hr):
    client.force_login(hr)
    url = reverse("admin:auth_user_password_change", args=[hr.pk])
    pw = "A-new-long-passphrase-1"
    response = client.post(url, {"password1": pw, "password2": pw, "usable_password": "true"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_hr_cannot_change_a_senior_leaders_e_mail_or_password(client, org, hr):
    """With either, HR could sign in as the leader and read skip-level answers."""
    leader = org["leader"]
    client.force_login(hr)
    page = client.get(reverse("admin:engagement_person_change", args=[leader.pk]))
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()
    url = reverse("admin:auth_user_password_change", args=[leader.pk])
    response = client.post(url, {"password1": "taken-over-x9", "password2": "taken-over-x9"})
    assert response.status_code == 403
    leader.refresh_from_db()
    assert not leader.check_password("taken-over-x9")
    # An employee's address stays HR's to correct.
    page = client.get(reverse("admin:engagement_person_change", args=[org["employee"].pk]))
    assert 'name="email"' in page.content.decode()


def test_an_e_mail_change_by_an_administrator_is_told_to_the_old_address(
    org, hr, rf, django_capture_on_commit_callbacks
):
    from types import SimpleNamespace

    from django.contrib import admin

    employee = org["employee"]
    old = employee.email
    employee.email = "someone-else@example.com"
    request = rf.post("/")
    request.user = hr
    form = SimpleNamespace(initial={"email": old}, changed_data=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        admin.site._registry[Person].save_model(request, employee, form, change=True)
    assert [m.to for m in mail.outbox] == [[old]]
    assert "someone-else@example.com" in mail.outbox[0].body
    assert str(hr) in mail.outbox[0].body


def test_an_administrators_change_that_is_not_saved_tells_nobody(
    org, hr, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from engagement import accounts

    employee = org["employee"]

    def save_that_fails():
        with transaction.atomic():
            accounts.email_changed_by_admin(person=employee, actor=hr, previous=employee.email)
            raise RuntimeError("the save failed after the warning was prepared")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        save_that_fails()
    assert mail.outbox == []


# The organisation's calendar ------------------------------------------------------


def test_hr_sets_the_country_and_adds_a_departments_day_off_in_the_admin(client, org, hr):
    from datetime import date

    from engagement.models import Holiday, Organisation

    client.force_login(hr)
    # The one settings row: the list opens its form.
    response = client.get(reverse("admin:engagement_organisation_changelist"))
    assert response.status_code == 302
    add = reverse("admin:engagement_organisation_add")
    assert response.url == add
    response = client.post(
        add, {"country": "GB", "subdivision": "ZZZ", "time_zone": "Europe/London"}
    )
    assert response.status_code == 200
    assert "is not a region of this country" in response.content.decode()
    assert not Organisation.objects.exists()
    response = client.post(
        add, {"country": "GB", "subdivision": "eng", "time_zone": "Europe/London"}
    )
    assert response.status_code == 302
    settings = Organisation.current()
    assert (settings.pk, settings.country, settings.subdivision) == (1, "GB", "ENG")
    page = client.get(reverse("admin:engagement_organisation_change", args=[1])).content.decode()
    assert "Christmas Day" in page
    assert client.get(add).status_code == 403  # one row only

    operations = org["departments"]["operations"]
    response = client.post(
        reverse("admin:engagement_holiday_add"),
        {"day": "2027-03-10", "name": "Stock-take", "department": operations.pk},
    )
    assert response.status_code == 302
    assert Holiday.objects.get().department == operations
    response = client.post(
        reverse("admin:engagement_holiday_add"),
        {"day": "2027-03-10", "name": "Again", "department": operations.pk},
    )
    assert "already has this day off" in response.content.decode()
    assert Holiday.objects.filter(day=date(2027, 3, 10)).count() == 1


def test_only_hr_and_operators_change_the_organisations_calendar(client, org, hr):
    for permission in (
        "engagement.change_organisation",
        "engagement.add_holiday",
        "engagement.delete_holiday",
    ):
        assert hr.has_perm(permission), permission
    manager = org["manager"]
    manager.is_staff = True
    manager.save()
    assert not manager.has_perm("engagement.add_holiday")
    client.force_login(manager)
    assert client.get(reverse("admin:engagement_holiday_changelist")).status_code == 403
