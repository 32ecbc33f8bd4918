"""Compile site/locale/*/LC_MESSAGES/django.po into .mo files.

Django's `compilemessages` needs GNU gettext's msgfmt; this does the same with polib so a
fresh clone can run `make run` on a machine without gettext."""

import os
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the UI translations (.po → .mo) in LOCALE_PATHS."

    def handle(self, *args, **options):
        compiled = 0
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as error:
                    raise CommandError(f"{po_path}: {error}") from error
                # Written beside it, then renamed over it: a process reading the catalogues
                # meanwhile (a test run, a served site) sees the old file or the new, whole.
                partial = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.partial")
                catalogue.save_as_mofile(str(partial))
                os.replace(partial, mo_path)
                compiled += 1
        self.stdout.write(f"Compiled {compiled} translation catalogue(s).")
