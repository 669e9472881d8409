from django.core.management.base import BaseCommand

from engagement.demo import demo_accounts, demo_load
from engagement.models import Department, Person, Program


class Command(BaseCommand):
    help = (
        "Load the Northwind demo organisation (about 120 people, one program per practice) "
        "into an empty database, then list the demo accounts. Does nothing if anyone exists."
    )

    def handle(self, *args, **options):
        demo_load(stdout=self.stdout)
        self.stdout.write(
            f"The database holds {Person.objects.count()} people, "
            f"{Department.objects.count()} departments and {Program.objects.count()} programs."
        )
        accounts = demo_accounts()
        if not accounts:
            return
        header = {"username": "Username", "password": "Password", "role": "Role", "name": "Name"}
        rows = [header, *accounts]
        widths = {column: max(len(row[column]) for row in rows) for column in header}
        self.stdout.write("\nDemo accounts:")
        for row in rows:
            line = "  ".join(row[column].ljust(widths[column]) for column in header)
            self.stdout.write("  " + line.rstrip())
