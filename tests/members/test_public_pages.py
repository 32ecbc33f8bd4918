"""The public pages of organisations and members: what they show, only what people agreed
to show, in a fixed number of queries; and the profile people edit themselves."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from members.factories import MembershipFactory, OrganisationFactory, ProfileFactory, UserFactory
from members.models import Profile
from practices.factories import GuidePageFactory, PracticePageFactory
from search.indexing import builder_for
from taxonomy.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(
        name="Municipality of Ozurgeti",
        slug="ozurgeti",
        country=Country.objects.get(code="GE"),
        region="Guria",
        population=62863,
        description="A municipality in western Georgia.",
    )


def member(organisation, username, listed, **profile):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation)
    if listed is not None:
        ProfileFactory(
            user=user, display_name=f"{username.title()} Listed", is_listed=listed, **profile
        )
    return user


def test_the_organisation_page(client, site_tree, organisation):
    PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Budgeting in Ozurgeti",
        lead_organisation=organisation,
    )
    PracticePageFactory(
        parent=site_tree["en"].practices,
        title="A partnership",
        partner_organisations=[organisation],
    )
    PracticePageFactory(parent=site_tree["en"].practices, title="Someone else's practice")
    GuidePageFactory(
        parent=site_tree["en"].guides, title="How to run a budget", lead_organisation=organisation
    )

    response = client.get("/organisations/ozurgeti/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Municipality of Ozurgeti</h1>" in html
    for text in (
        "Municipality",
        "Georgia",
        "Guria",
        "62,863",
        "A municipality in western Georgia.",
    ):
        assert text in html
    assert "Budgeting in Ozurgeti" in html
    assert "A partnership" in html
    assert "How to run a budget" in html
    assert "Someone else&#x27;s practice" not in html and "Someone else's practice" not in html


def test_an_unknown_organisation_is_not_found(client):
    assert client.get("/organisations/nowhere/").status_code == 404


def test_only_members_who_agreed_are_listed_with_their_threads(client, organisation):
    forum = ForumFactory()
    listed = member(organisation, "ana", listed=True)
    unlisted = member(organisation, "bo", listed=False)
    no_profile = member(organisation, "cy", listed=None)
    ThreadFactory(forum=forum, author=listed, title="Ana asks about budgets")
    ThreadFactory(forum=forum, author=unlisted, title="Bo asks about budgets")
    ThreadFactory(forum=forum, author=no_profile, title="Cy asks about budgets")

    html = client.get("/organisations/ozurgeti/").content.decode()

    assert "Ana Listed" in html
    assert f'href="/people/{listed.pk}/"' in html
    assert "Bo Listed" not in html
    assert f'href="/people/{unlisted.pk}/"' not in html
    assert f'href="/people/{no_profile.pk}/"' not in html
    assert html.count('href="/people/') == 1
    assert "Ana asks about budgets" in html
    assert "Bo asks about budgets" not in html
    assert "Cy asks about budgets" not in html


def test_the_organisation_page_takes_a_fixed_number_of_queries(
    client, site_tree, organisation, django_assert_max_num_queries
):
    forum = ForumFactory()

    def add(count):
        for _ in range(count):
            user = member(organisation, f"m{Profile.objects.count()}", listed=True)
            ThreadFactory(forum=forum, author=user)
            PracticePageFactory(parent=site_tree["en"].practices, lead_organisation=organisation)
            GuidePageFactory(parent=site_tree["en"].guides, lead_organisation=organisation)

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/organisations/ozurgeti/").status_code == 200
    add(10)
    with django_assert_max_num_queries(len(few)):
        html = client.get("/organisations/ozurgeti/").content.decode()
    assert html.count('class="thread-row"') == 10
    assert html.count("/people/") == 12


def test_a_listed_members_page_shows_what_they_chose(client, organisation):
    user = member(
        organisation, "ana", listed=True, affiliation="Budget office", languages=["ka", "en"]
    )
    PostFactory(author=user, body="<p>We counted the ballots twice.</p>")

    html = client.get(f"/people/{user.pk}/").content.decode()

    assert "Ana Listed" in html
    assert "Budget office" in html
    assert "Georgian" in html and "English" in html
    assert "Municipality of Ozurgeti" in html
    assert "We counted the ballots twice." in html

    Profile.objects.filter(user=user).update(show_posts=False, show_organisations=False)
    html = client.get(f"/people/{user.pk}/").content.decode()
    assert "Ana Listed" in html
    assert "We counted the ballots twice." not in html
    assert "Municipality of Ozurgeti" not in html


@pytest.mark.parametrize("listed", [False, None])
def test_an_unlisted_member_has_no_public_page(client, organisation, listed):
    user = member(organisation, "bo", listed=listed)

    assert client.get(f"/people/{user.pk}/").status_code == 404


def test_people_edit_their_profile(client):
    user = UserFactory(username="ana")
    client.force_login(user)

    response = client.post(
        "/accounts/profile/",
        {
            "display_name": "  Ana Petreska ",
            "affiliation": "Municipality of Tetovo",
            "languages": ["mk", "sq"],
            "is_listed": "on",
            "show_posts": "on",
        },
    )

    assert response["Location"] == "/accounts/profile/"
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Ana Petreska"
    assert profile.languages == ["mk", "sq"]
    assert (profile.is_listed, profile.show_posts, profile.show_organisations) == (
        True,
        True,
        False,
    )
    assert client.get(f"/people/{user.pk}/").status_code == 200


def test_an_unknown_language_is_refused_and_nothing_saved(client):
    user = UserFactory(username="ana")
    client.force_login(user)

    response = client.post("/accounts/profile/", {"display_name": "Ana", "languages": ["xx"]})

    assert response.status_code == 200
    assert response.context["form"].errors["languages"]
    assert Profile.objects.get(user=user).display_name == ""


def test_the_profile_needs_an_account(client):
    assert (
        client.get("/accounts/profile/")["Location"] == "/accounts/login/?next=/accounts/profile/"
    )


def test_search_results_for_organisations_lead_to_their_page(organisation):
    fields = builder_for(organisation).fields(organisation, {})

    assert fields["url"] == "/organisations/ozurgeti/"


def test_the_remembered_organisation_page_shows_a_change_at_once(
    client, site_tree, organisation, content_memo, commit
):
    forum = ForumFactory()
    first = client.get("/organisations/ozurgeti/").content.decode()
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/organisations/ozurgeti/").content.decode()
    assert again == first
    read = " ".join(query["sql"] for query in captured)
    assert "members_organisation" not in read and "forums_thread" not in read
    with commit():
        PracticePageFactory(
            parent=site_tree["en"].practices,
            title="Ozurgeti budget",
            lead_organisation=organisation,
        )
    assert "Ozurgeti budget" in client.get("/organisations/ozurgeti/").content.decode()
    with commit():
        ana = member(organisation, "ana", listed=True)
    assert "Ana Listed" in client.get("/organisations/ozurgeti/").content.decode()
    with commit():
        ThreadFactory(forum=forum, author=ana, title="Ana asks about budgets")
    assert "Ana asks about budgets" in client.get("/organisations/ozurgeti/").content.decode()
    with commit():
        organisation.description = "A municipality on the Black Sea."
        organisation.save()
    assert "on the Black Sea" in client.get("/organisations/ozurgeti/").content.decode()
    # The peers' reasons are written in the visitor's language: remembered per language.
    with commit():
        OrganisationFactory(
            name="Municipality of Lanchkhuti", country=Country.objects.get(code="GE")
        )
    english = client.get("/organisations/ozurgeti/").content.decode()
    romanian = client.get("/ro/organisations/ozurgeti/").content.decode()
    assert "Same country: Georgia" in english
    assert "Aceeași țară" in romanian and "Lanchkhuti" in romanian
