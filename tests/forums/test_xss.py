"""The sanitiser against the XSS corpus (xss_corpus.txt): whether a payload is written as
Markdown or arrives as stored HTML (posts from before Markdown, the ORM), what is rendered
holds no executable vector, as an HTML parser reads it."""

import pytest

from editorial.sanitize import clean_html
from forums.factories import PostFactory, ThreadFactory
from forums.markup import render_markdown, sanitise_post_html
from tests.forums.xss import executable_vectors, load_corpus, url_scheme

CORPUS = load_corpus()


def test_the_corpus_is_broad():
    assert len(CORPUS) >= 150
    text = "\n".join(CORPUS).lower()
    for kind in ("<script", "<style", "onerror", "javascript:", "data:", "vbscript:", "&#x6a;",
                 "%6a", "java\tscript", "java\nscript", "<svg", "<math", "expression(",
                 "<!--", "<![cdata[", "](javascript:", "<javascript:"):  # fmt: skip
        assert kind in text, kind


@pytest.mark.parametrize("payload", CORPUS)
def test_markdown_renders_no_executable_vector(payload):
    assert executable_vectors(render_markdown(payload)) == []


@pytest.mark.parametrize("payload", CORPUS)
def test_stored_html_keeps_no_executable_vector(payload):
    assert executable_vectors(clean_html(payload)) == []
    assert executable_vectors(sanitise_post_html(payload)) == []


@pytest.mark.parametrize("payload", CORPUS[:40])
@pytest.mark.django_db
def test_saved_posts_keep_no_executable_vector(forum, payload):
    thread = ThreadFactory(forum=forum)
    markdown = PostFactory(thread=thread, source=payload)
    legacy = PostFactory(thread=thread, body=payload)

    for post in (markdown, legacy):
        post.refresh_from_db()
        assert executable_vectors(post.body) == []


def test_the_checker_sees_what_it_must():
    """The audit itself: it must catch each kind of vector, or the tests above prove
    nothing."""
    assert executable_vectors("<script>x</script>") == ["element <script>"]
    assert executable_vectors('<p onclick="x">a</p>') == ["handler onclick on <p>"]
    assert executable_vectors('<a href="java\tscript:x">a</a>')
    assert executable_vectors('<a href="&#106;avascript:x">a</a>')
    assert executable_vectors('<a href=" data:text/html,x">a</a>')
    assert executable_vectors('<p style="x">a</p>') == ["attribute style on <p>"]
    assert executable_vectors('<a href="https://x.example/" rel="nofollow">a</a>') == []
    assert url_scheme("%6A%61va:x") is None  # a relative path to a browser
    assert url_scheme("/forums/1/#post-2") is None
    assert url_scheme("\x01 JavaScript:x") == "javascript"
