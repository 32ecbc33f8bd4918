"""Posts keep only the HTML of the safelist, whoever writes them: through the forms, the
admin or the ORM."""

import pytest

from forums.factories import PostFactory, ThreadFactory
from forums.forms import PostForm
from forums.markup import render_markdown

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="steal()">Hello <a href="javascript:alert(1)">there</a></p>'
    "<script>alert(document.cookie)</script>"
    '<img src="x" onerror="alert(1)"><iframe src="https://evil.example"></iframe>'
    '<a href="https://example.org/guide" onmouseover="x()">a guide</a>'
    "<style>body { display: none }</style>"
)


def test_saving_a_post_removes_scripts_handlers_and_javascript_links(forum):
    post = PostFactory(thread=ThreadFactory(forum=forum), body=HOSTILE)

    post.refresh_from_db()
    for unsafe in ("<script", "onclick", "onerror", "onmouseover", "javascript:", "<iframe",
                   "<img", "<style", "alert(document.cookie)", "display: none"):  # fmt: skip
        assert unsafe not in post.body, unsafe
    assert "<p>Hello <a>there</a></p>" in post.body
    assert '<a href="https://example.org/guide">a guide</a>' in post.body


def test_the_form_takes_markdown_and_escapes_html_typed_in_it():
    form = PostForm({"body": "Budget < 5,000 EUR & **more**\n\nSecond <b>paragraph</b>"})

    assert form.is_valid()
    assert render_markdown(form.cleaned_data["body"]) == (
        "<p>Budget &lt; 5,000 EUR &amp; <strong>more</strong></p>\n"
        "<p>Second &lt;b&gt;paragraph&lt;/b&gt;</p>"
    )


def test_links_get_rel_nofollow_ugc_noopener_and_bare_addresses_become_links():
    html = render_markdown("See [this](https://x.example) and www.example.org")

    assert html == (
        '<p>See <a href="https://x.example" rel="nofollow ugc noopener">this</a> and '
        '<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a></p>'
    )


@pytest.mark.parametrize(
    "body", ["***", "![](https://example.org/x.png)", "[](https://example.org)", "> \n>"]
)
def test_a_message_with_nothing_left_is_refused(body):
    form = PostForm({"body": body})

    assert not form.is_valid()
    assert form.errors["body"] == ["This message has no text left once unsafe markup is removed."]


def test_the_thread_page_shows_no_hostile_markup(client, forum):
    thread = ThreadFactory(forum=forum, first_post=HOSTILE)

    html = client.get(thread.get_absolute_url()).content.decode()

    assert "alert(document.cookie)" not in html
    assert "javascript:" not in html
    assert 'onclick="steal()"' not in html


def test_titles_are_escaped(client, forum):
    thread = ThreadFactory(forum=forum, title="<script>alert(1)</script> budgets")

    html = client.get(forum.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script> budgets" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; budgets" in html
    assert client.get(thread.get_absolute_url()).status_code == 200
