"""Suppress the addresses that bounced or complained, from an mbox or a Maildir."""

from django.core.management.base import BaseCommand, CommandError

from delivery.bounces import process_mailbox


class Command(BaseCommand):
    help = (
        "Read delivery status notifications (RFC 3464) and feedback reports (RFC 5965) from "
        "an mbox file or a Maildir directory and suppress the addresses they name: hard "
        "bounces and complaints at once, soft bounces after DELIVERY_SOFT_BOUNCE_LIMIT."
    )

    def add_arguments(self, parser):
        parser.add_argument("mailbox", help="Path of an mbox file or a Maildir directory.")

    def handle(self, *args, mailbox, verbosity=1, **options):
        try:
            report = process_mailbox(mailbox)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        if verbosity:
            self.stdout.write(
                f"{report.messages} messages: {report.hard_bounces} hard bounces, "
                f"{report.soft_bounces} soft bounces, {report.complaints} complaints, "
                f"{report.unrecognised} not recognised; "
                f"{len(report.suppressed)} addresses suppressed."
            )
            for address in report.suppressed:
                self.stdout.write(f"  suppressed {address}")
