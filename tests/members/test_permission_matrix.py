"""The permission matrix: role × action × own / other organisation, through the real Wagtail
admin views (create, edit, submit, publish, unpublish, delete), checking both the HTTP
outcome and what happened in the database.

"own" is the organisation the member, editor and admin belong to; "other" is one they do
not belong to. The site editor and the outsider belong to none, so for them the two columns
only differ by the page's lead organisation.
"""

import pytest
from django.urls import reverse

from practices.factories import GuidePageFactory
from practices.models import GuidePage, PracticePage
from taxonomy.models import Country, Theme
from tests.members.admin_forms import guide_form_data, practice_form_data

ROLES = ["member", "editor", "admin", "site_editor", "outsider"]

# action: {role: (outcome with own organisation, outcome with other organisation)}
EXPECTED = {
    "create": {
        "member": ("created", "invalid"),
        "editor": ("created", "invalid"),
        "admin": ("created", "invalid"),
        "site_editor": ("created", "created"),
        "outsider": ("invalid", "invalid"),
    },
    "edit": {
        "member": ("saved", "denied"),
        "editor": ("saved", "denied"),
        "admin": ("saved", "denied"),
        "site_editor": ("saved", "saved"),
        "outsider": ("denied", "denied"),
    },
    "submit": {
        "member": ("submitted", "denied"),
        "editor": ("submitted", "denied"),
        "admin": ("submitted", "denied"),
        "site_editor": ("submitted", "submitted"),
        "outsider": ("denied", "denied"),
    },
    # Members asking to publish only save a draft: Wagtail falls back to "save".
    "publish": {
        "member": ("draft_only", "denied"),
        "editor": ("draft_only", "denied"),
        "admin": ("draft_only", "denied"),
        "site_editor": ("published", "published"),
        "outsider": ("denied", "denied"),
    },
    "unpublish": {
        "member": ("denied", "denied"),
        "editor": ("denied", "denied"),
        "admin": ("denied", "denied"),
        "site_editor": ("unpublished", "unpublished"),
        "outsider": ("denied", "denied"),
    },
    "delete_draft": {
        "member": ("denied", "denied"),
        "editor": ("deleted", "denied"),
        "admin": ("deleted", "denied"),
        "site_editor": ("deleted", "deleted"),
        "outsider": ("denied", "denied"),
    },
    "delete_live": {
        "member": ("denied", "denied"),
        "editor": ("denied", "denied"),
        "admin": ("denied", "denied"),
        "site_editor": ("deleted", "deleted"),
        "outsider": ("denied", "denied"),
    },
}

CASES = [
    pytest.param(role, action, side, outcomes[side == "other"], id=f"{role}-{action}-{side}")
    for action, by_role in EXPECTED.items()
    for role, outcomes in by_role.items()
    for side in ("own", "other")
]


def test_the_matrix_covers_every_role_and_action():
    assert {role for by_role in EXPECTED.values() for role in by_role} == set(ROLES)
    assert len(CASES) == len(ROLES) * len(EXPECTED) * 2


@pytest.fixture
def themes(db):
    return [Theme.objects.get(slug="participatory-budgeting")]


@pytest.fixture
def countries(db):
    return [Country.objects.get(code="MK")]


def assert_denied(response):
    """Wagtail answers a refused admin request with a redirect to the dashboard."""
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def assert_redirects_to_edit(response, page):
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=(page.pk,))


def assert_redirects_to_explorer(response, page):
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=(page.get_parent().pk,))


def edit_data(page, themes, countries, **fields):
    return practice_form_data(
        page,
        title=fields.pop("title", "Edited title"),
        themes=themes,
        countries=countries,
        lead_organisation=page.lead_organisation,
        **fields,
    )


def run_create(client, site_tree, organisation, themes, countries, outcome):
    index = site_tree["en"].practices
    url = reverse("wagtailadmin_pages:add", args=("practices", "practicepage", index.pk))
    data = practice_form_data(
        title="Participatory budget for schools",
        themes=themes,
        countries=countries,
        lead_organisation=organisation,
    )
    response = client.post(url, data)
    created = PracticePage.objects.filter(title="Participatory budget for schools").first()
    if outcome == "created":
        assert created is not None
        assert_redirects_to_edit(response, created)
        assert created.lead_organisation == organisation
        assert not created.live
        assert set(created.themes.all()) == set(themes)
        assert set(created.countries.all()) == set(countries)
    else:
        assert outcome == "invalid"
        assert response.status_code == 200
        assert "lead_organisation" in response.context["form"].errors
        assert created is None


def run_edit(client, page, themes, countries, outcome):
    revisions = page.revisions.count()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), edit_data(page, themes, countries)
    )
    page.refresh_from_db()
    if outcome == "saved":
        assert_redirects_to_edit(response, page)
        assert page.title == "Edited title"
        assert page.revisions.count() == revisions + 1
    else:
        assert outcome == "denied"
        assert_denied(response)
        assert page.title != "Edited title"
        assert page.revisions.count() == revisions


def run_submit(client, page, themes, countries, outcome):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        edit_data(page, themes, countries, **{"action-submit": "1"}),
    )
    page.refresh_from_db()
    if outcome == "submitted":
        assert_redirects_to_explorer(response, page)
        assert page.workflow_in_progress
        assert page.current_workflow_task.name == "Site editors approval"
        assert not page.live
    else:
        assert outcome == "denied"
        assert_denied(response)
        assert not page.workflow_states.exists()


