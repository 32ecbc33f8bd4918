from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import RICH_TEXT_FEATURES


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
    subpage_types = ["practices.PracticeIndexPage", "practices.GuideIndexPage"]
    max_count_per_parent = None
    template = "home/home_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("featured_collections"),
    ]

    class Meta:
        verbose_name = _("home page")


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """What editors can change about the whole site without a deploy."""

    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        default="Practices and guides from local governments and civil society",
    )
    about = RichTextField(_("about"), blank=True, features=RICH_TEXT_FEATURES)
    contact_email = models.EmailField(_("contact email"), blank=True)

    panels = [FieldPanel("tagline"), FieldPanel("about"), FieldPanel("contact_email")]

    class Meta:
        verbose_name = _("site settings")
