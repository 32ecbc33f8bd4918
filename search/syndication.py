"""Feed generators that drop from every text the characters XML 1.0 cannot hold (U+0000 to
U+0008, U+000B, U+000C, U+000E to U+001F, lone surrogates, U+FFFE, U+FFFF): one of them in a
title would otherwise make the whole feed unwritable (Django refuses it with an error)."""

import re

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.functional import Promise

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return XML_ILLEGAL.sub("", value)
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
