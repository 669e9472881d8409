from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from scheduling.reminders import reminders_pending, reminders_prepare, reminders_send


class Command(BaseCommand):
    help = "Create the reminders now due and send every pending one, as the background job does."

    def handle(self, *args, **options):
        now = timezone.now()
        prepared = reminders_prepare(now=now)
        with tqdm(
            total=reminders_pending(now=now).count(),
            unit="e-mail",
            desc="Sending",
            file=self.stderr._out,
            disable=options["verbosity"] == 0,
        ) as bar:
            result = reminders_send(now=now, progress=bar.update)
        self.stdout.write(f"Reminders: {prepared} prepared; {result}.")
