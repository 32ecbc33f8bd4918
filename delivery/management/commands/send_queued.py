"""Send the queued email in the foreground, with a progress bar (the task worker does the
same in the background)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from delivery import sending
from delivery.models import Delivery


class Command(BaseCommand):
    help = "Send the deliveries that are due; with --wait, until none is queued."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Keep going until nothing is queued, waiting for retries as they fall due.",
        )

    def handle(self, *args, wait=False, verbosity=1, **options):
        queued = Delivery.objects.filter(status=Delivery.Status.QUEUED)
        total = sending.Result()
        with tqdm(total=queued.count(), unit="msg", desc="Sending", disable=verbosity == 0) as bar:
            while True:
                result = sending.deliver_due(progress=bar.update)
                for name in ("sent", "failed", "skipped", "uncertain", "retried"):
                    setattr(total, name, getattr(total, name) + getattr(result, name))
                if result.connection_error:
                    raise CommandError(
                        f"The SMTP server cannot be reached ({result.connection_error}); "
                        f"{queued.count()} deliveries remain queued."
                    )
                next_at = sending.next_retry_at()
                if not wait or next_at is None:
                    break
                bar.set_postfix_str(f"next retry at {next_at:%H:%M:%S}")
                time.sleep(max(0.0, min((next_at - timezone.now()).total_seconds(), 60)))
        if verbosity:
            self.stdout.write(
                f"Sent {total.sent}, failed {total.failed}, uncertain {total.uncertain}, "
                f"skipped {total.skipped}; {queued.count()} remain queued."
            )
