"""The lead organisation field of the practice and guide forms, as the admin renders it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.groups import SITE_EDITORS
from practices.models import PracticePage
from taxonomy.models import Country, Theme
from tests.members.admin_forms import practice_form_data


def create_form(client, parent, model="practicepage"):
    response = client.get(reverse("wagtailadmin_pages:add", args=("practices", model, parent.pk)))
    assert response.status_code == 200
    return response.context["form"]


@pytest.fixture
def organisations(db):
    return [OrganisationFactory(name=name) for name in ("Bitola", "Gostivar", "Struga")]


@pytest.mark.django_db
def test_a_member_of_one_organisation_gets_it_preset(client, site_tree, organisations):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisations[1])
    client.force_login(user)
    form = create_form(client, site_tree["en"].practices)
    field = form.fields["lead_organisation"]
    assert list(field.queryset) == [organisations[1]]
    assert field.required
    assert form.initial["lead_organisation"] == organisations[1].pk
    html = str(form["lead_organisation"])
    assert "Gostivar" in html and "Bitola" not in html


@pytest.mark.django_db
def test_a_member_of_several_organisations_chooses_among_them(client, site_tree, organisations):
    user = UserFactory()
    for organisation in organisations[:2]:
        MembershipFactory(user=user, organisation=organisation)
    client.force_login(user)
    form = create_form(client, site_tree["ar"].guides, "guidepage")
    field = form.fields["lead_organisation"]
    assert set(field.queryset) == set(organisations[:2])
    assert form.initial.get("lead_organisation") is None


@pytest.mark.django_db
def test_site_editors_see_every_organisation(client, site_tree, organisations):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=SITE_EDITORS))
    client.force_login(user)
    form = create_form(client, site_tree["en"].practices)
    field = form.fields["lead_organisation"]
    assert set(organisations) <= set(field.queryset)
    assert not field.required


@pytest.mark.django_db
def test_a_draft_without_organisation_is_refused(client, site_tree, organisations):
    """Wagtail relaxes required fields when saving a draft; the organisation stays required,
    or the page would be out of its author's reach."""
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisations[0])
    client.force_login(user)
    index = site_tree["en"].practices
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("practices", "practicepage", index.pk)),
        practice_form_data(
            title="Orphan draft",
            themes=[Theme.objects.get(slug="youth")],
            countries=[Country.objects.get(code="RO")],
            lead_organisation=None,
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["lead_organisation"] == [
        "Choose the organisation this page belongs to."
    ]
    assert not PracticePage.objects.filter(title="Orphan draft").exists()


@pytest.mark.django_db
def test_another_organisation_is_refused_with_a_clear_message(client, site_tree, organisations):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisations[0])
    client.force_login(user)
    index = site_tree["en"].practices
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("practices", "practicepage", index.pk)),
        practice_form_data(
            title="Borrowed name",
            themes=[Theme.objects.get(slug="youth")],
            countries=[Country.objects.get(code="RO")],
            lead_organisation=organisations[2],
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["lead_organisation"] == [
        "Choose one of your own organisations; you are not a member of this one."
    ]
    assert not PracticePage.objects.filter(title="Borrowed name").exists()
