"""Characters the site cannot carry, refused where people type and removed where files come in.

XML (the Atom feed), email headers, PostgreSQL (NUL) and UTF-8 itself (lone surrogates) each
refuse some characters that no one means to write: the C0 controls other than tab and line
breaks, DEL, the C1 controls U+0080–U+009F, lone surrogates and the noncharacters
U+FFFE/U+FFFF. Forms and the search refuse them with a message; importers and the feed
remove them.

Django decodes bytes that are not UTF-8 in a form post or query string (a lone surrogate
sent as %ED%A0%80, say) to U+FFFD, the replacement character; where people type, that is
refused too, since the text that was meant is lost."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT_CHARACTER = "\ufffd"
# Where people type: the characters above and the mark of undecodable input.
REFUSED = re.compile(f"{UNCARRIABLE.pattern[:-1]}{REPLACEMENT_CHARACTER}]")


def strip_uncarriable(text):
    """`text` without the characters the site cannot carry."""
    return UNCARRIABLE.sub("", text)


def refused_character(text):
    """The first character of `text` that is refused where people type, or None."""
    match = REFUSED.search(text)
    return match.group() if match else None


def refusal_message(character):
    """Why text holding `character` is refused, in words for the person who typed it."""
    if character == REPLACEMENT_CHARACTER:
        return _(
            "Part of this text did not arrive as readable characters (it shows as �). "
            "Type that part again."
        )
    return _(
        "This text contains an invisible control character (%(code)s) that the site cannot "
        "store. Remove it, for example by typing the text again rather than pasting it."
    ) % {"code": f"U+{ord(character):04X}"}


def refuse_uncarriable(value):
    """A validator for text fields."""
    for text in _texts(value):
        character = refused_character(text)
        if character is not None:
            raise ValidationError(refusal_message(character), code="control_character")


def _texts(value):
    """Every string in a submitted value: a string, a list of them, or the nested lists and
    dicts of JSON (rich text and StreamField values arrive that way in the admin)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif hasattr(value, "get_prep_value"):  # a StreamValue
        yield from _texts(value.get_prep_value())
    elif hasattr(value, "source"):  # RichText
        yield from _texts(value.source)


class RefuseUncarriableTextMixin:
    """A form mixin: a field whose submitted text holds a refused character gets one clear
    error (whatever else it would have said), so the form is not valid and nothing is saved.

    The fields themselves are cleaned from the submitted data without those characters, so
    none of them hands one to the database (PostgreSQL fails on NUL in a query); values that
    arrive as JSON and are decoded by a field are checked once cleaned."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused_characters = {}
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for text in _texts(raw):
                character = refused_character(text)
                if character is not None:
                    self.refused_characters[name] = character
                    break
        if self.refused_characters:
            self.data = _without_refused(self.data)

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        refused = dict(self.refused_characters)
        for name, value in list(self.cleaned_data.items()):
            if name not in refused:
                for text in _texts(value):
                    character = refused_character(text)
                    if character is not None:
                        refused[name] = character
                        break
        for name, character in refused.items():
            # One clear message instead of whatever the field said about the rest.
            self._errors.pop(name, None)
            error = ValidationError(refusal_message(character), code="control_character")
            self.add_error(name, error)


def _without_refused(data):
    """A copy of submitted `data` (a QueryDict or a dict) with the refused characters taken out."""
    if hasattr(data, "lists"):
        cleaned = data.copy()
        for key, values in data.lists():
            cleaned.setlist(key, [_strip_refused(value) for value in values])
        return cleaned
    return {key: _strip_refused(value) for key, value in data.items()}


def _strip_refused(value):
    if isinstance(value, str):
        return REFUSED.sub("", value)
    if isinstance(value, list | tuple):
        return [_strip_refused(item) for item in value]
    return value
