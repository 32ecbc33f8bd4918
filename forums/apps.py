from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Forums"

    def ready(self):
        from search import indexing

        from . import signal_handlers
        from .search_documents import ThreadBuilder

        # Registered here rather than in `search.indexing`: the search app knows no forum.
        indexing.register(ThreadBuilder())
        signal_handlers.register()
