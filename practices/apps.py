from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Practices and guides"

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()
