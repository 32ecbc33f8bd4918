from django.core.management.base import BaseCommand

from forums.notifying import send_digests


class Command(BaseCommand):
    help = (
        "Queue the daily digest of each member who chose one: their unread forum "
        "notifications not emailed yet (nothing for those with nothing new). Run it once a "
        "day; the task worker sends the emails."
    )

    def handle(self, *args, **options):
        count = send_digests()
        self.stdout.write(f"{count} forum digests queued")
