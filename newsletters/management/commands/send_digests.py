from django.core.management.base import BaseCommand
from tqdm import tqdm

from newsletters.digests import DigestRun
from newsletters.models import Subscription


class Command(BaseCommand):
    help = (
        "Queue each confirmed subscriber's digest of what their saved searches found since "
        "their last one (nothing for those with nothing new); the task worker sends them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            required=True,
            choices=[Subscription.Frequency.WEEKLY, Subscription.Frequency.MONTHLY],
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, frequency, no_progress, **options):
        run = DigestRun(frequency)
        subscribers = run.due().values("subscriber_id").distinct().count()
        with tqdm(
            total=subscribers,
            unit="subscriber",
            disable=no_progress,
            file=self.stderr,
        ) as bar:
            send = run.send(progress=bar.update)
        self.stdout.write(
            f"{run.emails} digests queued for {run.subscribers} subscribers"
            + (f" (send {send.pk})" if send is not None else "")
        )
