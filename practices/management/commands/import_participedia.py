"""`manage.py import_participedia FILE... [--dry-run] [--locale en]`

Cases become practices, methods become guides, organizations become organisations (see
`practices.importers.participedia` for how each column is used)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from practices.importers.participedia import run_import
from practices.importers.report import ImportFileError


class Command(BaseCommand):
    help = "Import Participedia CSV exports: cases, methods and organizations."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Participedia CSV exports")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and report everything without writing to the database.",
        )
        parser.add_argument(
            "--locale",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Locale whose libraries receive the pages (default: %(default)s).",
        )

    def handle(self, *args, files, dry_run, locale, verbosity, **options):
        started = time.monotonic()
        try:
            report = run_import(files, locale=locale, dry_run=dry_run, progress=verbosity > 0)
        except ImportFileError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"Took {time.monotonic() - started:.1f} s.")
