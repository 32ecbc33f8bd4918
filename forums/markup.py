"""Posts are written in Markdown: CommonMark through markdown-it-py, with raw HTML off (it
shows as the text that was typed), then bleach with the posts' safelist.

markdown-it already refuses `javascript:`, `vbscript:`, `file:` and `data:` link targets;
bleach is the second, independent wall: it keeps only the tags and attributes below, links
only to http(s), mailto and addresses on this site, and gives every link
`rel="nofollow ugc noopener"` (written by members, not vouched for by the site)."""

import re
from html.parser import HTMLParser

import bleach
from bleach.linkifier import Linker, build_url_re
from markdown_it import MarkdownIt

from editorial.sanitize import clean_html

POST_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "del",
        "a",
        "ul",
        "ol",
        "li",
        "h3",
        "h4",
        "blockquote",
        "code",
        "pre",
    }
)
POST_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
POST_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("strikethrough")


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


# Bare addresses typed in a message become links too, with the same rel; never inside code.
_linker = Linker(
    callbacks=[_set_rel],
    skip_tags={"pre", "code"},
    parse_email=False,
    url_re=build_url_re(protocols=["http", "https"]),
)


def sanitise_post_html(html):
    """The posts' safelist applied to HTML, links given their rel."""
    cleaned = clean_html(html, tags=POST_TAGS, attributes=POST_ATTRIBUTES, protocols=POST_PROTOCOLS)
    return _linker.linkify(cleaned)


def render_markdown(source):
    """Safe HTML for a message written in Markdown."""
    return sanitise_post_html(_markdown.render(source or ""))


_LINK = re.compile(r"<a\s[^>]*href=", re.IGNORECASE)


def count_links(html):
    return len(_LINK.findall(html or ""))


def quote_markdown(text, author_name, url):
    """A Markdown blockquote of `text` (a post's source) that links to the quoted post."""
    lines = (text or "").strip().splitlines() or [""]
    heading = f"[{author_name}]({url}):"
    return "\n".join([f"> {heading}", ">"] + [f"> {line}".rstrip() for line in lines]) + "\n\n"


class _MarkdownWriter(HTMLParser):
    """Enough of HTML → Markdown for the safelisted HTML of posts from before Markdown, so
    that their authors can edit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.links = []
        self.lists = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag == "a":
            self.links.append(attrs.get("href") or "")
            self.out.append("[")
        elif tag == "br":
            self.out.append("  \n")
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
            self.out.append("\n")
        elif tag == "li":
            self.out.append("1. " if self.lists and self.lists[-1] == "ol" else "- ")
        elif tag == "blockquote":
            self.out.append("> ")
        elif tag in ("h3", "h4"):
            self.out.append("### " if tag == "h3" else "#### ")

    def handle_endtag(self, tag):
        if tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag == "a":
            href = self.links.pop() if self.links else ""
            self.out.append(f"]({href})" if href else "]")
        elif tag in ("p", "h3", "h4", "blockquote"):
            self.out.append("\n\n")
        elif tag == "li":
            self.out.append("\n")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.out.append("\n")

    def handle_data(self, data):
        self.out.append(data)


def html_to_markdown(html):
    writer = _MarkdownWriter()
    writer.feed(bleach.clean(html or "", tags=POST_TAGS | {"b", "i"}, attributes={"a": ["href"]}))
    writer.close()
    return re.sub(r"\n{3,}", "\n\n", "".join(writer.out)).strip()
