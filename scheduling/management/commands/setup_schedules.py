from django.core.management.base import BaseCommand
from django.db.models import Q
from django_q.models import Schedule

from scheduling.schedules import JOBS


class Command(BaseCommand):
    help = "Create or update the recurring background jobs (idempotent)."

    def handle(self, *args, **options):
        for job in JOBS:
            _, created = Schedule.objects.update_or_create(
                name=job.name,
                defaults={
                    "func": job.func,
                    "schedule_type": job.schedule_type,
                    "minutes": job.minutes,
                    "repeats": -1,
                },
            )
            self.stdout.write(f"{'Created' if created else 'Up to date'}: {job.name}")
        stale = Schedule.objects.filter(
            Q(func__startswith="scheduling.") | Q(func__startswith="feedback.")
        ).exclude(name__in=[job.name for job in JOBS])
        removed, _ = stale.delete()
        if removed:
            self.stdout.write(f"Removed {removed} schedule(s) no longer declared.")
