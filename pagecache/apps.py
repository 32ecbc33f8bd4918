from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """The public pages cached for anonymous visitors, and the receivers that make any change
    to what they show visible at once. It imports no other app of the project: it listens
    to every model save of the content apps by label."""

    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import signal_handlers  # noqa: F401
