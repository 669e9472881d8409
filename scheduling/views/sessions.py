from django.http import Http404


def session_detail(request, pk):
    raise Http404


def session_cancel(request, pk):
    raise Http404


def session_move(request, pk):
    raise Http404


def session_sign_up(request, pk):
    raise Http404


def session_withdraw(request, pk):
    raise Http404
