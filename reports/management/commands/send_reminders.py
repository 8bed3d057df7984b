"""Send today's reminders to the provinces that have not submitted (the beat task does it daily)."""

from django.core.management.base import BaseCommand

from core import clock
from reports.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Send today's reminders to provinces that have not submitted (each reminder goes out once)."

    def handle(self, *args, **options):
        sent = reminders_send(today=clock.today())
        self.stdout.write(f"Reminders sent to {sent} province(s) for {clock.today().isoformat()}.")
