"""Practice and guide pages for tests. Pass `parent=` (an index page of the wanted locale);
`themes` and `countries` take slugs / ISO codes or model instances."""

import factory
import wagtail_factories

from taxonomy.models import Country, Theme

from .models import GuidePage, PracticePage


def _as_themes(values):
    return [
        value if isinstance(value, Theme) else Theme.objects.get(slug=value) for value in values
    ]


def _as_countries(values):
    return [
        value if isinstance(value, Country) else Country.objects.get(code=value.upper())
        for value in values
    ]


class LibraryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Library item {n}")
    summary = factory.LazyAttribute(lambda page: f"Summary of {page.title}.")
    live = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        self.themes.set(_as_themes(extracted or ["participatory-budgeting"]))
        if create:
            self.save()

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        self.countries.set(_as_countries(extracted or ["GE"]))
        if create:
            self.save()


class PracticePageFactory(LibraryPageFactory):
    class Meta:
        model = PracticePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Practice {n}")
    status = PracticePage.Status.ONGOING


class GuidePageFactory(LibraryPageFactory):
    class Meta:
        model = GuidePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Guide {n}")
