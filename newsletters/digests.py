"""Digests: each confirmed subscriber's saved searches, run for what was published since
their last digest, gathered into one email per subscriber and frequency.

Built for many subscribers at once:
- each distinct saved search runs once per run, whoever saved it (`_SearchRunner`), within
  the run's publication window (`SearchQuery.published_after`: it reads only the new
  documents), and not at all when none of them has its themes, countries, types and
  languages (a necessary condition, checked in memory; the search service decides);
- an email shared by several subscribers (same language, same sections) is rendered,
  CSS-inlined and turned into MIME once; only their own links and headers differ
  (`RenderedEmail.prepared_for`);
- everything is queued on the delivery pipeline in one transaction with the subscriptions'
  new `last_digest_at`, so a run that fails sends nothing and a run repeated sends only what
  is newer."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, format_html, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from delivery.pipeline import queue
from search.backends import get_search_backend
from search.backends.base import MATCH_ALL
from search.models import SearchDocument
from taxonomy.countries import country_name
from taxonomy.models import Theme

from .describe import SearchDescriber
from .emails import inline_fragment, render_email
from .models import SUBSCRIBABLE_TYPES, Subscriber, Subscription
from .subscribing import KIND_DIGEST

logger = logging.getLogger(__name__)

# Hits read per saved search and run; a digest shows at most MAX_ITEMS, then links to the site.
SEARCH_PAGE_SIZE = 30
MAX_ITEMS = 20
SUMMARY_LENGTH = 280
BATCH = 500
TRANSLATABLE_TYPES = ("practice", "guide")
# Where each digest's own heading and sections go in the shell rendered once per language.
HEADING = "newsletters-digest-heading"
SECTIONS = "newsletters-digest-sections"


@dataclass(frozen=True)
class Item:
    key: str
    object_type: str
    object_id: int
    language: str
    title: str
    url: str
    summary: str
    countries: tuple
    published_at: object


def _search_key(subscription):
    return (
        subscription.words,
        tuple(subscription.themes),
        tuple(subscription.countries),
        tuple(subscription.types or SUBSCRIBABLE_TYPES),
        tuple(subscription.languages),
    )


class _NewDocuments:
    """What was published in the run's window, as the facets a search filters on."""

    def __init__(self, since, until):
        self.rows = list(
            SearchDocument.objects.filter(
                published_at__gt=since,
                published_at__lte=until,
                object_type__in=SUBSCRIBABLE_TYPES,
            ).values_list("object_type", "language", "themes", "countries")
        )

    def candidates(self, key):
        """How many new documents have the search's themes, countries, types and languages:
        at most that many can match it (its words may rule out more)."""
        _words, themes, countries, types, languages = key
        themes, countries = set(themes), set(countries)
        count = 0
        for object_type, language, doc_themes, doc_countries in self.rows:
            if object_type not in types or (languages and language not in languages):
                continue
            if themes and themes.isdisjoint(doc_themes):
                continue
            if countries and countries.isdisjoint(doc_countries):
                continue
            count += 1
        return count


class _SearchRunner:
    """Runs each distinct saved search once, through the search service."""

    def __init__(self, new_documents, since, until):
        self.new_documents = new_documents
        self.since, self.until = since, until
        self.backend = get_search_backend()
        self.themes = set(Theme.objects.values_list("slug", flat=True))
        self.results = {}
        self.searches = 0
        # Each hit made an `Item` once, whichever searches found it: a search with words
        # has a snippet of its own, hence the snippet in the key.
        self.converted = {}

    def items(self, subscription):
        key = _search_key(subscription)
        if key not in self.results:
            self.results[key] = [self._item(hit) for hit in self._run(subscription, key)]
        return self.results[key]

    def _item(self, hit):
        key = (hit.key, hit.snippet)
        if key not in self.converted:
            self.converted[key] = _item(hit)
        return self.converted[key]

    def _run(self, subscription, key):
        # At most this many new documents can match: the page need hold no more.
        candidates = self.new_documents.candidates(key)
        if not candidates:
            return []
        deleted = set(subscription.themes) - self.themes
        if deleted:
            # Themes deleted since the search was saved: the subscriber can choose others in
            # the preference centre; the rest of the run goes on.
            logger.warning(
                "saved search %s follows deleted themes %s", subscription.pk, sorted(deleted)
            )
            return []
        # Within the run's window, so that the search reads only the new documents.
        query = subscription.search_query(
            sort="newest",
            page=1,
            page_size=min(candidates, SEARCH_PAGE_SIZE),
            with_facets=False,
            published_after=self.since,
            published_until=self.until,
        )
        self.searches += 1
        response = self.backend.search(query)
        # No new item has every word: the service's partial answer (items with some of
        # them) is for a searcher on the page, not news for this search.
        if response.match != MATCH_ALL:
            return []
        return response.hits


