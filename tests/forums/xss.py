"""The XSS corpus (xss_corpus.txt) and the check that rendered HTML holds nothing a browser
would run."""

import re
from html.parser import HTMLParser
from pathlib import Path

from editorial.sanitize import ALLOWED_TAGS
from forums.markup import POST_TAGS

SAFE_TAGS = POST_TAGS | ALLOWED_TAGS
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")

CORPUS_PATH = Path(__file__).with_name("xss_corpus.txt")
SAFE_SCHEMES = {"http", "https", "mailto"}
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "f": "\f", "\\": "\\"}


def _decode(line):
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line) and line[i + 1] in _ESCAPES:
            out.append(_ESCAPES[line[i + 1]])
            i += 2
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def load_corpus():
    lines = CORPUS_PATH.read_text(encoding="utf-8").splitlines()
    return [_decode(line) for line in lines if line.strip() and not line.startswith("//")]


def url_scheme(url):
    """The scheme a browser would read in `url` (None for a relative URL): it drops leading
    and trailing controls and spaces and every tab and line break first."""
    url = url.strip("".join(chr(code) for code in range(0x21)))
    url = url.replace("\t", "").replace("\n", "").replace("\r", "")
    scheme, colon, _rest = url.partition(":")
    # As the URL standard reads a scheme: a letter, then letters, digits, "+", "-", "."; if
    # what comes before the colon is not one, the URL is a relative path.
    if not colon or not _SCHEME.fullmatch(scheme):
        return None
    return scheme.lower()


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"handler {name} on <{tag}>")
            if name in ("style", "srcdoc", "formaction", "xlink:href", "background"):
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in ("href", "src", "action", "data") and value is not None:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def executable_vectors(html):
    """What in `html` could run script: elements outside the safelist (script, style,
    iframe, svg, math...), event handlers, and links or sources to other schemes than
    http(s) and mailto. An empty list for safe HTML."""
    audit = _Audit()
    audit.feed(html)
    audit.close()
    return audit.problems
