from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from . import signal_handlers

        # Each content app declares its items' search documents in `search_documents`.
        autodiscover_modules("search_documents")
        signal_handlers.register()
