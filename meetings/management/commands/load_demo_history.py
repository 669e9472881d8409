from django.core.management.base import BaseCommand

from meetings.demo import demo_history_load


class Command(BaseCommand):
    help = "Add past meetings (notes, actions, topics, answers) to the demo organisation, once."

    def handle(self, *args, **options):
        if not demo_history_load(stdout=self.stdout):
            self.stdout.write("Meeting history: nothing to add.")