def run_publish(client, page, themes, countries, outcome):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        edit_data(page, themes, countries, **{"action-publish": "1"}),
    )
    page.refresh_from_db()
    if outcome == "published":
        assert_redirects_to_explorer(response, page)
        assert page.live
        assert page.title == "Edited title"
    elif outcome == "draft_only":
        assert_redirects_to_edit(response, page)
        assert not page.live
        assert page.get_latest_revision().as_object().title == "Edited title"
    else:
        assert outcome == "denied"
        assert_denied(response)
        assert not page.live
        assert page.title != "Edited title"


def run_unpublish(client, page, outcome):
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
    page.refresh_from_db()
    if outcome == "unpublished":
        assert_redirects_to_explorer(response, page)
        assert not page.live
    else:
        assert outcome == "denied"
        assert_denied(response)
        assert page.live


def run_delete(client, page, outcome):
    parent = page.get_parent()
    response = client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
    exists = PracticePage.objects.filter(pk=page.pk).exists()
    if outcome == "deleted":
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_explore", args=(parent.pk,))
        assert not exists
    else:
        assert outcome == "denied"
        assert_denied(response)
        assert exists


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "side", "outcome"), CASES)
def test_permission_matrix(
    client,
    site_tree,
    make_user,
    own_organisation,
    other_organisation,
    practice_for,
    themes,
    countries,
    role,
    action,
    side,
    outcome,
):
    organisation = own_organisation if side == "own" else other_organisation
    client.force_login(make_user(role))

    if action == "create":
        run_create(client, site_tree, organisation, themes, countries, outcome)
        return

    live = action in {"unpublish", "delete_live"}
    page = practice_for(organisation, live=live, themes=themes, countries=countries)
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    page.refresh_from_db()

    if action == "edit":
        run_edit(client, page, themes, countries, outcome)
    elif action == "submit":
        run_submit(client, page, themes, countries, outcome)
    elif action == "publish":
        run_publish(client, page, themes, countries, outcome)
    elif action == "unpublish":
        run_unpublish(client, page, outcome)
    else:
        run_delete(client, page, outcome)


@pytest.mark.django_db
def test_a_user_without_admin_access_is_sent_to_the_login_page(
    client, site_tree, own_organisation, practice_for, themes, countries
):
    from members.factories import UserFactory

    page = practice_for(own_organisation, live=False)
    client.force_login(UserFactory(username="visitor"))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), edit_data(page, themes, countries)
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    page.refresh_from_db()
    assert page.title != "Edited title"


@pytest.mark.django_db
def test_leaving_the_organisation_ends_edit_rights_even_for_the_pages_author(
    client, site_tree, make_user, own_organisation, themes, countries
):
    member = make_user("member")
    client.force_login(member)
    index = site_tree["en"].practices
    client.post(
        reverse("wagtailadmin_pages:add", args=("practices", "practicepage", index.pk)),
        practice_form_data(
            title="Youth council", themes=themes, countries=countries,
            lead_organisation=own_organisation,
        ),
    )  # fmt: skip
    page = PracticePage.objects.get(title="Youth council")
    assert page.owner == member

    member.memberships.all().delete()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), edit_data(page, themes, countries)
    )
    # No longer in the "Organisation members" group: the admin itself is closed.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    page.refresh_from_db()
    assert page.title == "Youth council"


@pytest.mark.django_db
def test_members_cannot_create_other_page_types(client, site_tree, make_user):
    client.force_login(make_user("admin"))
    home = site_tree["en"].home
    response = client.get(
        reverse("wagtailadmin_pages:add", args=("home", "homepage", home.get_parent().pk))
    )
    assert_denied(response)


@pytest.mark.django_db
@pytest.mark.parametrize(("side", "outcome"), [("own", "saved"), ("other", "denied")])
def test_guides_follow_the_same_rules(
    client, site_tree, make_user, own_organisation, other_organisation, themes, countries,
    side, outcome,
):  # fmt: skip
    organisation = own_organisation if side == "own" else other_organisation
    guide = GuidePageFactory(
        parent=site_tree["en"].guides, lead_organisation=organisation, live=False,
        themes=themes, countries=countries,
    )  # fmt: skip
    client.force_login(make_user("editor"))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(guide.pk,)),
        guide_form_data(
            guide, title="Edited guide", themes=themes, countries=countries,
            lead_organisation=organisation,
        ),
    )  # fmt: skip
    guide.refresh_from_db()
    if outcome == "saved":
        assert_redirects_to_edit(response, guide)
        assert guide.title == "Edited guide"
        response = client.post(reverse("wagtailadmin_pages:delete", args=(guide.pk,)))
        assert not GuidePage.objects.filter(pk=guide.pk).exists()
    else:
        assert_denied(response)
        assert guide.title != "Edited guide"
        assert_denied(client.post(reverse("wagtailadmin_pages:delete", args=(guide.pk,))))
        assert GuidePage.objects.filter(pk=guide.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "editor", "admin"])
def test_organisation_members_never_move_pages(
    client, site_tree, make_user, own_organisation, practice_for, role
):
    page = practice_for(own_organisation, live=False)
    client.force_login(make_user(role))
    assert_denied(client.get(reverse("wagtailadmin_pages:move", args=(page.pk,))))
    destination = site_tree["mk"].practices
    response = client.post(
        reverse("wagtailadmin_pages:move_confirm", args=(page.pk, destination.pk))
    )
    assert_denied(response)
    page.refresh_from_db()
    assert page.get_parent().pk == site_tree["en"].practices.pk


@pytest.mark.django_db
def test_site_editors_may_move_pages(client, site_tree, make_user, own_organisation, practice_for):
    page = practice_for(own_organisation, live=False)
    client.force_login(make_user("site_editor"))
    response = client.get(reverse("wagtailadmin_pages:move", args=(page.pk,)))
    assert response.status_code == 200
