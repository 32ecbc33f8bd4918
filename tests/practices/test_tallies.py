"""The kept counts per country and theme (practices.tallies) follow every change to the
library: after each change they equal a count made from scratch."""

import pytest
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Coalesce
from wagtail.models import PageViewRestriction

from practices import tallies
from practices.factories import GuidePageFactory, PracticePageFactory
from practices.models import GuidePage, PracticePage
from taxonomy.models import Country, Theme

pytestmark = pytest.mark.django_db


def counted_from_scratch():
    """The counts the home page made before they were kept: by aggregate queries."""

    def per_theme(model):
        rows = (
            model.objects.live()
            .public()
            .filter(themes__isnull=False)
            .annotate(root=Coalesce("themes__parent_id", "themes__id"))
            .values_list("root")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        return dict(rows)

    return {
        "countries": PracticePage.count_by_country(),
        "practice themes": per_theme(PracticePage),
        "guide themes": per_theme(GuidePage),
    }


def kept():
    counts = tallies.counts()
    return {
        "countries": tallies.practices_per_country(counts),
        "practice themes": tallies.per_theme("practice", counts),
        "guide themes": tallies.per_theme("guide", counts),
    }


def test_the_counts_follow_publishing_editing_restricting_moving_and_deleting(site_tree):
    english, polish = site_tree["en"].practices, site_tree["pl"].practices
    first = PracticePageFactory(parent=english, countries=["GE", "PL"], themes=["youth"])
    second = PracticePageFactory(parent=polish, countries=["PL"])
    guide = GuidePageFactory(parent=site_tree["en"].guides, themes=["green-transition"])
    draft = PracticePageFactory(parent=english, countries=["FR"], live=False)
    assert kept() == counted_from_scratch()
    assert kept()["countries"] == {"GE": 1, "PL": 2}

    # Published the way editors publish, with other countries and themes.
    draft.countries.set([Country.objects.get(code="FR"), Country.objects.get(code="GE")])
    draft.themes.set([Theme.objects.get(slug="deliberation")])
    draft.save_revision().publish()
    assert kept()["countries"] == {"GE": 2, "PL": 2, "FR": 1}

    first.countries.set([Country.objects.get(code="MT")])
    first.save_revision().publish()
    assert kept()["countries"] == {"GE": 1, "PL": 1, "FR": 1, "MT": 1}
    assert kept() == counted_from_scratch()

    second.unpublish()
    assert "PL" not in kept()["countries"]

    # A view restriction over the English practices takes them out, and back.
    restriction = PageViewRestriction.objects.create(
        page=english, restriction_type=PageViewRestriction.LOGIN
    )
    assert kept()["countries"] == {}
    assert kept() == counted_from_scratch()
    restriction.delete()
    assert kept()["countries"] == {"GE": 1, "FR": 1, "MT": 1}

    # A theme moved under another counts for its new top-level theme.
    green = Theme.objects.get(slug="green-transition")
    youth = Theme.objects.get(slug="youth")
    assert kept()["guide themes"] == {green.parent_id or green.pk: 1}
    green.parent = youth.parent or youth
    green.save()
    assert kept() == counted_from_scratch()
    assert kept()["guide themes"] == {(youth.parent or youth).pk: 1}

    # Moved behind a restricted page, then deleted.
    guide.move(english.get_parent().get_children().exclude(pk=english.pk).first())
    assert kept() == counted_from_scratch()
    draft.delete()
    guide.delete()
    assert kept() == counted_from_scratch()
    assert kept()["countries"] == {"MT": 1}


def test_a_change_to_one_item_reads_and_writes_a_fixed_number_of_rows(
    site_tree, django_assert_max_num_queries
):
    for _ in range(30):
        PracticePageFactory(parent=site_tree["en"].practices, countries=["GE", "PL"])
    item = PracticePageFactory(parent=site_tree["en"].practices, countries=["GE"])
    # Changed behind Django's signals, then retallied as a receiver retallies it.
    PracticePage.countries.through.objects.filter(practicepage=item).update(
        country=Country.objects.get(code="MT")
    )
    # A savepoint and its release; view restrictions and the item's themes (twice:
    # practices, guides) and countries; its share before; the counts created if missing,
    # moved up and down; its share rewritten: the same for 30 items as for 30,000.
    with django_assert_max_num_queries(12):
        tallies.retally([item.pk])
    assert kept()["countries"] == {"GE": 30, "PL": 30, "MT": 1}


def test_changes_in_a_deferred_block_are_retallied_once_at_its_end(site_tree):
    item = PracticePageFactory(parent=site_tree["en"].practices, countries=["GE"])
    theme = Theme.objects.get(slug="youth")
    with transaction.atomic(), tallies.deferred():
        item.countries.set([Country.objects.get(code="MT"), Country.objects.get(code="PL")])
        item.themes.set([theme])
        item.title = "Renamed"
        item.save()
        # Nothing counted yet inside the block.
        assert kept()["countries"] == {"GE": 1}
    assert kept() == counted_from_scratch()
    assert kept()["countries"] == {"MT": 1, "PL": 1}
    assert kept()["practice themes"] == {theme.pk: 1}


def test_a_deferred_block_that_fails_counts_nothing_and_loses_nothing(site_tree):
    item = PracticePageFactory(parent=site_tree["en"].practices, countries=["GE"])
    with pytest.raises(RuntimeError), transaction.atomic(), tallies.deferred():
        item.countries.set([Country.objects.get(code="MT")])
        item.save()
        raise RuntimeError("the row failed")
    assert kept() == counted_from_scratch()
    assert kept()["countries"] == {"GE": 1}
    # Outside any block, a change is counted at once again.
    item.countries.set([Country.objects.get(code="PL")])
    item.save()
    assert kept()["countries"] == {"PL": 1}
