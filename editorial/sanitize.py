"""Turning HTML (or plain text) from outside the site into HTML that is safe to store in a
rich-text field or block.

Everything goes through bleach with one safelist: the tags the site's rich-text editor
offers (see `editorial.blocks.RICH_TEXT_FEATURES`), links only to http(s) and mailto. Headings
are brought into the h3/h4 range the editor allows so imported text keeps its outline under
the page title. Importers use `body_html()`; forums and other user-facing inputs use
`clean_html()` directly."""

import html
import re

import bleach

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "a", "ul", "ol", "li", "h3", "h4", "blockquote"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# bleach strips disallowed tags but keeps their text, which for these elements is code or
# markup nobody should read as prose.
_DROPPED_ELEMENTS = re.compile(
    r"<(script|style|iframe|object|embed|noscript|template)\b[^>]*>.*?(</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
_HAS_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_BLOCK_START = re.compile(r"^\s*<(p|ul|ol|h3|h4|blockquote)\b", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")
_WHITESPACE = re.compile(r"\s+")


def _heading_level(match):
    level = int(match.group(2))
    return f"<{match.group(1)}h{3 if level <= 3 else 4}"


def clean_html(value, tags=ALLOWED_TAGS, attributes=None, protocols=ALLOWED_PROTOCOLS):
    """Safe HTML from untrusted HTML: scripts, styles, event handlers, `javascript:` links
    and every tag outside the safelist are removed (their text is kept)."""
    if not value:
        return ""
    value = _DROPPED_ELEMENTS.sub("", value)
    value = _HEADING.sub(_heading_level, value)
    cleaner = bleach.Cleaner(
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES if attributes is None else attributes,
        protocols=protocols,
        strip=True,
        strip_comments=True,
    )
    return cleaner.clean(value).strip()


def text_to_html(text):
    """Paragraphs from plain text: blank lines separate paragraphs, single line breaks are
    kept as <br>."""
    paragraphs = [part.strip() for part in _BLANK_LINES.split(text or "") if part.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip()) for line in part.splitlines()) + "</p>"
        for part in paragraphs
    )


def body_html(value):
    """Rich-text HTML for a body that may be HTML or plain text (Participedia bodies are
    either). The result is wrapped in block elements, as the rich-text editor expects."""
    if not value or not value.strip():
        return ""
    if not _HAS_TAG.search(value):
        return text_to_html(value)
    cleaned = clean_html(value)
    if cleaned and not _BLOCK_START.match(cleaned):
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


def plain_text(value):
    """Text without any markup, whitespace collapsed: for summaries and descriptions."""
    if not value:
        return ""
    value = _DROPPED_ELEMENTS.sub(" ", value)
    stripped = bleach.clean(value, tags=set(), strip=True, strip_comments=True)
    return _WHITESPACE.sub(" ", html.unescape(stripped)).strip()


def truncate_words(text, limit):
    """`text` cut at a word boundary so that it fits in `limit` characters, with an ellipsis
    when something was cut."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"
