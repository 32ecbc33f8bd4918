"""Feed generators that drop from every text the characters XML 1.0 cannot hold (U+0000 to
U+0008, U+000B, U+000C, U+000E to U+001F, lone surrogates, U+FFFE, U+FFFF): one of them in a
title would otherwise make the whole feed unwritable (Django refuses it with an error)."""

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.functional import Promise

from editorial.characters import strip_uncarriable


def xml_safe(value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return strip_uncarriable(value)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(item) for item in value)
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    return value


class XmlSafeMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*xml_safe(args), **xml_safe(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_safe(args), **xml_safe(kwargs))


class XmlSafeRss(XmlSafeMixin, Rss201rev2Feed):
    pass


class XmlSafeAtom(XmlSafeMixin, Atom1Feed):
    pass
