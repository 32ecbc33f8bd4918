from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Forums"

    def ready(self):
        from . import picks, signal_handlers

        signal_handlers.register()
        picks.register()
