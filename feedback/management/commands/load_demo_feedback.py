from django.core.management.base import BaseCommand

from feedback.demo import demo_feedback_load


class Command(BaseCommand):
    help = "Add two years of survey results and an action plan to the demo organisation, once."

    def handle(self, *args, **options):
        if not demo_feedback_load(stdout=self.stdout):
            self.stdout.write("Survey history: nothing to add.")
