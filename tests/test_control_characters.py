"""Every character the site cannot carry, through every door: the C0 controls other than tab
and line breaks, DEL, the C1 controls, a lone surrogate and the noncharacters U+FFFE/U+FFFF.

Forms refuse them with one clear message per field and save nothing; the search refuses them
in its parameters as it refuses any bad parameter; the feed and the JSON API carry stored
text that holds them (what an admin or an older import saved) without breaking; the importer
removes them with a note on the row. Nothing answers 500.

Over HTTP the text is sent percent-encoded as a browser sends it; a lone surrogate is then
the bytes %ED%A0%80, which are not UTF-8 and which Django decodes to U+FFFD."""

import json
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from delivery.models import Delivery
from editorial.characters import refusal_message
from forums.factories import ForumFactory, PostFactory, ThreadFactory
from forums.forms import PostForm, ThreadForm
from forums.models import Post, Thread
from members.factories import MembershipFactory, OrganisationFactory, UserFactory
from members.groups import SITE_EDITORS
from members.models import Membership, Organisation
from practices.contact import ContactForm
from practices.factories import PracticePageFactory
from practices.importers.participedia import run_import
from practices.importers.report import ImportFileError
from practices.models import GuidePage, PracticePage
from taxonomy.models import Country, Theme
from tests.members.admin_forms import practice_form_data

CONTROL_CHARACTERS = [
    chr(code) for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if chr(code) not in "\t\n\r"
]
LONE_SURROGATE = "\ud800"
NONCHARACTERS = ["\ufffe", "\uffff"]
EVERY_CHARACTER = [*CONTROL_CHARACTERS, LONE_SURROGATE, *NONCHARACTERS]
# What a database can hold and so what an admin or an older import may have stored.
STORABLE = [character for character in EVERY_CHARACTER if character not in ("\x00", LONE_SURROGATE)]
PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db


def name(character):
    return f"U+{ord(character):04X}"


def message(character):
    """The message for `character` as it arrives over HTTP."""
    return str(refusal_message("\ufffd" if character == LONE_SURROGATE else character))


def post(client, url, data):
    """`data` percent-encoded as a browser sends a form; a lone surrogate as %ED%A0%80."""
    body = urlencode(data, doseq=True, errors="surrogatepass")
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def get(client, url, params):
    return client.get(f"{url}?{urlencode(params, doseq=True, errors='surrogatepass')}")


@pytest.fixture(autouse=True)
def default_language():
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def organisation(db):
    return OrganisationFactory(
        name="Municipality of Tetovo", contact_email="office@tetovo.example", city="Tetovo"
    )


@pytest.fixture
def practice(site_tree, organisation):
    return PracticePageFactory(
        parent=site_tree["en"].practices,
        title="Participatory budgeting in Tetovo",
        slug="participatory-budgeting-tetovo",
        lead_organisation=organisation,
    )


@pytest.fixture
def member(db):
    user = UserFactory(username="ana")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def thread(member):
    forum = ForumFactory(name="Participatory budgeting", slug="participatory-budgeting")
    return ThreadFactory(forum=forum, author=member, title="Budgets for schools")


# Forms ---------------------------------------------------------------------------------------


def assert_refused(response, form, fields, character):
    assert response.status_code == 200, (name(character), response.status_code)
    errors = response.context[form].errors
    for field in fields:
        assert errors.get(field) == [message(character)], (name(character), field, errors)
    assert escape(message(character)) in response.content.decode()


def test_the_contact_form_refuses_them_and_sends_nothing(client, practice, smtp_server):
    url = practice.url + practice.reverse_subpage("contact")
    for character in EVERY_CHARACTER:
        response = post(
            client,
            url,
            {
                "name": f"Ana{character}Petreska",
                "email": "ana@example.org",
                "message": f"How did you choose{character} the neighbourhoods for the budget?",
                "website": "",
            },
        )
        assert_refused(response, "contact_form", ["name", "message"], character)
    assert smtp_server.messages == []
    assert not Delivery.objects.exists()


