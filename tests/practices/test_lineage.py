"""Lineage: a practice adapted from another, shown both ways on the practice pages with a
transfer graph drawn as SVG by the server and a table saying the same; circles refused."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from members.factories import UserFactory
from practices.factories import PracticePageFactory
from practices.lineage import descendant_ids, transfer_graph
from practices.models import PracticeAdaptation, PracticePage
from taxonomy.models import Country, Theme
from tests.members.admin_forms import practice_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(site_tree):
    """Georgia → Bosnia and Herzegovina → Poland, plus a draft adapted from the middle one.
    The last two are English pages, so countries are named in English."""
    georgia = PracticePageFactory(
        parent=site_tree["ka"].practices, title="მონაწილეობითი ბიუჯეტი", countries=["GE"]
    )
    bosnia = PracticePageFactory(
        parent=site_tree["en"].practices, title="Partnership grants", countries=["BA"]
    )
    poland = PracticePageFactory(
        parent=site_tree["en"].practices, title="Regranting", countries=["PL"]
    )
    hidden = PracticePageFactory(
        parent=site_tree["en"].practices, title="Unpublished copy", countries=["AL"], live=False
    )
    PracticeAdaptation.objects.create(
        page=bosnia, source=georgia, what_changed="Grants instead of votes.", why="Law & budget."
    )
    PracticeAdaptation.objects.create(
        page=poland, source=bosnia, what_changed="Regranting by CSOs.", why="No municipality."
    )
    PracticeAdaptation.objects.create(page=hidden, source=bosnia, what_changed="-", why="-")
    return georgia, bosnia, poland, hidden


def test_the_page_shows_where_a_practice_came_from_and_where_it_went(client, chain):
    georgia, bosnia, poland, hidden = chain
    content = client.get(bosnia.url).content.decode()
    lineage = content[content.index('id="lineage"') :]
    came_from = lineage[lineage.index("Adapted from") : lineage.index("Adapted elsewhere")]
    assert f'<a href="{georgia.url}" lang="ka" rel="lineage-source">მონაწილეობითი ბიუჯეტი</a>' in (
        came_from
    )
    assert "(Georgia)" in came_from
    assert "<dd>Grants instead of votes.</dd>" in came_from
    assert "<dd>Law &amp; budget.</dd>" in came_from
    went = lineage[lineage.index("Adapted elsewhere") : lineage.index("<figure")]
    assert f'<a href="{poland.url}" lang="en">Regranting</a>' in went
    assert "<dd>Regranting by CSOs.</dd>" in went
    # A practice that is not live is not part of anyone's lineage.
    assert "Unpublished copy" not in content


def test_the_transfer_graph_is_svg_drawn_by_the_server_with_a_table(client, chain):
    georgia, bosnia, poland, _hidden = chain
    content = client.get(poland.url).content.decode()
    svg = re.search(r"<svg [^>]*class=\"transfer-graph\".*?</svg>", content, re.S).group()
    nodes = re.findall(r'<a href="([^"]+)" class="transfer-graph__node[^"]*"', svg)
    assert nodes == [georgia.url, bosnia.url, poland.url]  # one generation per column
    assert svg.count('class="transfer-graph__edge"') == 2
    assert 'aria-current="page"' in svg and svg.index('aria-current="page"') > svg.index(poland.url)
    assert "<title>მონაწილეობითი ბიუჯეტი (Georgia)</title>" in svg
    xs = [int(x) for x in re.findall(r'<rect x="(\d+)"', svg)]
    assert xs == sorted(xs) and len(set(xs)) == 3
    # No inline style: the graph is styled by the site's stylesheet.
    assert "style=" not in svg
    table = content[content.index('<table class="lineage__table">') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", table, re.S)
    assert [(re.sub("<[^>]+>", "", a), re.sub("<[^>]+>", "", b)) for a, b in rows] == [
        ("მონაწილეობითი ბიუჯეტი (Georgia)", "Partnership grants (Bosnia and Herzegovina)"),
        ("Partnership grants (Bosnia and Herzegovina)", "Regranting (Poland)"),
    ]


def test_a_practice_without_lineage_shows_none(client, site_tree):
    practice = PracticePageFactory(parent=site_tree["en"].practices, title="Alone")
    content = client.get(practice.url).content
    assert b'id="lineage"' not in content
    assert transfer_graph(practice) is None


def test_the_graph_queries_do_not_grow_with_the_chain(chain, django_assert_max_num_queries):
    georgia, bosnia, poland, _hidden = chain
    with django_assert_max_num_queries(8):
        graph = transfer_graph(poland)
        names = [node.country_names for node in graph.nodes]
    assert names == ["Georgia", "Bosnia and Herzegovina", "Poland"]


def test_the_database_refuses_a_practice_adapted_from_itself(site_tree):
    practice = PracticePageFactory(parent=site_tree["en"].practices)
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeAdaptation.objects.create(page=practice, source=practice, what_changed="x", why="y")


def adaptation_form_data(page, sources):
    data = practice_form_data(
        page,
        title=page.title,
        themes=list(Theme.objects.filter(slug="participatory-budgeting")),
        countries=list(Country.objects.filter(code="GE")),
        lead_organisation=None,
        **{"action-publish": "1"},
    )
    data.update(
        nested_form_data(
            {
                "adapted_from": inline_formset(
                    [
                        {"source": source.pk, "what_changed": "Changed.", "why": "Because."}
                        for source in sources
                    ]
                )
            }
        )
    )
    return data


def post_edit(client, page, sources):
    client.force_login(UserFactory(username="admin-user", is_superuser=True, is_staff=True))
    return client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), adaptation_form_data(page, sources)
    )


def test_the_admin_refuses_a_circle_with_a_clear_message(client, chain):
    georgia, bosnia, poland, _hidden = chain
    assert descendant_ids(georgia.pk) == {bosnia.pk, poland.pk, _hidden.pk}
    response = post_edit(client, georgia, [poland])
    assert response.status_code == 200
    assert (
        "“Regranting” was adapted from this practice (directly or through others), so this "
        "practice cannot also be adapted from it."
    ) in response.content.decode()
    assert not PracticeAdaptation.objects.filter(page=georgia).exists()
    assert not PracticePage.objects.get(pk=georgia.pk).has_unpublished_changes

    response = post_edit(client, georgia, [georgia])
    assert "A practice cannot be adapted from itself." in response.content.decode()
    response = post_edit(client, poland, [georgia, georgia])
    assert "Please correct the duplicate data for page and source" in response.content.decode()
    assert list(
        PracticeAdaptation.objects.filter(page=poland).values_list("source", flat=True)
    ) == [bosnia.pk]


def test_the_admin_saves_an_adaptation(client, site_tree, chain):
    georgia, bosnia, poland, _hidden = chain
    other = PracticePageFactory(parent=site_tree["en"].practices, title="Youth budget")
    response = post_edit(client, other, [georgia])
    assert response.status_code == 302
    adaptation = PracticeAdaptation.objects.get(page=other)
    assert (adaptation.source, adaptation.what_changed, adaptation.why) == (
        georgia.specific,
        "Changed.",
        "Because.",
    )
