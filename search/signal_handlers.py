"""Keeping search documents current, for every registered `DocumentBuilder` as it declares
(see `search.indexing`): pages follow Wagtail's publishing signals (a saved draft is not
searchable; a published revision is), other models follow post_save and post_delete, and
many-to-many fields and other signals a builder names reindex the items they concern. A
theme whose labels, slug or parent change, or that is deleted, has the documents of the
items tagged with it (or with a theme below it) rewritten by a background task.

Each handler runs inside the transaction that made the change, so the document, its outbox
row and the change commit or roll back together."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import indexing


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
        builder = indexing.builder_for(page)
        if builder is not None and builder.follows == indexing.FOLLOWS_PUBLISHING:
            indexing.index_object(page)


def on_object_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_object(instance)


def on_object_deleted(sender, instance, **kwargs):
    builder = indexing.builder_for(instance)
    if builder is not None:
        indexing.remove_object(builder.object_type, instance.pk)


def _m2m_handler(builder, field):
    """A handler of `m2m_changed` for the many-to-many `field` of `builder.model`: changed
    from the item's side, the item is reindexed; from the other side (a theme's items, say),
    the items `pk_set` names, or on a clear those `pre_clear` noted."""
    item_column = field.m2m_field_name()
    other_column = field.m2m_reverse_field_name()
    noted = f"_search_{builder.object_type}_{field.name}_before_clear"

    def on_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:
            if action in ("post_add", "post_remove", "post_clear"):
                indexing.index_object(instance)
            return
        if action == "pre_clear":
            setattr(
                instance,
                noted,
                list(
                    sender.objects.filter(**{other_column: instance}).values_list(
                        item_column, flat=True
                    )
                ),
            )
            return
        if action == "post_clear":
            pk_set = getattr(instance, noted, [])
        elif action not in ("post_add", "post_remove"):
            return
        indexing.index_items({builder.object_type: sorted(pk_set)})

    return on_changed


def _signal_handler(items_of):
    def on_signal(sender, **kwargs):
        indexing.index_objects(items_of(sender, **kwargs))

    return on_signal


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


def _connect_builder(builder):
    model = builder.model
    label = f"{builder.object_type}_{model._meta.label}"
    if builder.follows == indexing.FOLLOWS_OWN_HANDLERS:
        return
    if builder.follows == indexing.FOLLOWS_SAVES:
        post_save.connect(on_object_saved, sender=model, dispatch_uid=f"search_saved_{label}")
    # Deleting a parent page deletes its subtree; Django sends post_delete for each specific
    # page it collects, so every deleted item is seen here.
    post_delete.connect(on_object_deleted, sender=model, dispatch_uid=f"search_deleted_{label}")
    for name in builder.m2m_fields:
        field = model._meta.get_field(name)
        m2m_changed.connect(
            _m2m_handler(builder, field),
            sender=field.remote_field.through,
            weak=False,
            dispatch_uid=f"search_m2m_{label}_{name}",
        )
    for signal, items_of in builder.related_signals().items():
        # One handler per (signal, function): builders sharing one (practices and guides
        # share `pages_imported`) must not reindex the same items twice.
        signal.connect(
            _signal_handler(items_of),
            weak=False,
            dispatch_uid=f"search_related_{id(signal)}_{items_of.__module__}.{items_of.__qualname__}",
        )


def register():
    """Connect the handlers of every registered builder (the content apps' `search_documents`
    are imported by then)."""
    from taxonomy.models import Theme

    page_published.connect(on_page_published, dispatch_uid="search_page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search_page_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="search_page_moved")
    for builder in indexing.builders.values():
        _connect_builder(builder)
    pre_save.connect(on_theme_saving, sender=Theme, dispatch_uid="search_theme_saving")
    post_save.connect(on_theme_saved, sender=Theme, dispatch_uid="search_theme_saved")
    pre_delete.connect(on_theme_deleting, sender=Theme, dispatch_uid="search_theme_deleting")