def test_the_forum_forms_refuse_them_and_save_nothing(client, member, thread):
    client.force_login(member)
    first_post = thread.posts.get()
    original_body = first_post.body
    create_url = reverse("forums:thread_create", kwargs={"slug": thread.forum.slug})
    reply_url = reverse("forums:reply", kwargs={"forum_slug": thread.forum.slug, "pk": thread.pk})
    edit_url = reverse("forums:post_edit", kwargs={"pk": first_post.pk})
    for character in EVERY_CHARACTER:
        response = post(
            client,
            create_url,
            {
                "title": f"Budgets{character} for schools",
                "language": "en",
                "body": f"Which schools{character} took part?",
            },
        )
        assert_refused(response, "form", ["title", "body"], character)
        response = post(client, reply_url, {"body": f"We asked the{character} pupils."})
        assert_refused(response, "form", ["body"], character)
        response = post(client, edit_url, {"body": f"Edited{character} text."})
        assert_refused(response, "form", ["body"], character)
    assert list(Thread.objects.all()) == [thread]
    assert list(Post.objects.all()) == [first_post]
    first_post.refresh_from_db()
    assert first_post.body == original_body


def test_the_sign_in_form_refuses_them_and_signs_nobody_in(client, member, settings):
    # allauth limits failed sign-ins per address (tested there); here each is one refusal.
    settings.ACCOUNT_RATE_LIMITS = False
    url = reverse("login")
    for character in EVERY_CHARACTER:
        response = post(client, url, {"login": f"a{character}na", "password": PASSWORD})
        assert_refused(response, "form", ["login"], character)
        assert "_auth_user_id" not in client.session


def test_the_admin_forms_refuse_them_and_save_nothing(client, site_tree, organisation):
    editor = UserFactory(username="site-editor")
    editor.groups.add(Group.objects.get(name=SITE_EDITORS))
    organisation_admin = UserFactory(username="tetovo-admin")
    MembershipFactory(user=organisation_admin, organisation=organisation, role="admin")
    newcomer = UserFactory(username="newcomer")
    index = site_tree["en"].practices
    add_practice = reverse("wagtailadmin_pages:add", args=("practices", "practicepage", index.pk))
    edit_organisation = reverse(
        Organisation.snippet_viewset.get_url_name("edit"), args=(organisation.pk,)
    )
    add_membership = reverse(Membership.snippet_viewset.get_url_name("add"))
    themes = [Theme.objects.get(slug="participatory-budgeting")]
    countries = [Country.objects.get(code="MK")]
    pages_before = PracticePage.objects.count()

    for character in EVERY_CHARACTER:
        client.force_login(editor)
        data = practice_form_data(
            title=f"Budgets{character} for schools",
            themes=themes,
            countries=countries,
            lead_organisation=organisation,
            summary=f"What the{character} schools decided.",
        )
        response = post(client, add_practice, data)
        assert_refused(response, "form", ["title", "summary"], character)

        data = {
            "name": f"Municipality{character} of Tetovo",
            "slug": organisation.slug,
            "kind": organisation.kind,
            "country": organisation.country_id or "",
            "region": "",
            "city": f"Tet{character}ovo",
            "population": "",
            "website": "",
            "logo": "",
            "description": f"A municipality{character} in the north-west.",
            "contact_email": organisation.contact_email,
            "source_url": "",
        }
        response = post(client, edit_organisation, data)
        assert_refused(response, "form", ["name", "city", "description"], character)

        client.force_login(organisation_admin)
        response = post(
            client,
            add_membership,
            {"user": f"new{character}comer", "organisation": organisation.pk, "role": "member"},
        )
        assert_refused(response, "form", ["user"], character)

    assert PracticePage.objects.count() == pages_before
    organisation.refresh_from_db()
    assert (organisation.name, organisation.city) == ("Municipality of Tetovo", "Tetovo")
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    "form_class, fields",
    [
        (ContactForm, ["name", "message"]),
        (ThreadForm, ["title", "body"]),
        (PostForm, ["body"]),
    ],
)
def test_forms_refuse_them_in_decoded_text(form_class, fields):
    """Text that reached Python some other way (JSON decodes "\\ud800" to a lone surrogate)."""
    for character in EVERY_CHARACTER:
        data = {
            "name": "Ana",
            "email": "ana@example.org",
            "message": "How did you choose the neighbourhoods for the budget?",
            "title": "Budgets for schools",
            "language": "en",
            "body": "Which schools took part?",
        }
        data.update({field: f"{data[field]}{character}!" for field in fields})
        form = form_class(data=data)
        assert not form.is_valid()
        for field in fields:
            assert form.errors[field] == [str(refusal_message(character))], name(character)


# The search ----------------------------------------------------------------------------------


