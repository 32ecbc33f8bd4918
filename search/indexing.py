"""Turning library items into `SearchDocument`s, and keeping them current.

Each kind of item has a `DocumentBuilder` in the `builders` registry. The content apps own
theirs, in a `search_documents` module that `SearchConfig.ready` imports (practices and
guides in `practices.search_documents`, organisations in `members.search_documents`, forum
threads in `forums.search_documents`); a builder also says which changes reindex its items
(`follows`, `m2m_fields`, `related_signals`), which `search.signal_handlers` connects. This
app imports no content app: the backends, API and page know object types only as names.

Every write here happens in the caller's transaction and, when Elasticsearch is configured,
adds an outbox row in the same transaction; the outbox is drained after commit (see
`search.outbox` and `search.tasks`)."""

import html
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from taxonomy.countries import country_names

from . import fulltext
from .backends import get_search_backend
from .models import OutboxEntry, SearchDocument

BULK_BATCH_SIZE = 500


def plain_text(value):
    """Text of an HTML fragment (rich text, StreamField content)."""
    return html.unescape(strip_tags(str(value or ""))).strip()


def document_key(object_type, object_id, language):
    return f"{object_type}:{object_id}:{language}"


class TaxonomyLabels:
    """Theme ancestry and the labels of themes and countries in every UI language, loaded
    once per build instead of once per item."""

    def __init__(self):
        from taxonomy.models import Theme

        self.themes = {theme.pk: theme for theme in Theme.objects.all()}
        self._theme_labels = None
        self._country_labels = {}

    def theme_slugs(self, themes):
        """Slugs of `themes` and of all their ancestors: a practice tagged with a sub-theme
        is found under its parent."""
        slugs = []
        for theme in themes:
            for current in self.themes.get(theme.pk, theme).lineage(self.themes):
                if current.slug not in slugs:
                    slugs.append(current.slug)
        return slugs

    def theme_labels(self, slugs):
        if self._theme_labels is None:
            self._theme_labels = {
                theme.slug: list(dict.fromkeys(theme.labels().values()))
                for theme in self.themes.values()
            }
        labels = []
        for slug in slugs:
            labels.extend(self._theme_labels.get(slug, ()))
        return labels

    def country_labels(self, codes):
        labels = []
        for code in codes:
            if code not in self._country_labels:
                self._country_labels[code] = list(dict.fromkeys(country_names(code).values()))
            labels.extend(self._country_labels[code])
        return labels


# What reindexes a builder's items (`DocumentBuilder.follows`, see `search.signal_handlers`).
FOLLOWS_PUBLISHING = "publishing"  # Wagtail pages: published, unpublished, moved, deleted
FOLLOWS_SAVES = "saves"  # any other model: saved, deleted
FOLLOWS_OWN_HANDLERS = "own handlers"  # the app calls `index_object` / `remove_object`


class DocumentBuilder:
    """How one kind of item becomes search documents. Subclasses set `object_type` and
    `model`, and implement `queryset` (everything that should be searchable) and `fields`.

    The changes that reindex its items: `follows` (the item's own), `m2m_fields` (many-to-
    many fields of `model` whose changes, from either side, reindex the items), and
    `related_signals` (other signals naming items to reindex)."""

    object_type = ""
    model = None
    follows = FOLLOWS_SAVES
    m2m_fields: tuple[str, ...] = ()
    # The values of the "status" facet this kind of item has, as (value, label) pairs.
    status_choices: tuple[tuple[str, str], ...] = ()
    # The values of the "label" facet (quality label) this kind of item has.
    label_choices: tuple[tuple[str, str], ...] = ()

    def related_signals(self):
        """{signal: function(sender, **kwargs) -> the items to reindex}."""
        return {}

    def queryset(self):
        raise NotImplementedError

    def displayed(self, pks):
        """The items with these primary keys as lists draw them (`items_of`), in any order:
        by default from `queryset()`; a builder whose `queryset()` prefetches what only its
        documents need may leave that out."""
        return self.queryset().filter(pk__in=pks)

    def language(self, obj):
        return settings.LANGUAGE_CODE

    def key(self, obj):
        return document_key(self.object_type, obj.pk, self.language(obj))

    def fields(self, obj, labels: TaxonomyLabels) -> dict:
        """title, summary, english_summary (optional), body, extra_labels (text), themes
        (model instances), countries (codes), year, status (optional: one of
        `status_choices`), label (optional: a quality label), organisation (slug),
        organisation_name, url, source, published_at."""
        raise NotImplementedError

    def tagged_with(self, theme_ids):
        """Ids of the items whose documents carry one of these themes' slugs and labels."""
        return self.model.objects.filter(themes__in=theme_ids).values_list("pk", flat=True)

    def build(self, obj, labels: TaxonomyLabels) -> SearchDocument:
        language = self.language(obj)
        values = self.fields(obj, labels)
        themes = labels.theme_slugs(values.pop("themes"))
        countries = sorted(dict.fromkeys(code.upper() for code in values.pop("countries")))
        return SearchDocument(
            key=document_key(self.object_type, obj.pk, language),
            object_type=self.object_type,
            object_id=obj.pk,
            language=language,
            themes=themes,
            countries=countries,
            theme_labels=labels.theme_labels(themes),
            country_labels=labels.country_labels(countries),
            **values,
        )


