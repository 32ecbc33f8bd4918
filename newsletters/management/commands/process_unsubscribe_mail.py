"""Read the mailbox of `NEWSLETTERS_UNSUBSCRIBE_EMAIL` (the mailto of every email's
List-Unsubscribe header) and unsubscribe the subscriber whose signed token a message's
subject carries ("unsubscribe <token>")."""

import mailbox
from email.header import decode_header, make_header
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletters import links
from newsletters.models import Subscriber
from newsletters.subscribing import unsubscribe_everything


def _subject(message):
    return str(make_header(decode_header(message.get("Subject", ""))))


class Command(BaseCommand):
    help = "Unsubscribe the senders of List-Unsubscribe mails in an mbox file or a Maildir."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", metavar="MAILBOX", help="path of an mbox file or a Maildir directory"
        )

    def handle(self, *args, path, **options):
        path = Path(path)
        if path.is_dir():
            box = mailbox.Maildir(path, create=False)
        elif path.is_file():
            box = mailbox.mbox(path, create=False)
        else:
            raise CommandError(f"No mbox file or Maildir at {path}")
        done = ignored = 0
        for message in box:
            words = _subject(message).split()
            token = words[-1] if len(words) >= 2 and words[0].lower() == "unsubscribe" else ""
            try:
                subscriber_token = links.read_manage_token(token)
            except links.InvalidLink:
                ignored += 1
                continue
            subscriber = Subscriber.objects.filter(token=subscriber_token).first()
            if subscriber is None:
                ignored += 1
                continue
            unsubscribe_everything(subscriber, source="mailto")
            done += 1
        self.stdout.write(f"{done} unsubscribed, {ignored} messages without a valid token")
