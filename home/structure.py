"""The page tree every installation needs: a home page per locale, each with a practice
library and a guide library. Idempotent, so `make run`, demo loading and tests share it."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from practices.models import GuideIndexPage, PracticeIndexPage

# Titles of the structural pages. The site's name stays "Practice Commons" everywhere.
SECTION_TITLES = {
    "en": ("Practices", "Guides"),
    "ar": ("الممارسات", "الأدلة"),
    "mk": ("Практики", "Водичи"),
    "ro": ("Practici", "Ghiduri"),
    "pl": ("Praktyki", "Przewodniki"),
    "ka": ("პრაქტიკები", "სახელმძღვანელოები"),
    "tr": ("Uygulamalar", "Rehberler"),
}


@dataclass
class LocaleTree:
    home: HomePage
    practices: PracticeIndexPage
    guides: GuideIndexPage


def _publish(page):
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)


def _english_tree():
    default_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    home = HomePage.objects.filter(locale=default_locale).first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's first migration leaves a "Welcome" placeholder at the site root.
        for placeholder in root.get_children().filter(content_type__model="page"):
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(title="Practice Commons", slug="home", locale=default_locale)
        )
        _publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Practice Commons",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()

    practices_title, guides_title = SECTION_TITLES[settings.LANGUAGE_CODE]
    practices = PracticeIndexPage.objects.child_of(home).first() or _publish(
        home.add_child(instance=PracticeIndexPage(title=practices_title, slug="practices"))
    )
    guides = GuideIndexPage.objects.child_of(home).first() or _publish(
        home.add_child(instance=GuideIndexPage(title=guides_title, slug="guides"))
    )
    return LocaleTree(home, practices, guides)


def _translated(page, locale, title):
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.copy_for_translation(locale)
    copy.title = title
    copy.save()
    return _publish(copy)


@transaction.atomic
def ensure_site_structure():
    """Create whatever is missing; return {language_code: LocaleTree}."""
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    english = _english_tree()
    trees = {settings.LANGUAGE_CODE: english}
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        locale = Locale.objects.get(language_code=code)
        practices_title, guides_title = SECTION_TITLES[code]
        trees[code] = LocaleTree(
            home=_translated(english.home, locale, "Practice Commons"),
            practices=_translated(english.practices, locale, practices_title),
            guides=_translated(english.guides, locale, guides_title),
        )
    return trees