builders: dict[str, DocumentBuilder] = {}


def register(builder: DocumentBuilder):
    """Add `builder` to the registry; called by the content apps' `search_documents`."""
    builders[builder.object_type] = builder
    return builder


def quality_labels():
    """{label value: its name} of every kind of item that has quality labels."""
    return {value: name for builder in builders.values() for value, name in builder.label_choices}


def status_labels():
    """{status: label} of every kind of item that has statuses."""
    return {
        value: label for builder in builders.values() for value, label in builder.status_choices
    }


def builder_for(obj):
    for builder in builders.values():
        if type(obj) is builder.model:
            return builder
    return None


def items_of(hits):
    """The items of search hits, in the hits' order, as their builders' display querysets
    give them (so with what those prefetch): a fixed number of queries per type. Items no
    longer searchable are left out."""
    wanted = [tuple(hit.key.split(":")[:2]) for hit in hits]
    found = {}
    for object_type in dict.fromkeys(object_type for object_type, _ in wanted):
        builder = builders.get(object_type)
        if builder is None:
            continue
        ids = [int(pk) for kind, pk in wanted if kind == object_type]
        for obj in builder.displayed(ids):
            found[(object_type, str(obj.pk))] = obj
    return [found[key] for key in wanted if key in found]


# -- writes -------------------------------------------------------------------------------


def _outbox(keys, action):
    if not get_search_backend().uses_outbox:
        return
    from .tasks import enqueue_drain

    now = timezone.now()
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(key=key, action=action, available_at=now) for key in keys]
    )
    transaction.on_commit(enqueue_drain)


UPDATE_FIELDS = [
    field.name
    for field in SearchDocument._meta.concrete_fields
    if field.name not in ("id", "key", "updated_at")
]


def save_documents(documents: list[SearchDocument], outbox=True):
    """Insert or update `documents` by key, write their full-text index rows, and (unless
    `outbox` is false: a rebuild sends Elasticsearch everything afterwards) queue them for
    Elasticsearch."""
    now = timezone.now()
    for document in documents:
        document.updated_at = now
    rebuild = fulltext.rebuild_under_way()
    fulltext.analyse_documents(documents, lexemes=fulltext.writes_lexemes())
    if rebuild is not None:
        with rebuild.connection.cursor() as cursor:
            rebuild.replace_documents(cursor, documents)
    else:
        # Both PostgreSQL and SQLite return the ids of inserted and updated rows.
        SearchDocument.objects.bulk_create(
            documents,
            batch_size=BULK_BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=[*UPDATE_FIELDS, "updated_at"],
        )
        fulltext.write_index(documents, analysed=True)
    if outbox:
        _outbox([document.key for document in documents], OutboxEntry.Action.UPSERT)


def delete_documents(queryset):
    keys = list(queryset.values_list("key", flat=True))
    if keys:
        SearchDocument.objects.filter(key__in=keys).delete()
        _outbox(keys, OutboxEntry.Action.DELETE)
    return keys


