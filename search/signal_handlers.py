"""Keeping search documents current. Pages follow Wagtail's publishing signals (a saved
draft is not searchable; a published revision is); organisations follow post_save.

Each handler runs inside the transaction that made the change, so the document, its outbox
row and the change commit or roll back together."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from practices.signals import pages_imported

from . import indexing


def _library_models():
    return [
        builder.model
        for builder in indexing.builders.values()
        if isinstance(builder, indexing.LibraryPageBuilder)
    ]


def on_page_published(sender, instance, **kwargs):
    indexing.index_object(instance)


def on_page_unpublished(sender, instance, **kwargs):
    builder = indexing.builder_for(instance)
    if builder is not None:
        indexing.remove_object(builder.object_type, instance.pk)


def on_page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    """A move changes the URL of the page and of every page below it."""
    if url_path_before == url_path_after:
        return
    moved = Page.objects.descendant_of(instance, inclusive=True).live().specific()
    for page in moved:
        if indexing.builder_for(page) is not None:
            indexing.index_object(page)


def on_object_deleted(sender, instance, **kwargs):
    builder = indexing.builder_for(instance)
    if builder is not None:
        indexing.remove_object(builder.object_type, instance.pk)


def on_pages_imported(sender, pages, **kwargs):
    indexing.index_objects(pages)


def on_organisation_saved(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        indexing.index_object(instance)


def register():
    from members.models import Organisation

    page_published.connect(on_page_published, dispatch_uid="search_page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search_page_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="search_page_moved")
    pages_imported.connect(on_pages_imported, dispatch_uid="search_pages_imported")
    # Deleting a parent page deletes its subtree; Django sends post_delete for each specific
    # page it collects, so every deleted practice or guide is seen here.
    for model in _library_models():
        post_delete.connect(
            on_object_deleted, sender=model, dispatch_uid=f"search_deleted_{model._meta.label}"
        )
    post_save.connect(on_organisation_saved, sender=Organisation, dispatch_uid="search_org_saved")
    post_delete.connect(on_object_deleted, sender=Organisation, dispatch_uid="search_org_deleted")
