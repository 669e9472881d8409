from django.contrib.auth.backends import ModelBackend

from engagement.models import Person


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with a username or, as people expect, with an e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            person = Person.objects.filter(email__iexact=username.strip()).first()
            if person is not None:
                username = person.get_username()
        return super().authenticate(request, username=username, password=password, **kwargs)
