from django.core.management.base import BaseCommand

from scheduling import schedules


class Command(BaseCommand):
    help = "Create or update the recurring background jobs every app declared (idempotent)."

    def handle(self, *args, **options):
        schedules.setup(self.stdout.write)
