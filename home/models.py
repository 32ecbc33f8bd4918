from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from editorial.blocks import RICH_TEXT_FEATURES
from editorial.structured_data import SCHEMA_CONTEXT, site_publisher
from pagecache.memo import remembered
from pagecache.restrictions import public
from practices import tallies
from practices.models import GuidePage, PracticePage
from taxonomy.models import Theme


class FeaturedCollectionBlock(blocks.StructBlock):
    """A collection of practices and guides chosen by editors for the home page."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    description = blocks.TextBlock(label=_("Description"), required=False)
    items = blocks.ListBlock(
        blocks.PageChooserBlock(page_type=["practices.PracticePage", "practices.GuidePage"]),
        label=_("Practices and guides"),
        min_num=1,
    )

    class Meta:
        icon = "folder-open-inverse"
        template = "blocks/featured_collection_block.html"

    def get_context(self, value, parent_context=None):
        """The chosen pages that are still live and public, in the editor's order. The home
        page reads those of all its collections at once (`featured_pages`); a block drawn
        elsewhere reads its own."""
        context = super().get_context(value, parent_context=parent_context)
        chosen = chosen_pks(value)
        by_pk = (parent_context or {}).get("featured_pages")
        if by_pk is None:
            by_pk = featured_pages(chosen)
        context["pages"] = [by_pk[pk] for pk in chosen if pk in by_pk]
        return context


def chosen_pks(collection):
    return [page.pk for page in collection["items"] if page is not None]


def featured_pages(pks):
    """{pk: page} of the live, public practices and guides among `pks`, with what their
    cards show: a fixed number of queries however many pages and collections."""
    found = {}
    for model in (PracticePage, GuidePage):
        pages = (
            public(model.objects.filter(pk__in=pks).live())
            .select_related("locale")
            .prefetch_related("themes", "countries")
        )
        found.update((page.pk, page) for page in pages)
    return found


class HomePage(Page):
    """The root of each locale's site: featured collections, latest practices, a chart of
    practices per country and tiles for the themes."""

    introduction = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    featured_collections = StreamField(
        [("collection", FeaturedCollectionBlock())],
        verbose_name=_("featured collections"),
        blank=True,
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "practices.PracticeIndexPage",
        "practices.GuideIndexPage",
        "newsletters.NewsletterArchivePage",
        "practices.QualityCriteriaPage",
    ]
    max_count_per_parent = None
    template = "home/home_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("featured_collections"),
    ]

    class Meta:
        verbose_name = _("home page")

    def structured_data(self, request=None):
        """schema.org WebSite (JSON-LD): the site, its publisher and its search."""
        home = self.get_full_url(request)
        search = f"{home.rstrip('/')}/search/?q={{search_term_string}}"
        return {
            "@context": SCHEMA_CONTEXT,
            "@type": "WebSite",
            "name": self.title,
            "url": home,
            "inLanguage": self.locale.language_code,
            "publisher": site_publisher(request),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": search},
                "query-input": "required name=search_term_string",
            },
        }

    LATEST_COUNT = 6
    CHART_COUNTRIES = 12

    # What the page shows of the library is the same for every visitor until the content
    # changes: remembered per content generation (pagecache.memo), by what it depends on
    # (the locale; the chosen pages, so that a preview of other choices reads its own).
    # 14 queries → 3 and 42 → 25 ms of CPU per request (bench/request_cpu.py, make load's
    # library); the page, its stream's chosen pages and its translations are still read.
    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        locale_id = self.locale_id
        context["latest_practices"] = remembered(
            f"home:latest:{locale_id}", lambda: self.latest_practices(locale_id)
        )
        chosen = [
            pk
            for block in self.featured_collections
            if block.block_type == "collection"
            for pk in chosen_pks(block.value)
        ]
        context["featured_pages"] = remembered(
            f"home:featured:{','.join(map(str, chosen))}", lambda: featured_pages(chosen)
        )
        context.update(remembered("home:counts", self.counted))
        return context

    def latest_practices(self, locale_id):
        return list(
            public(PracticePage.objects.live())
            .filter(locale_id=locale_id)
            .select_related("locale", "lead_organisation")
            .prefetch_related("themes", "countries")
            .order_by("-first_published_at", "-pk")[: self.LATEST_COUNT]
        )

    def counted(self):
        """The chart's and the tiles' counts: the kept ones (practices.tallies), read once."""
        counts = tallies.counts()
        practice_counts = tallies.practices_per_country(counts)
        return {
            "practice_counts": practice_counts,
            "country_counts": self.practices_per_country(practice_counts),
            "theme_tiles": self.theme_tiles(counts),
        }

    def practices_per_country(self, counts=None):
        """[(country code, number of live practices)], most first, in every language: the
        chart shows the whole library. `counts`: tallies.practices_per_country(), if at
        hand."""
        counts = tallies.practices_per_country() if counts is None else counts
        rows = sorted(counts.items(), key=lambda row: (-row[1], row[0]))
        return rows[: self.CHART_COUNTRIES]

    def theme_tiles(self, counts=None):
        """Top-level themes with the number of live practices and guides (in every
        language) tagged with them or one of their sub-themes. `counts`: tallies.counts(),
        if at hand."""
        counts = tallies.counts() if counts is None else counts
        practices = tallies.per_theme("practice", counts)
        guides = tallies.per_theme("guide", counts)
        return [
            {
                "theme": theme,
                "practices": practices.get(theme.pk, 0),
                "guides": guides.get(theme.pk, 0),
            }
            for theme in Theme.objects.filter(parent__isnull=True)
        ]


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """What editors can change about the whole site without a deploy."""

    about = RichTextField(_("about"), blank=True, features=RICH_TEXT_FEATURES)

    panels = [FieldPanel("about")]

    class Meta:
        verbose_name = _("site settings")
