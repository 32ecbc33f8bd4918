from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo content and its loader (`manage.py load_demo`): installed by the development
    and test settings, never in production."""

    name = "demo"
    verbose_name = "Demo content"
