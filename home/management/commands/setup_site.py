from django.core.management.base import BaseCommand

from home.structure import ensure_site_structure


class Command(BaseCommand):
    help = "Create the locales and the home, practice and guide pages of every locale."

    def handle(self, *args, **options):
        trees = ensure_site_structure()
        self.stdout.write(self.style.SUCCESS(f"Site structure ready in {len(trees)} locales."))
