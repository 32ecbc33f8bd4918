from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """What every content app shares: body blocks, HTML sanitising, language helpers, the
    "site editor" predicate and the admin's "Library" menu. It imports no other app."""

    name = "editorial"
    verbose_name = "Editorial"
