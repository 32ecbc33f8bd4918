"""The "Library" admin: themes, countries, organisations and memberships, and who may reach
which organisation profile and membership."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.groups import ORGANISATION_MEMBERS, SITE_EDITORS
from members.models import Membership, Organisation
from taxonomy.models import Country, Theme

CONTROL_CHARACTER_MESSAGE = (
    "This text contains an invisible control character (U+0000) that the site cannot store. "
    "Remove it, for example by typing the text again rather than pasting it."
)


def url(model, view, *args):
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


def listed(response):
    return list(response.context["object_list"])


def assert_denied(response):
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def organisation_data(organisation, **changes):
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "country": organisation.country_id or "",
        "region": organisation.region,
        "city": organisation.city,
        "population": organisation.population or "",
        "website": organisation.website,
        "logo": "",
        "description": organisation.description,
        "contact_email": organisation.contact_email,
        "source_url": organisation.source_url,
    }
    data.update(changes)
    return data


@pytest.fixture
def tetovo(db):
    return OrganisationFactory(name="Municipality of Tetovo")


@pytest.fixture
def ohrid(db):
    return OrganisationFactory(name="Municipality of Ohrid")


@pytest.fixture
def user_with_role(tetovo):
    def make(role):
        user = UserFactory(username=f"tetovo-{role}")
        MembershipFactory(user=user, organisation=tetovo, role=role)
        return user

    return make


@pytest.fixture
def site_editor(db):
    user = UserFactory(username="site-editor")
    user.groups.add(Group.objects.get(name=SITE_EDITORS))
    return user


# Organisation profiles


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "admin"])
def test_organisation_editors_edit_their_own_profile(client, tetovo, ohrid, user_with_role, role):
    client.force_login(user_with_role(role))

    response = client.get(url(Organisation, "list"))
    assert response.status_code == 200
    assert listed(response) == [tetovo]

    response = client.post(
        url(Organisation, "edit", tetovo.pk),
        organisation_data(tetovo, description="A city in the Polog region.", population="52915"),
    )
    assert response.status_code == 302
    tetovo.refresh_from_db()
    assert tetovo.description == "A city in the Polog region."
    assert tetovo.population == 52915


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "admin"])
def test_organisation_editors_cannot_touch_another_profile(
    client, tetovo, ohrid, user_with_role, role
):
    client.force_login(user_with_role(role))
    response = client.post(
        url(Organisation, "edit", ohrid.pk), organisation_data(ohrid, description="Taken over.")
    )
    assert_denied(response)
    ohrid.refresh_from_db()
    assert ohrid.description == ""
    assert_denied(client.post(url(Organisation, "delete", tetovo.pk)))
    assert_denied(client.get(url(Organisation, "add")))
    assert Organisation.objects.filter(pk=tetovo.pk).exists()


@pytest.mark.django_db
def test_plain_members_do_not_edit_the_profile(client, tetovo, user_with_role):
    client.force_login(user_with_role("member"))
    assert_denied(client.get(url(Organisation, "list")))
    response = client.post(
        url(Organisation, "edit", tetovo.pk), organisation_data(tetovo, description="Changed.")
    )
    assert_denied(response)
    tetovo.refresh_from_db()
    assert tetovo.description == ""


@pytest.mark.django_db
def test_site_editors_manage_every_organisation(client, tetovo, ohrid, site_editor):
    client.force_login(site_editor)
    response = client.get(url(Organisation, "list"))
    assert {tetovo, ohrid} <= set(listed(response))

    response = client.post(
        url(Organisation, "add"),
        organisation_data(
            Organisation(name="Civic Lab", slug="civic-lab", kind="cso"),
            country=Country.objects.get(code="GE").pk,
        ),
    )
    assert response.status_code == 302
    created = Organisation.objects.get(slug="civic-lab")
    assert created.country.code == "GE"

    response = client.post(url(Organisation, "delete", ohrid.pk))
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=ohrid.pk).exists()


@pytest.mark.django_db
def test_organisations_are_searchable_and_filterable(client, tetovo, ohrid, site_editor):
    ohrid.kind = Organisation.Kind.CSO
    ohrid.save()
    client.force_login(site_editor)
    assert listed(client.get(url(Organisation, "list"), {"q": "tetovo"})) == [tetovo]
    assert listed(client.get(url(Organisation, "list"), {"kind": "cso"})) == [ohrid]


# Memberships


@pytest.mark.django_db
def test_organisation_admins_manage_their_own_memberships(client, tetovo, ohrid, user_with_role):
    admin = user_with_role("admin")
    colleague = MembershipFactory(organisation=tetovo, role="member")
    elsewhere = MembershipFactory(organisation=ohrid, role="member")
    client.force_login(admin)

    response = client.get(url(Membership, "list"))
    assert response.status_code == 200
    assert set(listed(response)) == {admin.memberships.get(), colleague}
    assert elsewhere not in listed(response)

    newcomer = UserFactory(username="newcomer", email="Newcomer@Example.org")
    response = client.post(
        url(Membership, "add"),
        {"user": "newcomer@example.org", "organisation": tetovo.pk, "role": "editor"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert (membership.organisation, membership.role) == (tetovo, "editor")
    assert newcomer.groups.filter(name=ORGANISATION_MEMBERS).exists()

    edit_form = client.get(url(Membership, "edit", colleague.pk)).content.decode()
    assert f'value="{colleague.user.email}"' in edit_form
    response = client.post(
        url(Membership, "edit", colleague.pk),
        {"user": colleague.user.username, "organisation": tetovo.pk, "role": "admin"},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.role == "admin"

    response = client.post(url(Membership, "delete", membership.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not newcomer.groups.filter(name=ORGANISATION_MEMBERS).exists()


@pytest.mark.django_db
def test_organisation_admins_cannot_manage_other_organisations(
    client, tetovo, ohrid, user_with_role
):
    client.force_login(user_with_role("admin"))
    elsewhere = MembershipFactory(organisation=ohrid, role="member")
    outsider = UserFactory(username="outsider")

    response = client.post(
        url(Membership, "add"),
        {"user": outsider.email, "organisation": ohrid.pk, "role": "admin"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == [
        "You can only manage the memberships of organisations you administer."
    ]
    assert not Membership.objects.filter(user=outsider).exists()

    response = client.post(
        url(Membership, "edit", elsewhere.pk),
        {"user": elsewhere.user.email, "organisation": ohrid.pk, "role": "admin"},
    )
    assert_denied(response)
    elsewhere.refresh_from_db()
    assert elsewhere.role == "member"

    assert_denied(client.post(url(Membership, "delete", elsewhere.pk)))
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.django_db
def test_organisation_admins_name_people_instead_of_browsing_every_account(
    client, tetovo, user_with_role
):
    client.force_login(user_with_role("admin"))
    stranger = UserFactory(username="stranger-from-elsewhere")

    form = client.get(url(Membership, "add")).content.decode()
    assert 'name="user"' in form
    assert stranger.username not in form

    for typed, message in [
        (
            "nobody@example.org",
            "No account uses the email address or username “nobody@example.org”.",
        ),
        ("", "This field is required."),
        ("\x00", CONTROL_CHARACTER_MESSAGE),
        ("ana\x00@example.org", CONTROL_CHARACTER_MESSAGE),
        ("x" * 5000, f"No account uses the email address or username “{'x' * 100}”."),
    ]:
        response = client.post(
            url(Membership, "add"), {"user": typed, "organisation": tetovo.pk, "role": "member"}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["user"] == [message]
    UserFactory(username="twin-one", email="twin@example.org")
    UserFactory(username="twin-two", email="TWIN@example.org")
    response = client.post(
        url(Membership, "add"),
        {"user": "twin@example.org", "organisation": tetovo.pk, "role": "member"},
    )
    assert response.context["form"].errors["user"] == [
        "Several accounts use “twin@example.org”: type the person’s username."
    ]
    assert tetovo.memberships.count() == 1

    response = client.post(
        url(Membership, "add"), {"user": "twin-two", "organisation": tetovo.pk, "role": "member"}
    )
    assert response.status_code == 302
    assert tetovo.memberships.filter(user__username="twin-two").exists()


@pytest.mark.django_db
def test_an_organisation_keeps_its_last_administrator(client, tetovo, user_with_role):
    admin = user_with_role("admin")
    own = admin.memberships.get()
    client.force_login(admin)

    response = client.post(
        url(Membership, "edit", own.pk),
        {"user": admin.username, "organisation": tetovo.pk, "role": "member"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [
        "Municipality of Tetovo needs at least one administrator: make someone else an "
        "administrator first."
    ]
    response = client.post(url(Membership, "delete", own.pk), follow=True)
    assert "needs at least one administrator" in response.content.decode()
    own.refresh_from_db()
    assert own.role == "admin"

    deputy = MembershipFactory(organisation=tetovo, role="admin")
    response = client.post(
        url(Membership, "edit", own.pk),
        {"user": admin.username, "organisation": tetovo.pk, "role": "editor"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.role == "editor"
    assert list(tetovo.memberships.filter(role="admin")) == [deputy]


@pytest.mark.django_db
def test_site_editors_keep_the_last_administrator_too(client, tetovo, user_with_role, site_editor):
    only_admin = user_with_role("admin").memberships.get()
    client.force_login(site_editor)
    client.post(url(Membership, "delete", only_admin.pk))
    assert Membership.objects.filter(pk=only_admin.pk).exists()
    response = client.post(
        url(Membership, "edit", only_admin.pk),
        {"user": only_admin.user_id, "organisation": tetovo.pk, "role": "member"},
    )
    assert "role" in response.context["form"].errors
    member = MembershipFactory(organisation=tetovo, role="member")
    response = client.post(url(Membership, "delete", member.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "editor"])
def test_members_and_editors_do_not_manage_memberships(client, tetovo, user_with_role, role):
    client.force_login(user_with_role(role))
    assert_denied(client.get(url(Membership, "list")))
    response = client.post(
        url(Membership, "add"),
        {"user": UserFactory(username="friend").pk, "organisation": tetovo.pk, "role": "admin"},
    )
    assert_denied(response)
    assert tetovo.memberships.count() == 1


@pytest.mark.django_db
def test_site_editors_see_every_membership(client, tetovo, ohrid, site_editor):
    memberships = {MembershipFactory(organisation=tetovo), MembershipFactory(organisation=ohrid)}
    client.force_login(site_editor)
    response = client.get(url(Membership, "list"))
    assert set(listed(response)) == memberships
    assert listed(client.get(url(Membership, "list"), {"organisation": ohrid.pk})) == [
        membership for membership in memberships if membership.organisation == ohrid
    ]


# Taxonomy


@pytest.mark.django_db
def test_themes_are_listed_as_a_tree(client, site_editor):
    client.force_login(site_editor)
    response = client.get(url(Theme, "list"))
    assert response.status_code == 200
    slugs = [theme.slug for theme in listed(response)]
    assert slugs[:4] == [
        "citizen-participation",
        "participatory-budgeting",
        "deliberation",
        "digital-democracy",
    ]
    assert slugs.index("gender-equality") == slugs.index("inclusion") + 1
    assert "Citizen participation" in response.content.decode()


@pytest.mark.django_db
def test_site_editors_edit_themes(client, site_editor):
    client.force_login(site_editor)
    theme = Theme.objects.get(slug="youth")
    data = {
        "name": "Youth",
        "name_ar": "الشباب",
        "name_mk": "Млади",
        "name_ro": "Tineret",
        "name_pl": "Młodzież",
        "name_ka": "ახალგაზრდობა",
        "name_tr": "Gençlik",
        "slug": "youth",
        "parent": Theme.objects.get(slug="social-cohesion").pk,
        "description": "Young people in local life.",
        "sort_order": theme.sort_order,
    }
    response = client.post(url(Theme, "edit", theme.pk), data)
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.parent.slug == "social-cohesion"
    assert theme.label("pl") == "Młodzież"


@pytest.mark.django_db
def test_countries_are_read_only_and_searchable_by_code(client, site_editor):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    country = Country.objects.get(code="MK")
    for user in (site_editor, superuser):
        client.force_login(user)
        response = client.get(url(Country, "list"), {"q": "mk"})
        assert response.status_code == 200
        assert listed(response) == [country]
        assert_denied(client.get(url(Country, "add")))
        assert_denied(client.post(url(Country, "edit", country.pk), {"code": "XX"}))
        assert_denied(client.post(url(Country, "delete", country.pk)))
    country.refresh_from_db()
    assert country.code == "MK"
    assert Country.objects.count() == 249


@pytest.mark.django_db
def test_organisation_members_do_not_see_the_taxonomy_admin(client, user_with_role):
    client.force_login(user_with_role("admin"))
    assert_denied(client.get(url(Theme, "list")))
    assert_denied(client.get(url(Country, "list")))
