"""The theme tree stays a tree of at most MAX_THEME_DEPTH levels: the admin, the model and
the database refuse a theme under itself, under its own sub-theme or too deep, and every
walk of the tree ends even on data saved around those checks."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from members.factories import UserFactory
from search.indexing import TaxonomyLabels
from taxonomy.models import MAX_THEME_DEPTH, Theme

pytestmark = pytest.mark.django_db


def edit_url(theme):
    return reverse(Theme.snippet_viewset.get_url_name("edit"), args=[theme.pk])


def form_data(theme, **changes):
    data = {
        "name": theme.name,
        "name_ar": theme.name_ar,
        "name_mk": theme.name_mk,
        "name_ro": theme.name_ro,
        "name_pl": theme.name_pl,
        "name_ka": theme.name_ka,
        "name_tr": theme.name_tr,
        "slug": theme.slug,
        "parent": theme.parent_id or "",
        "description": theme.description,
        "sort_order": theme.sort_order,
    }
    data.update(changes)
    return data


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def errors_of(response):
    return [str(error) for error in response.context["form"].errors["parent"]]


def test_the_tree_is_two_levels_deep():
    # The listing facet, the home tiles and the theme pages roll a sub-theme up into its
    # top-level theme: they show two levels.
    assert MAX_THEME_DEPTH == 2


def test_the_admin_refuses_a_theme_as_its_own_parent(admin_client):
    theme = Theme.objects.get(slug="youth")

    response = admin_client.post(edit_url(theme), form_data(theme, parent=theme.pk, name="X"))

    assert response.status_code == 200
    assert errors_of(response) == ["A theme cannot be its own parent."]
    assert "A theme cannot be its own parent." in response.content.decode()
    theme.refresh_from_db()
    assert (theme.parent_id, theme.name) == (None, "Youth")


def test_the_admin_refuses_a_theme_under_its_own_sub_theme(admin_client):
    theme = Theme.objects.get(slug="citizen-participation")
    child = Theme.objects.get(slug="deliberation")

    response = admin_client.post(edit_url(theme), form_data(theme, parent=child.pk))

    message = (
        "“Deliberation and citizens' assemblies” is below this theme: a theme cannot be "
        "placed under one of its own sub-themes."
    )
    assert errors_of(response) == [message]
    assert "is below this theme: a theme cannot be placed under one of its" in (
        response.content.decode()
    )
    theme.refresh_from_db()
    assert theme.parent_id is None


def test_the_admin_refuses_a_third_level(admin_client):
    theme = Theme.objects.get(slug="youth")
    sub_theme = Theme.objects.get(slug="deliberation")

    response = admin_client.post(edit_url(theme), form_data(theme, parent=sub_theme.pk))

    assert errors_of(response) == [
        "Themes nest at most 2 levels deep: under “Deliberation and citizens' assemblies”, "
        "this theme would be at level 3."
    ]
    theme.refresh_from_db()
    assert theme.parent_id is None


def test_the_admin_refuses_to_put_a_theme_with_sub_themes_under_another(admin_client):
    theme = Theme.objects.get(slug="citizen-participation")
    other = Theme.objects.get(slug="youth")

    response = admin_client.post(edit_url(theme), form_data(theme, parent=other.pk))

    assert errors_of(response) == [
        "Themes nest at most 2 levels deep: under “Youth”, the sub-themes of this theme "
        "would be at level 3."
    ]
    theme.refresh_from_db()
    assert theme.parent_id is None


def test_the_admin_still_moves_a_theme_under_a_top_level_theme(admin_client):
    theme = Theme.objects.get(slug="youth")
    parent = Theme.objects.get(slug="education")

    response = admin_client.post(edit_url(theme), form_data(theme, parent=parent.pk))

    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.parent == parent


def test_full_clean_refuses_what_the_admin_refuses():
    theme = Theme.objects.get(slug="citizen-participation")
    for parent_slug in ("citizen-participation", "deliberation", "youth"):
        theme.parent = Theme.objects.get(slug=parent_slug)
        with pytest.raises(ValidationError) as refused:
            theme.full_clean()
        assert list(refused.value.message_dict) == ["parent"], parent_slug

    new = Theme(name="Street art", slug="street-art", parent=Theme.objects.get(slug="youth"))
    new.full_clean()
    new.parent = Theme.objects.get(slug="deliberation")
    with pytest.raises(ValidationError):
        new.full_clean()


def test_the_database_refuses_a_theme_as_its_own_parent():
    theme = Theme.objects.get(slug="youth")

    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.filter(pk=theme.pk).update(parent=theme.pk)

    theme.refresh_from_db()
    assert theme.parent_id is None


def test_walks_end_on_a_loop_saved_around_the_checks():
    first = Theme.objects.get(slug="youth")
    second = Theme.objects.get(slug="education")
    Theme.objects.filter(pk=first.pk).update(parent=second.pk)
    Theme.objects.filter(pk=second.pk).update(parent=first.pk)
    first.refresh_from_db()

    assert [theme.slug for theme in first.lineage()] == ["youth", "education"]
    assert sorted(first.subtree_ids()) == sorted([first.pk, second.pk])
    assert TaxonomyLabels().theme_slugs([first]) == ["youth", "education"]


def test_walks_stop_at_the_maximum_depth_on_too_deep_a_chain():
    slugs = ["youth", "education", "health", "arts-culture"]
    themes = [Theme.objects.get(slug=slug) for slug in slugs]
    for child, parent in zip(themes, themes[1:], strict=False):
        Theme.objects.filter(pk=child.pk).update(parent=parent.pk)
    bottom, top = Theme.objects.get(slug="youth"), Theme.objects.get(slug="arts-culture")

    assert [theme.slug for theme in bottom.lineage()] == slugs[:MAX_THEME_DEPTH]
    assert TaxonomyLabels().theme_slugs([bottom]) == slugs[:MAX_THEME_DEPTH]
    assert len(top.subtree_ids()) == MAX_THEME_DEPTH
