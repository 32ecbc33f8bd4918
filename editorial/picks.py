"""Content that editors can pick for a newsletter issue (or any other curated list) without
the curating app knowing the content's app: each app declares what it offers.

    register_pickable(Pickable(name="thread", label=_("Forum thread"), model="forums.Thread",
                               chooser=thread_chooser_viewset, public=..., describe=...))

`ContentChooserBlock("thread")` is the StreamField block that chooses one; it looks the
declaration up when it is first used, so the curating app names a kind, never a model, and
its migrations name only this module."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.utils.functional import Promise
from wagtail import blocks


@dataclass(frozen=True)
class PickedItem:
    """A picked item as an email or a page shows it."""

    title: str
    url: str  # absolute or site-relative
    summary: str
    # Where it lives on the site (a forum's name), shown beside the title.
    context: str = ""


@dataclass(frozen=True)
class Pickable:
    name: str
    label: str | Promise
    model: str  # "app_label.ModelName"
    # A `wagtail.admin.viewsets.chooser.ChooserViewSet` registered by the declaring app.
    chooser: object
    # The instances that may be picked and shown: a queryset of `model`.
    public: Callable[[], object]
    # {pk: PickedItem} for those of the pks still public (in one or two queries).
    describe: Callable[[list[int]], dict]


_pickables: dict[str, Pickable] = {}


def register_pickable(pickable: Pickable) -> None:
    """Declare a kind of pickable content; call it from an AppConfig.ready()."""
    _pickables[pickable.name] = pickable


def pickable(name) -> Pickable | None:
    return _pickables.get(name)


def pickables() -> list[Pickable]:
    return sorted(_pickables.values(), key=lambda declared: declared.name)


class ContentChooserBlock(blocks.ChooserBlock):
    """Chooses one item of the pickable kind `kind`; only a public one is accepted."""

    def __init__(self, kind, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    @property
    def declared(self):
        declared = pickable(self.kind)
        if declared is None:
            raise LookupError(f"No pickable content named {self.kind!r} is registered.")
        return declared

    @cached_property
    def target_model(self):
        return self.declared.model

    @cached_property
    def widget(self):
        return self.declared.chooser.widget_class()

    @cached_property
    def field(self):
        # An id of an item that is not (or no longer) public is "not a valid choice".
        return forms.ModelChoiceField(
            queryset=self.declared.public(),
            widget=self.widget,
            required=self._required,
            validators=self._validators,
            help_text=self._help_text,
        )

    class Meta:
        icon = "link"