# {object type: {ids}} whose documents `index_object` leaves to the end of the innermost
# `deferred()` block; None outside any.
_deferred_items = ContextVar("deferred_search_items", default=None)


@contextmanager
def deferred():
    """Write the documents of the items `index_object` is asked about inside the block once,
    in one batch, when it ends without an error (with an error, the transaction it runs in
    is rolled back anyway). Run it inside that transaction, so the documents commit with the
    changes. A block inside another hands its items to the outer one.

    Only for speed: an organisation imported from Participedia is indexed on its save and
    again when its themes are set (16 queries); the importer indexes a batch of rows in a
    few queries instead (bench/README.md, "Participedia import")."""
    pending = {}
    token = _deferred_items.set(pending)
    try:
        yield
    finally:
        _deferred_items.reset(token)
    outer = _deferred_items.get()
    if outer is not None:
        for object_type, pks in pending.items():
            outer.setdefault(object_type, set()).update(pks)
    elif pending:
        index_items(pending)


def index_object(obj):
    """Make the search document of `obj` match it: written when it is searchable (a live,
    public page; any organisation), removed when it is not; at the end of the `deferred()`
    block this runs in, if any (then None is returned)."""
    builder = builder_for(obj)
    if builder is None:
        return None
    pending = _deferred_items.get()
    if pending is not None:
        pending.setdefault(builder.object_type, set()).add(obj.pk)
        return None
    return _index_now(builder, obj)


@transaction.atomic
def _index_now(builder, obj):
    searchable = builder.queryset().filter(pk=obj.pk).first()
    if searchable is None:
        remove_object(builder.object_type, obj.pk)
        return None
    obj = searchable
    document = builder.build(obj, TaxonomyLabels())
    # A page whose locale changed leaves a document under its old key.
    delete_documents(
        SearchDocument.objects.filter(object_type=builder.object_type, object_id=obj.pk).exclude(
            key=document.key
        )
    )
    save_documents([document])
    return document


def index_objects(objects):
    """`index_object` for many items at once (an import): one query per batch instead of
    several per item."""
    items = {}
    for obj in objects:
        builder = builder_for(obj)
        if builder is not None:
            items.setdefault(builder.object_type, set()).add(obj.pk)
    return index_items(items)


def items_tagged_with(theme_ids):
    """{object type: [ids]} of the items tagged with any of `theme_ids`."""
    items = {}
    for object_type, builder in builders.items():
        pks = sorted(set(builder.tagged_with(theme_ids)))
        if pks:
            items[object_type] = pks
    return items


@transaction.atomic
def index_items(items):
    """`index_object` for the items {object type: [ids]}, a batch at a time."""
    labels = TaxonomyLabels()
    indexed = 0
    for object_type, pks in items.items():
        builder = builders[object_type]
        pks = sorted(pks)
        for start in range(0, len(pks), BULK_BATCH_SIZE):
            batch = pks[start : start + BULK_BATCH_SIZE]
            documents = [
                builder.build(obj, labels) for obj in builder.queryset().filter(pk__in=batch)
            ]
            # Items no longer searchable lose their documents, as do items whose locale moved.
            delete_documents(
                SearchDocument.objects.filter(
                    object_type=builder.object_type, object_id__in=batch
                ).exclude(key__in=[document.key for document in documents])
            )
            save_documents(documents)
            indexed += len(documents)
    return indexed


@transaction.atomic
def remove_object(object_type, object_id):
    return delete_documents(
        SearchDocument.objects.filter(object_type=object_type, object_id=object_id)
    )


def batched(documents: Iterable[SearchDocument], size=BULK_BATCH_SIZE):
    """Lists of up to `size` documents."""
    batch = []
    for document in documents:
        batch.append(document)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build_documents(builder: DocumentBuilder, labels=None) -> Iterator[SearchDocument]:
    labels = labels or TaxonomyLabels()
    for obj in builder.queryset().iterator(chunk_size=BULK_BATCH_SIZE):
        yield builder.build(obj, labels)


def count_searchable(types: Iterable[str] | None = None):
    return {
        object_type: builder.queryset().count()
        for object_type, builder in builders.items()
        if types is None or object_type in types
    }
