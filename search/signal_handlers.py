"""Keeping search documents current. Pages follow Wagtail's publishing signals (a saved
draft is not searchable; a published revision is); organisations follow post_save. A theme
whose labels, slug or parent change, or that is deleted, has the documents of the items
tagged with it (or with a theme below it) rewritten by a background task.

Each handler runs inside the transaction that made the change, so the document, its outbox
row and the change commit or roll back together."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
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


def on_organisation_themes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """The admin saves an organisation, then its themes: its document follows both."""
    if action == "pre_clear" and reverse:
        instance._organisations_before_clear = list(
            instance.organisations.values_list("pk", flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        indexing.index_object(instance)
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_organisations_before_clear", [])
    indexing.index_items({indexing.OrganisationBuilder.object_type: sorted(pk_set)})


def _indexed_state(theme):
    """What the documents of a theme's items hold of it."""
    return theme.slug, theme.parent_id, sorted(theme.labels().items())


def _reindex_after_commit(items):
    from .tasks import reindex_items

    if items:
        transaction.on_commit(lambda: reindex_items.enqueue(items))


def on_theme_saving(sender, instance, raw=False, **kwargs):
    stored = None if raw or instance.pk is None else sender.objects.filter(pk=instance.pk).first()
    instance._indexed_state = _indexed_state(stored) if stored is not None else None


def on_theme_saved(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_indexed_state", None)
    if raw or created or before is None or before == _indexed_state(instance):
        return
    _reindex_after_commit(indexing.items_tagged_with(instance.subtree_ids()))


def on_theme_deleting(sender, instance, **kwargs):
    # After the delete the items are no longer tagged with it: they are found now.
    _reindex_after_commit(indexing.items_tagged_with(instance.subtree_ids()))


def register():
    from members.models import Organisation
    from taxonomy.models import Theme

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
    m2m_changed.connect(
        on_organisation_themes_changed,
        sender=Organisation.themes.through,
        dispatch_uid="search_org_themes",
    )
    pre_save.connect(on_theme_saving, sender=Theme, dispatch_uid="search_theme_saving")
    post_save.connect(on_theme_saved, sender=Theme, dispatch_uid="search_theme_saved")
    pre_delete.connect(on_theme_deleting, sender=Theme, dispatch_uid="search_theme_deleting")
