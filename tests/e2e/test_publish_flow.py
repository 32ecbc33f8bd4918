"""Issue 2 in a real browser: a municipality member writes and submits a practice in the
admin, a site editor publishes it, a visitor finds it through the country filter."""

import re

from playwright.sync_api import expect

from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.groups import SITE_EDITORS
from practices.models import PracticePage
from taxonomy.models import Country
from tests.e2e.conftest import E2E_DB
from tests.e2e.helpers import sign_in, sign_out

PASSWORD = "correct horse battery staple"
TITLE = "Street lighting chosen by residents of Rustavi"


@E2E_DB
def test_member_submits_editor_publishes_visitor_finds_by_country(live_server, site_tree, page):
    from django.contrib.auth.models import Group

    rustavi = OrganisationFactory(name="Rustavi City Hall", country=Country.objects.get(code="GE"))
    MembershipFactory(user=UserFactory(username="nino"), organisation=rustavi)
    editor = UserFactory(username="giorgi")
    editor.groups.add(Group.objects.get(name=SITE_EDITORS))
    practices = site_tree["en"].practices

    # The member writes the practice and submits it for moderation.
    sign_in(page, live_server, "nino", PASSWORD)
    page.goto(f"{live_server.url}/admin/pages/add/practices/practicepage/{practices.pk}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Residents voted on which streets get new LED lighting first.")
    page.get_by_label("Participatory budgeting", exact=True).check()
    page.select_option("#id_countries", label="Georgia")
    expect(page.locator("#id_lead_organisation")).to_have_value(str(rustavi.pk))
    page.get_by_role("button", name=re.compile("More actions", re.I)).first.click()
    page.locator("button[name='action-submit']").click()
    expect(page.locator(".messages")).to_contain_text(TITLE)

    practice = PracticePage.objects.get(title=TITLE)
    assert not practice.live
    assert practice.current_workflow_state is not None

    # A visitor cannot find it yet.
    sign_out(page, live_server)
    page.goto(f"{live_server.url}/practices/?country=GE")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)

    # The site editor approves it, which publishes it.
    sign_in(page, live_server, "giorgi", PASSWORD)
    page.goto(f"{live_server.url}/admin/pages/{practice.pk}/edit/")
    page.get_by_role("button", name=re.compile("More actions", re.I)).first.click()
    page.locator(
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    ).click()
    expect(page.locator(".messages")).to_contain_text(TITLE)
    practice.refresh_from_db()
    assert practice.live

    # A visitor finds it through the country filter of the practice list.
    sign_out(page, live_server)
    page.goto(f"{live_server.url}/practices/")
    country_filter = page.locator("details:has(input[name='country'])")
    if country_filter.get_attribute("open") is None:
        country_filter.locator("summary").click()
    country_filter.locator("input[value='GE']").check()
    page.get_by_role("button", name=re.compile("Apply|Filter", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"country=GE"))
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
