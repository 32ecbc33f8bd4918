"""Peer matching ("organisations like yours"): ranking, reasons, the peers' practices, the
organisation page and the members' dashboard panel, the query count, the empty state."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.models import Organisation
from practices.factories import PracticePageFactory
from practices.models import PracticePage
from practices.peers import MAX_QUERIES, band_label, find_peers, population_band
from taxonomy.factories import ThemeFactory
from taxonomy.models import Country

MUNICIPALITY = Organisation.Kind.MUNICIPALITY
CSO = Organisation.Kind.CSO


def published(day):
    return datetime(2025, 1, day, tzinfo=UTC)


@pytest.fixture
def themes(db):
    return {
        slug: ThemeFactory(slug=slug, name=name, sort_order=order)
        for order, (slug, name) in enumerate(
            [
                ("peer-budgeting", "Participatory budgeting"),
                ("peer-green", "Green transition"),
                ("peer-youth", "Youth"),
                ("peer-water", "Water"),
            ]
        )
    }


@pytest.fixture
def library(site_tree, themes):
    """Telavi and the organisations around it: their scores are, by construction,
    Gurjaani 11 > Rustavi 7 > Kakheti Rural Network 4 > Cluj Civic 3 > Tbilisi Forum 2;
    Istanbul shares only the kind and is no peer."""
    georgia, romania, turkey = (Country.objects.get(code=code) for code in ("GE", "RO", "TR"))
    parent = site_tree["en"].practices

    def organisation(name, kind, country, region="", population=None):
        return OrganisationFactory(
            name=name, kind=kind, country=country, region=region, population=population
        )

    def practice(organisation, theme_slugs, day, **kwargs):
        return PracticePageFactory(
            parent=parent,
            lead_organisation=organisation,
            themes=[themes[slug] for slug in theme_slugs],
            first_published_at=published(day),
            **kwargs,
        )

    telavi = organisation("Telavi", MUNICIPALITY, georgia, "Kakheti", 55_000)
    practice(telavi, ["peer-budgeting", "peer-green"], 1, title="Telavi budgets")
    practice(telavi, ["peer-youth"], 2, title="Telavi youth council")

    gurjaani = organisation("Gurjaani", MUNICIPALITY, georgia, " kakheti ", 60_000)
    for day, slugs in enumerate(
        [["peer-budgeting"], ["peer-green"], ["peer-water"], ["peer-budgeting"]], start=3
    ):
        practice(gurjaani, slugs, day, title=f"Gurjaani practice {day}")
    # Neither a draft nor a private practice counts or shows.
    practice(gurjaani, ["peer-youth"], 20, title="Gurjaani draft", live=False)
    private = practice(gurjaani, ["peer-youth"], 21, title="Gurjaani private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    rustavi = organisation("Rustavi", MUNICIPALITY, georgia, "Kvemo Kartli", 125_000)
    rural = organisation("Kakheti Rural Network", CSO, georgia, "Kakheti")
    cluj = organisation("Cluj Civic", CSO, romania, "Cluj")
    practice(cluj, ["peer-budgeting", "peer-green", "peer-youth"], 10, title="Cluj assemblies")
    tbilisi = organisation("Tbilisi Forum", CSO, georgia)
    istanbul = organisation("Istanbul", MUNICIPALITY, turkey, "Marmara", 15_000_000)
    return {
        "telavi": telavi,
        "gurjaani": gurjaani,
        "rustavi": rustavi,
        "rural": rural,
        "cluj": cluj,
        "tbilisi": tbilisi,
        "istanbul": istanbul,
    }


def by_name(match):
    return {peer.organisation.name: peer for peer in match.peers}


def test_population_bands():
    assert population_band(None) is None
    assert population_band(9_999) == (1, 10_000)
    assert population_band(10_000) == (10_000, 50_000)
    assert population_band(50_000) == (50_000, 250_000)
    assert population_band(999_999) == (250_000, 1_000_000)
    assert population_band(1_000_000) == (1_000_000, None)
    assert band_label((1, 10_000)) == "under 10,000"
    assert band_label((50_000, 250_000)) == "50,000–250,000"
    assert band_label((1_000_000, None)) == "1,000,000 and over"


def test_peers_ranked_by_score_without_the_organisation_itself(library):
    match = find_peers(library["telavi"])

    assert match.has_data
    assert [(peer.organisation.name, peer.score) for peer in match.peers] == [
        ("Gurjaani", 11),
        ("Rustavi", 7),
        ("Kakheti Rural Network", 4),
        ("Cluj Civic", 3),
        ("Tbilisi Forum", 2),
    ]


def test_each_reason_in_words(library):
    peers = by_name(find_peers(library["telavi"]))

    assert peers["Gurjaani"].reasons == [
        "Same kind: Municipality",
        "Population 50,000–250,000",
        "Same region: Kakheti, Georgia",
        "2 shared themes: Participatory budgeting, Green transition",
    ]
    assert peers["Rustavi"].reasons == [
        "Same kind: Municipality",
        "Population 50,000–250,000",
        "Same country: Georgia",
    ]
    assert peers["Kakheti Rural Network"].reasons == ["Same region: Kakheti, Georgia"]
    assert peers["Cluj Civic"].reasons == [
        "3 shared themes: Participatory budgeting, Green transition, Youth"
    ]
    assert peers["Tbilisi Forum"].reasons == ["Same country: Georgia"]


def test_sharing_only_the_kind_is_no_match(library):
    assert "Istanbul" not in by_name(find_peers(library["telavi"]))
    # Istanbul's own peers: none shares a country, band or theme with it.
    match = find_peers(library["istanbul"])
    assert match.has_data
    assert match.peers == []


def test_the_peers_newest_published_practices(library):
    peers = by_name(find_peers(library["telavi"]))

    gurjaani = peers["Gurjaani"]
    assert [practice.title for practice in gurjaani.practices] == [
        "Gurjaani practice 6",
        "Gurjaani practice 5",
        "Gurjaani practice 4",
    ]
    assert gurjaani.practice_count == 4
    assert [practice.title for practice in peers["Cluj Civic"].practices] == ["Cluj assemblies"]
    assert peers["Cluj Civic"].practice_count == 1
    assert peers["Rustavi"].practices == []


def test_a_fixed_number_of_queries(library, themes, site_tree, django_assert_num_queries):
    with django_assert_num_queries(MAX_QUERIES):
        find_peers(library["telavi"])
    # Twenty more peers, each with practices: still the same queries.
    georgia = library["telavi"].country
    for number in range(20):
        peer = OrganisationFactory(name=f"Sighnaghi {number}", country=georgia)
        PracticePageFactory(
            parent=site_tree["en"].practices,
            lead_organisation=peer,
            themes=[themes["peer-youth"]],
        )
    with django_assert_num_queries(MAX_QUERIES):
        match = find_peers(library["telavi"], limit=30)
    assert len(match.peers) == 25
    assert all(peer.practices for peer in match.peers if peer.organisation.name[:9] == "Sighnaghi")


def test_an_organisation_with_no_data_has_a_clear_empty_state(site_tree, client):
    lonely = OrganisationFactory(name="Nowhere Association", kind=Organisation.Kind.OTHER)
    OrganisationFactory(name="Another one", kind=Organisation.Kind.OTHER)

    match = find_peers(lonely)

    assert not match.has_data
    assert match.peers == []
    response = client.get(lonely.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Organisations like this one" in page
    assert (
        "To find organisations like Nowhere Association, the library needs its country, its "
        "population or a published practice with themes. It has none of these yet."
    ) in page
    assert 'class="peer-list"' not in page


def test_the_organisation_page_lists_its_peers(library, client):
    response = client.get(library["telavi"].get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    section = page[page.index('id="peers-heading"') :]
    names = ["Gurjaani", "Rustavi", "Kakheti Rural Network", "Cluj Civic", "Tbilisi Forum"]
    positions = [section.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)
    assert "Istanbul" not in section
    assert (
        'Same kind: Municipality</span> · <span class="peer__reason">Population '
        '50,000–250,000</span> · <span class="peer__reason">Same region: Kakheti, Georgia'
    ) in section
    assert "2 shared themes: Participatory budgeting, Green transition" in section
    for practice in PracticePage.objects.filter(title__startswith="Gurjaani practice"):
        shown = practice.title != "Gurjaani practice 3"
        assert (f'href="{practice.url}"' in section) is shown
    assert "Gurjaani draft" not in section
    assert "Gurjaani private" not in section
    assert "See all 4 of its practices" in section


def test_the_dashboard_panel_of_a_member(library, client):
    member = UserFactory(username="telavi-member")
    MembershipFactory(user=member, organisation=library["telavi"])
    MembershipFactory(user=member, organisation=library["istanbul"])
    client.force_login(member)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    page = response.content.decode()
    telavi = page[page.index("Organisations like Telavi") :]
    assert "Same region: Kakheti, Georgia" in telavi
    assert "3 shared themes: Participatory budgeting, Green transition, Youth" in telavi
    assert ">Cluj assemblies</a>" in telavi
    istanbul = page[page.index("Organisations like Istanbul") :]
    assert (
        "No organisation like Istanbul yet: none shares its country, its population band or "
        "the themes of its published practices."
    ) in istanbul


def test_no_panel_for_someone_in_no_organisation(library, client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert "Organisations like" not in response.content.decode()
