from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Organisations and members"

    def ready(self):
        from . import signal_handlers  # noqa: F401
