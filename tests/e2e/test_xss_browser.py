"""The XSS corpus in real Chromium: a thread holds every payload of
tests/forums/xss_corpus.txt twice, written in Markdown and stored as HTML (as posts from
before Markdown are). Every page of it is opened; every element of every post gets the
mouse and focus events a visitor's pointer and keyboard would send it (dispatched in the
page: one call per page instead of a pointer movement per post, which took most of two
minutes); a probe proves no script ran: `window.__xss` stays unset, no dialog opens, no
page error."""

from forums.factories import ForumFactory, PostFactory, ThreadFactory
from forums.views import POSTS_PER_PAGE
from tests.e2e.conftest import E2E_DB
from tests.forums.xss import load_corpus

PROBE = "window.__xss = 0;"
# Every event a handler attribute (onmouseover=, onfocus=...) of a payload could listen to
# when a visitor points at, clicks into or tabs through a post.
VISIT_EVERY_ELEMENT = """() => {
  const elements = document.querySelectorAll('.post__body, .post__body *');
  for (const el of elements) {
    for (const type of ['pointerover', 'pointerenter', 'mouseover', 'mouseenter',
                        'mousemove', 'mousedown', 'mouseup', 'pointerout', 'mouseout',
                        'mouseleave']) {
      el.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true}));
    }
    for (const type of ['focus', 'blur']) el.dispatchEvent(new FocusEvent(type));
    for (const type of ['focusin', 'focusout']) {
      el.dispatchEvent(new FocusEvent(type, {bubbles: true}));
    }
  }
  return elements.length;
}"""
DOM_AUDIT = """() => {
  const found = [];
  for (const el of document.querySelectorAll('.post__body, .post__body *')) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'style', 'iframe', 'object', 'embed', 'svg', 'math', 'img', 'form',
         'base', 'meta', 'link'].includes(tag)) found.push(tag);
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on') || attr.name === 'style') found.push(tag + '@' + attr.name);
    }
    if (tag === 'a' && el.hasAttribute('href')) {
      const protocol = new URL(el.getAttribute('href'), document.baseURI).protocol;
      if (!['http:', 'https:', 'mailto:'].includes(protocol)) found.push('href ' + protocol);
    }
  }
  return found;
}"""


def watch(page):
    events = []
    page.on("dialog", lambda dialog: (events.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: events.append(f"error {error}"))
    page.add_init_script(PROBE)
    return events


def test_the_probe_sees_a_payload_that_runs(page):
    """The probe itself: an unsanitised payload sets it, so a clean run means something."""
    events = watch(page)
    page.set_content("<img src=x onerror=window.__xss=1><script>alert('ran')</script>")
    page.wait_for_function("window.__xss === 1")
    assert events == ["dialog ran"]


def test_the_visit_sets_off_the_handlers_a_visitor_would(page):
    """The events dispatched on every element reach handler attributes: a clean run of the
    corpus means none survived."""
    watch(page)
    page.set_content(
        '<div class="post__body"><b onmouseover="window.__xss += 1">x</b>'
        '<a href="#" onfocus="window.__xss += 10">y</a>'
        '<i onmousedown="window.__xss += 100">z</i></div>'
    )
    page.evaluate(PROBE)
    assert page.evaluate(VISIT_EVERY_ELEMENT) == 4
    assert page.evaluate("window.__xss") == 111


@E2E_DB
def test_no_payload_of_the_corpus_runs_in_chromium(live_server, site_tree, page):
    corpus = load_corpus()
    thread = ThreadFactory(forum=ForumFactory(slug="security"), title="Corpus")
    # One author for every post: with an author each, every post would notify all earlier
    # ones by email (60,726 emails queued, 170 of the test's 250 s under cProfile).
    author = thread.author
    for payload in corpus:
        PostFactory(thread=thread, author=author, source=payload)
        PostFactory(thread=thread, author=author, body=payload)
    thread.refresh_from_db()
    pages = -(-thread.post_count // POSTS_PER_PAGE)
    assert thread.post_count == 2 * len(corpus) + 1

    events = watch(page)
    seen = 0
    for number in range(1, pages + 1):
        page.goto(f"{live_server.url}{thread.get_absolute_url()}?page={number}")
        posts = page.locator(".post__body")
        assert page.evaluate(VISIT_EVERY_ELEMENT) >= posts.count()
        seen += posts.count()
        assert page.evaluate(DOM_AUDIT) == [], number
        assert page.evaluate("window.__xss") == 0, number
    assert seen == thread.post_count
    assert events == []
