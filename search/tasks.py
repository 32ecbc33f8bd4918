"""Background work of the search app, on the django-tasks queue (`manage.py db_worker`)."""

import logging

from django_tasks import task

from . import indexing, outbox
from .backends import outbox_backend

logger = logging.getLogger("search")


@task()
def drain_search_outbox():
    """Carry outbox rows to Elasticsearch. When rows are left waiting (cluster down), run
    again when the earliest is due, if the task backend can schedule; otherwise the next
    change or `manage.py search_index drain` picks them up."""
    backend = outbox_backend()
    if backend is None:
        return {"indexed": 0, "deleted": 0, "failed": 0}
    result = outbox.drain(backend)
    if result.failed and drain_search_outbox.get_backend().supports_defer:
        next_attempt = outbox.DrainResult.next_attempt_at()
        if next_attempt is not None:
            drain_search_outbox.using(run_after=next_attempt).enqueue()
    return {"indexed": result.indexed, "deleted": result.deleted, "failed": result.failed}


def enqueue_drain():
    """Called on commit of a transaction that wrote outbox rows."""
    drain_search_outbox.enqueue()


@task()
def reindex_items(items):
    """Rewrite the search documents of `items` ({object type: [ids]}): the items tagged with
    a theme whose labels, slug or place in the tree changed, or that was deleted."""
    return {"indexed": indexing.index_items(items)}