def test_the_search_page_feed_and_api_refuse_them_in_parameters(client):
    for character in EVERY_CHARACTER:
        for parameter in ("q", "theme", "sort"):
            params = {parameter: f"budget{character}"}
            response = get(client, reverse("search"), params)
            assert response.status_code == 400, (name(character), parameter)
            assert response.context["error"].parameter == parameter
            assert escape(message(character)) in response.content.decode()

            response = get(client, reverse("search_feed"), params)
            assert response.status_code == 400, (name(character), parameter)
            assert response.content.decode() == message(character)

            response = get(client, reverse("search_api"), params)
            assert response.status_code == 400, (name(character), parameter)
            assert response.json() == {"error": message(character), "parameter": parameter}


def test_suggestions_ignore_them(client, thread):
    expected = client.get(reverse("search_suggest"), {"q": "Budgets"}).json()
    assert expected["suggestions"]
    for character in EVERY_CHARACTER:
        response = get(client, reverse("search_suggest"), {"q": f"Budg{character}ets"})
        assert response.status_code == 200, name(character)
        if character == LONE_SURROGATE:  # arrives as U+FFFD, a character like any other
            assert response.json() == {"suggestions": []}
        else:
            assert response.json() == expected, name(character)


def test_the_feed_and_the_api_carry_stored_text_that_holds_them(client, member):
    """A thread title (or an imported title) stored with every storable one of them."""
    forum = ForumFactory(name="Participatory budgeting", slug="participatory-budgeting")
    title = "Budgets" + "".join(STORABLE) + " for schools"
    thread = ThreadFactory(forum=forum, author=member, title=title[:200])
    PostFactory(thread=thread, author=member, body="<p>Reply" + "".join(STORABLE) + "</p>")

    response = client.get(reverse("search_feed"), {"type": "thread"})
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert titles == ["Budgets for schools"]

    response = client.get(reverse("search_feed"), {"type": "thread", "q": "schools"})
    assert response.status_code == 200
    ElementTree.fromstring(response.content)

    response = client.get(reverse("search_api"), {"type": "thread"})
    assert response.status_code == 200
    assert [hit["title"] for hit in json.loads(response.content)["results"]] == [thread.title]

    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200


# The importer --------------------------------------------------------------------------------

HEADER = (
    "id,type,title,url,description,original_language,post_date,updated_date,general_issues,"
    "method_types,body\n"
)


def test_the_importer_removes_them_with_a_note_per_row(site_tree, tmp_path):
    importable = [c for c in EVERY_CHARACTER if c not in ("\x00", LONE_SURROGATE)]
    rows = []
    for number, character in enumerate(importable, start=1):
        rows.append(
            f"{90500 + number},method,World{character} Café,https://participedia.net/method/"
            f"{90500 + number},Small{character} tables.,en,2012-01-01,2021-01-01,{{governance}},"
            f'{{deliberative}},"Participants{character} move between tables."\n'
        )
    path = tmp_path / "methods.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")

    report = run_import([path], progress=False)

    assert report.total("created") == len(importable)
    assert report.skipped == []
    assert [(note.line, note.message) for note in report.notes] == [
        (
            line,
            "removed control characters (or other characters the site cannot carry) from "
            "title, description, body",
        )
        for line in range(2, len(importable) + 2)
    ]
    for guide in GuidePage.objects.filter(external_id__startswith="participedia:method:905"):
        assert guide.title == "World Café"
        assert guide.summary == "Small tables."
        assert guide.introduction == "<p>Participants move between tables.</p>"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"World\x00 Caf\xc3\xa9", "not a CSV file (it contains binary data)"),
        (b"World\xed\xa0\x80 Caf\xc3\xa9", "not a UTF-8 CSV file (undecodable byte at position"),
    ],
    ids=["NUL", "lone surrogate"],
)
def test_the_importer_refuses_files_that_are_not_text(site_tree, tmp_path, content, reason):
    path = tmp_path / "methods.csv"
    path.write_bytes(
        HEADER.encode()
        + b"90501,method,"
        + content
        + b",https://participedia.net/method/90501,,en,2012-01-01,,,,\n"
    )
    with pytest.raises(ImportFileError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        run_import([path], progress=False)
    assert not GuidePage.objects.filter(external_id__startswith="participedia:method:").exists()


def test_the_import_command_reports_the_note(site_tree, tmp_path, capsys):
    path = tmp_path / "methods.csv"
    path.write_text(
        HEADER + "90501,method,World\x01 Café,https://participedia.net/method/90501,,en,"
        "2012-01-01,,,,Body\x85 text.\n",
        encoding="utf-8",
    )
    call_command("import_participedia", str(path), verbosity=0)
    assert (
        "methods.csv line 2 (id 90501): imported: removed control characters (or other "
        "characters the site cannot carry) from title, body"
    ) in capsys.readouterr().out
