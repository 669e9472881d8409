"""Calendar pages and feeds. (Being written: see the calendar helper.)"""

from django.http import Http404


def my_calendar(request):
    raise Http404


def feed_regenerate(request):
    raise Http404


def calendar_feed(request, token):
    raise Http404


def my_settings(request):
    raise Http404


def session_ics(request, pk):
    raise Http404
