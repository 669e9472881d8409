import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the app with runserver and a django-q2 worker beside it; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            default=f"127.0.0.1:{os.environ.get('PORT', '8000')}",
            help="Address and port to serve on (default 127.0.0.1:$PORT or 8000).",
        )

    def handle(self, *args, addrport, **options):
        # A process manager stops us with SIGTERM, a person with Ctrl-C; both
        # must stop the children too (SIGINT may arrive ignored when started
        # in the background, so it is set explicitly).
        signal.signal(signal.SIGTERM, _interrupt)
        signal.signal(signal.SIGINT, _interrupt)
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        # Each child gets its own session so that Ctrl-C reaches only this
        # process, which then stops each child exactly once: django-q2's
        # signal handler is not re-entrant and a second signal during its
        # shutdown ends in a RecursionError.
        worker = subprocess.Popen([*manage, "qcluster"], start_new_session=True)
        web = subprocess.Popen([*manage, "runserver", addrport], start_new_session=True)
        self.stdout.write(
            f"Serving on http://{addrport}/ with a background worker. Ctrl-C stops both."
        )
        try:
            while worker.poll() is None and web.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("Stopping the web server and the worker…")
        finally:
            _stop(web, group=True)  # runserver's autoreloader runs the server as a child
            _stop(worker, group=False)  # the cluster's sentinel stops its own workers
        if web.returncode not in (0, -signal.SIGTERM, None) or worker.returncode not in (
            0,
            -signal.SIGTERM,
            None,
        ):
            raise CommandError("The web server or the worker stopped unexpectedly.")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop(process: subprocess.Popen, *, group: bool) -> None:
    if process.poll() is not None:
        return
    if group:
        os.killpg(process.pid, signal.SIGTERM)
    else:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
