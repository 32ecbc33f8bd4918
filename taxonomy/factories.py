import factory
from factory.django import DjangoModelFactory

from .models import Country, Theme


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class CountryFactory(DjangoModelFactory):
    """Countries come from the ISO list loaded by a migration; this only fetches them."""

    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "GE"
