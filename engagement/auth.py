from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from engagement import access
from engagement.models import Person


def _username_for(login: str | None) -> str | None:
    """The username a sign-in names: the login itself, or the owner of an e-mail address."""
    if login and "@" in login:
        person = Person.objects.filter(email__iexact=login.strip()).only("username").first()
        if person is not None:
            return person.get_username()
    return login


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with a username or, as people expect, with an e-mail address; an HR
    administrator's role brings the admin permissions it needs (access.admin_permissions)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(
            request, username=_username_for(username), password=password, **kwargs
        )

    def get_all_permissions(self, user_obj, obj=None):
        permissions = super().get_all_permissions(user_obj, obj)
        if obj is not None or user_obj.is_anonymous:
            return permissions
        return permissions | access.admin_permissions(user_obj)


def throttled_username(request, credentials) -> str | None:
    """The account django-axes counts failures against (``AXES_USERNAME_CALLABLE``).

    A username and its e-mail address are one account, so switching between
    them does not buy anyone more guesses.
    """
    login = (credentials or {}).get("username")
    if login is None and request is not None:
        login = request.POST.get("username")
    return _username_for(login)


def client_address(request) -> str | None:
    """The address sign-in throttling counts failures against (django-axes)."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= settings.PROXY_COUNT:
            return hops[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")
