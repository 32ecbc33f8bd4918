"""Recount the live, public practices and guides per country and theme from scratch
(`practices.tallies`): after items were written without Django's signals, such as raw SQL
bulk loads (bench/pages.py)."""

from django.core.management.base import BaseCommand

from practices.tallies import retally


class Command(BaseCommand):
    help = "Recount the practices and guides per country and theme from scratch."

    def handle(self, *args, **options):
        retally()