def _item(hit):
    return Item(
        key=hit.key,
        object_type=hit.type,
        object_id=int(hit.key.split(":")[1]),
        language=hit.language,
        title=hit.title,
        url=_absolute(hit.url),
        summary=Truncator(strip_tags(hit.snippet)).chars(SUMMARY_LENGTH),
        countries=tuple(hit.countries),
        published_at=hit.published_at,
    )


class _Translations:
    """The live translations of some items into some languages, from their search documents
    (three queries): a practice and its translations are one item, shown in the reader's
    language where it exists."""

    def __init__(self, items, languages):
        from wagtail.models import Page

        self.group = {}
        self.documents = {}
        ids = {item.object_id for item in items if item.object_type in TRANSLATABLE_TYPES}
        if not ids:
            return
        self.group = dict(Page.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
        pages = Page.objects.filter(
            translation_key__in=set(self.group.values()),
            locale__language_code__in=languages,
            live=True,
        ).values_list("pk", "translation_key", "locale__language_code")
        keys = {
            f"{object_type}:{pk}:{language}": (object_type, group, language)
            for pk, group, language in pages
            for object_type in TRANSLATABLE_TYPES
        }
        for document in SearchDocument.objects.filter(key__in=list(keys)).values(
            "key", "title", "url", "summary", "language"
        ):
            self.documents[keys[document["key"]]] = document

    def identity(self, item):
        group = self.group.get(item.object_id) if item.object_type in TRANSLATABLE_TYPES else None
        return (item.object_type, group or item.object_id)

    def localised(self, item, language):
        if item.language == language:
            return item
        _type, group = self.identity(item)
        document = self.documents.get((item.object_type, group, language))
        if document is None:
            return item
        return replace(
            item,
            title=document["title"],
            url=_absolute(document["url"]),
            summary=Truncator(strip_tags(document["summary"])).chars(SUMMARY_LENGTH),
            language=language,
        )


def _absolute(url):
    if url.startswith(("http://", "https://")):
        return url
    return settings.NEWSLETTERS_BASE_URL.rstrip("/") + url


def _search_url(subscription, language):
    with translation.override(language):
        path = reverse("search")
    return _absolute(path + "?" + urlencode([*subscription.query_params(), ("sort", "newest")]))


class DigestRun:
    def __init__(self, frequency, now=None):
        self.frequency = frequency
        self.now = now or timezone.now()
        self.subscribers = 0
        self.emails = 0
        # Each distinct email (language, subject, sections), rendered once: its copies share
        # one MIME rendering (`RenderedEmail.prepared_for`).
        self.rendered = {}
        self.describers = {}
        self.search_urls = {}
        self.fragments = {}
        self.items = {}
        # Each distinct section (HTML, text), made once: digests that share it also share
        # its strings, so the distinct emails' keys hold no copies of them.
        self.sections = {}
        self.shells = {}

    def due(self):
        return Subscription.objects.filter(
            frequency=self.frequency,
            confirmed_at__isnull=False,
            subscriber__status=Subscriber.Status.CONFIRMED,
        )

    def _describe(self, subscription, language):
        if language not in self.describers:
            with translation.override(language):
                self.describers[language] = SearchDescriber()
        with translation.override(language):
            return self.describers[language](subscription)

    def _search_url(self, subscription, language):
        key = (_search_key(subscription), language)
        if key not in self.search_urls:
            self.search_urls[key] = _search_url(subscription, language)
        return self.search_urls[key]

    def _sections(self, subscriber, subscriptions, runner, translations):
        language = subscriber.language
        seen, sections, count, room = set(), [], 0, MAX_ITEMS
        for subscription in subscriptions:
            since = subscription.last_digest_at or subscription.confirmed_at
            items = []
            for item in runner.items(subscription):
                identity = translations.identity(item)
                if item.published_at <= since or identity in seen:
                    continue
                seen.add(identity)
                items.append(translations.localised(item, language))
            if not items:
                continue
            count += len(items)
            shown = items[:room]
            room -= len(shown)
            if shown:
                sections.append(
                    self._section(
                        language,
                        self._describe(subscription, language),
                        tuple(shown),
                        len(items) - len(shown),
                        self._search_url(subscription, language),
                    )
                )
        return sections, count

    def _section(self, language, description, items, hidden, search_url):
        """A section's (HTML with its CSS inlined, text): its heading, its items (each
        rendered once per run and language, whichever digests hold it) and a link to the
        rest on the site."""
        key = (language, description, items, hidden, search_url)
        if key not in self.sections:
            self.sections[key] = self._make_section(*key)
        return self.sections[key]

    def _make_section(self, language, description, items, hidden, search_url):
        html = [self._fragment(language, ("h2", description), lambda: _heading(description))]
        text = [f"\n== {description} ==\n"]
        for item in items:
            item_html, item_text = self._item(language, item)
            html.append(item_html)
            text.append(item_text)
        if hidden:
            with translation.override(language):
                more = ngettext(
                    "And %(count)d more on the site", "And %(count)d more on the site", hidden
                ) % {"count": hidden}
            html.append(
                self._fragment(
                    language,
                    ("more", more, search_url),
                    lambda: format_html('<p><a href="{}">{}</a></p>', search_url, more),
                )
            )
            text.append(f"\n{more}: {search_url}\n")
        return "".join(html), "".join(text)

    def _fragment(self, language, key, make):
        key = (language, *key)
        if key not in self.fragments:
            self.fragments[key] = inline_fragment(make())
        return self.fragments[key]

    def _item(self, language, item):
        key = (language, item.key)
        if key not in self.items:
            with translation.override(language):
                context = {
                    "item": item,
                    "countries": ", ".join(country_name(code) for code in item.countries),
                    "type_label": _type_label(item.object_type),
                }
                html = render_to_string("newsletters/email/digest_item.html", context)
                text = render_to_string("newsletters/email/digest_item.txt", context)
            self.items[key] = (inline_fragment(html), text)
        return self.items[key]

    def _shell(self, language):
        """The digest around its sections, rendered once per language."""
        if language not in self.shells:
            with translation.override(language):
                context = {
                    "heading": HEADING,
                    "sections": SECTIONS,
                    "frequency_label": str(Subscription.Frequency(self.frequency).label),
                }
            self.shells[language] = render_email(
                language, "newsletters/email/digest", HEADING, context
            )
        return self.shells[language]

    def _email(self, subscriber, sections, count):
        language = subscriber.language
        shell = self._shell(language)
        with translation.override(language):
            heading = ngettext(
                "%(count)d new item on your alerts", "%(count)d new items on your alerts", count
            ) % {"count": count}
            subject = _("Practice Commons: %(heading)s") % {"heading": heading}
        key = (language, subject, tuple(sections))
        rendered = self.rendered.get(key)
        if rendered is None:
            rendered = self.rendered[key] = replace(
                shell,
                _mime=None,
                subject=subject,
                html=shell.html.replace(HEADING, escape(heading)).replace(
                    SECTIONS, "".join(html for html, _text in sections)
                ),
                text=shell.text.replace(HEADING, heading).replace(
                    SECTIONS, "".join(text for _html, text in sections)
                ),
            )
        return rendered.prepared_for(subscriber)

    def messages(self, progress: Callable[[int], None] | None = None):
        """The digest emails, subscriber by subscriber; records the subscriptions run in
        `self.ran`."""
        due = self.due()
        since = due.aggregate(earliest=Min("last_digest_at"))["earliest"]
        self.ran = []
        if since is None:
            return
        runner = _SearchRunner(_NewDocuments(since, self.now), since, self.now)
        self.runner = runner
        subscriptions = due.select_related("subscriber").order_by("subscriber_id", "pk")
        batch = []
        for subscription in subscriptions.iterator(chunk_size=2000):
            if (
                batch
                and batch[-1].subscriber_id != subscription.subscriber_id
                and len(batch) >= BATCH
            ):
                yield from self._batch(batch, runner, progress)
                batch = []
            batch.append(subscription)
        if batch:
            yield from self._batch(batch, runner, progress)

    def _batch(self, subscriptions, runner, progress):
        by_subscriber = {}
        for subscription in subscriptions:
            by_subscriber.setdefault(subscription.subscriber_id, []).append(subscription)
        items = [item for s in subscriptions for item in runner.items(s)]
        languages = {s.subscriber.language for s in subscriptions}
        translations = _Translations(items, languages)
        for own in by_subscriber.values():
            subscriber = own[0].subscriber
            sections, count = self._sections(subscriber, own, runner, translations)
            self.subscribers += 1
            self.ran.extend(s.pk for s in own)
            if sections:
                self.emails += 1
                yield self._email(subscriber, sections, count)
            if progress:
                progress(1)

    def send(self, progress=None):
        """Queue every digest and move the subscriptions' window on, in one transaction.
        Returns the delivery Send (None when no subscription is due)."""
        with transaction.atomic():
            send = queue(
                KIND_DIGEST,
                self.messages(progress),
                send_label=f"{self.frequency} digest {self.now:%Y-%m-%d %H:%M}",
            )
            for start in range(0, len(self.ran), 1000):
                Subscription.objects.filter(pk__in=self.ran[start : start + 1000]).update(
                    last_digest_at=self.now
                )
        return send


def _heading(description):
    return format_html("<h2>{}</h2>", description)


def _type_label(object_type):
    from .forms import TYPE_LABELS

    return TYPE_LABELS.get(object_type, object_type)
