"""Turning a seed document (plain text copied from a web page or a PDF) into body blocks:
paragraphs, headings and lists, without the page's navigation debris."""

import html
import re
from dataclasses import dataclass, field

BULLET = re.compile(r"^\s*(?:[•·●▪]|-|\*)\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
INLINE_LABEL = re.compile(r"^([^:.]{2,40}):\s+(.+)$")
URL = re.compile(r"(https?://[^\s<]+)")
SENTENCE_END = re.compile(r"^(.*[.!?؟。])\s")


@dataclass
class SeedLayout:
    """How to read one seed: where its content starts and ends, which lines are headings
    (text → level), which are debris, and which need fixing."""

    start: str = ""  # first line of the content (inclusive); "" for the top
    end: str = ""  # last line of the content (inclusive); "" for the bottom
    headings: dict = field(default_factory=dict)
    drop: set = field(default_factory=set)
    replace: dict = field(default_factory=dict)
    # A line ending with ":" followed by a short value line: "<strong>Label:</strong> value".
    label_values: bool = False
    # The text was cut off mid-sentence: end at the last complete sentence.
    trim_incomplete_end: bool = False


def _inline(text):
    escaped = html.escape(text)
    return URL.sub(lambda match: f'<a href="{match.group(1)}">{match.group(1)}</a>', escaped)


def _paragraph(text):
    label = INLINE_LABEL.match(text)
    if label and not URL.match(label.group(2)):
        return f"<p><strong>{html.escape(label.group(1))}:</strong> {_inline(label.group(2))}</p>"
    return f"<p>{_inline(text)}</p>"


def content_lines(text, layout):
    lines = [line.replace("\xa0", " ").rstrip() for line in text.splitlines()]
    stripped = [line.strip() for line in lines]
    if layout.start:
        lines = lines[stripped.index(layout.start) :]
        stripped = [line.strip() for line in lines]
    if layout.end:
        lines = lines[: stripped.index(layout.end) + 1]
    result = []
    for line in lines:
        key = line.strip()
        if key in layout.drop:
            continue
        result.append(layout.replace.get(key, key))
    while result and not result[-1]:
        result.pop()
    if layout.trim_incomplete_end and result and not result[-1].endswith((".", "!", "?", ":")):
        match = SENTENCE_END.match(result[-1])
        if match:
            result[-1] = match.group(1)
        else:
            result.pop()
    return result


def body_blocks(text, layout):
    """Raw StreamField data for `editorial.blocks.BodyBlock` from a seed's text."""
    lines = content_lines(text, layout)
    blocks, seen, items, ordered = [], set(), [], False

    def flush_list():
        nonlocal items
        if items:
            tag = "ol" if ordered else "ul"
            html_items = "".join(f"<li>{_inline(item)}</li>" for item in items)
            blocks.append({"type": "paragraph", "value": f"<{tag}>{html_items}</{tag}>"})
            items = []

    position = 0
    while position < len(lines):
        line = lines[position]
        position += 1
        if not line:
            continue
        bullet, number = BULLET.match(line), NUMBERED.match(line)
        if (bullet or number) and line not in layout.headings:
            if items and ordered != bool(number):
                flush_list()
            ordered = bool(number)
            items.append((bullet or number).group(1).strip())
            continue
        flush_list()
        if line in layout.headings:
            level = layout.headings[line]
            text_value = line.rstrip(":").strip()
            blocks.append({"type": "heading", "value": {"text": text_value, "level": level}})
            continue
        if (
            layout.label_values
            and line.endswith(":")
            and position < len(lines)
            and len(line) <= 40
            and lines[position]
            and lines[position] not in layout.headings
        ):
            line = f"{line} {lines[position]}"
            position += 1
        if line in seen:  # the source repeats whole paragraphs
            continue
        seen.add(line)
        blocks.append({"type": "paragraph", "value": _paragraph(line)})
    flush_list()
    return blocks
