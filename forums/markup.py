"""Posts are written in Markdown: CommonMark through markdown-it-py, with raw HTML off (it
shows as the text that was typed), then bleach with the posts' safelist.

markdown-it already refuses `javascript:`, `vbscript:`, `file:` and `data:` link targets;
bleach is the second, independent wall: it keeps only the tags and attributes below, links
only to http(s), mailto and addresses on this site, and gives every link
`rel="nofollow ugc noopener"` (written by members, not vouched for by the site).

A saved post's `@username` mentions of active members are then marked by the site itself
(`link_mentions`): a link to the member page of someone who has one, a span otherwise; both
carry the member's id, which the notifications read (`mentioned_members`)."""

import re
from html import escape
from html.parser import HTMLParser

import bleach
from bleach.linkifier import Linker, build_url_re
from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
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


# A mention: "@" not inside a word or an address, then a username (Django's characters;
# a final full stop ends the sentence, not the name).
_MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]*\w)")
_TAG = re.compile(r"(<[^>]*>)")
_NOT_MENTIONED_IN = {"a", "code", "pre"}
MAX_MENTIONS = 20
_MENTIONED = re.compile(r'class="mention"[^>]*\sdata-member="(\d+)"')


def _text_outside_links(parts):
    """(index, text) of the `parts` of HTML split at its tags that are text outside links
    and code."""
    skipping = 0
    for index, part in enumerate(parts):
        if index % 2:
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in _NOT_MENTIONED_IN:
                skipping += -1 if part.startswith("</") else 1
                skipping = max(skipping, 0)
        elif not skipping:
            yield index, part


def link_mentions(html):
    """`html` (sanitised) with each `@username` of an active member marked: a link to their
    member page when they have a public one, else a span."""
    parts = _TAG.split(html)
    texts = list(_text_outside_links(parts))
    names = {m.lower() for _i, text in texts for m in _MENTION.findall(text)}
    if not names:
        return html
    names = sorted(names)[:MAX_MENTIONS]
    members = {
        user.username.lower(): user
        for user in get_user_model()
        .objects.filter(is_active=True)
        .annotate(lowered=Lower("username"))
        .filter(lowered__in=names)
        .select_related("profile")
    }

    def mark(match):
        user = members.get(match.group(1).lower())
        if user is None:
            return match.group(0)
        profile = getattr(user, "profile", None)
        name = escape(f"@{user.username}")
        if profile is not None and profile.is_listed:
            url = escape(profile.get_absolute_url())
            return f'<a class="mention" href="{url}" data-member="{user.pk}">{name}</a>'
        return f'<span class="mention" data-member="{user.pk}">{name}</span>'

    for index, text in texts:
        parts[index] = _MENTION.sub(mark, text)
    return "".join(parts)


def mentioned_members(html):
    """Ids of the members a saved post's HTML mentions (see `link_mentions`)."""
    return {int(pk) for pk in _MENTIONED.findall(html or "")}


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
