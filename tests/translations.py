"""The UI translations for tests that look at translated pages.

`make test` compiles them first; running pytest directly on a fresh clone has no .mo files,
so these tests compile them (polib, like `make compilemessages`) and make Django reload."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils.translation.reloader import translation_file_changed


def compile_translations():
    call_command("compile_translations", stdout=StringIO())
    # Django keeps the catalogues it has loaded; this is what its autoreloader does when a
    # .mo file changes.
    translation_file_changed(sender=None, file_path=Path("django.mo"))
