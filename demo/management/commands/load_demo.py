"""`manage.py load_demo [--if-empty] [--participedia-dir DIR]`

The site structure, demo organisations and accounts (see `demo.organisations` for the
passwords), the five seed documents as practices in their own locales, the Participedia
exports, guides, the home page's featured collections, and forums with threads in the seven
languages. Idempotent."""

from django.core.management.base import BaseCommand

from demo.loader import DemoLoader, default_participedia_dir
from practices.models import PracticePage


class Command(BaseCommand):
    help = (
        "Load the demo content (seed practices, organisations, accounts, guides, Participedia, "
        "forums)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has practices (used by `make run`).",
        )
        parser.add_argument(
            "--participedia-dir",
            default=None,
            help=f"Folder with Participedia CSV exports (default: {default_participedia_dir()}).",
        )

    def handle(self, *args, if_empty, participedia_dir, **options):
        if if_empty and PracticePage.objects.exists():
            self.stdout.write("Practices already exist; demo content not loaded (--if-empty).")
            return
        DemoLoader(say=self.stdout.write).run(participedia_dir=participedia_dir)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
