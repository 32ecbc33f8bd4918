"""The forms people post with: a new thread with its first post, a reply, an edit.

Messages are written in Markdown (`forums.markup`); what is stored is the source and its
sanitised HTML, and a message with no text left once rendered and cleaned is refused rather
than saved empty. Each form carries a honeypot field that people never see."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from editorial.characters import RefuseUncarriableTextMixin
from editorial.sanitize import plain_text
from taxonomy.models import Theme

from .markup import html_to_markdown, render_markdown
from .models import FlagReason, Post, Thread

BODY_MAX_LENGTH = 20_000


class MessageField(forms.CharField):
    """A message in Markdown: required, bounded, with text once rendered. Its cleaned value
    is the Markdown source; `render_markdown` gives its HTML."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Message"))
        kwargs.setdefault("max_length", BODY_MAX_LENGTH)
        kwargs.setdefault(
            "help_text",
            _(
                "Markdown: a blank line between paragraphs, **bold**, *italic*, "
                "[a link](https://example.org), > a quote, - a list."
            ),
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 8, "dir": "auto"}))
        kwargs.setdefault("error_messages", {"required": _("Write your message.")})
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not plain_text(render_markdown(value)):
            raise forms.ValidationError(
                _("This message has no text left once unsafe markup is removed."), code="empty"
            )
        return value


class HoneypotMixin(forms.Form):
    """A field hidden from people (and from assistive technology) by the template: form
    robots fill in every field they find, and a filled-in form is refused."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(
                _("Leave the last field empty: it is there to catch robots."), code="honeypot"
            )
        return ""


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label()


class CountryChoiceField(forms.ModelMultipleChoiceField):
    """Countries listed by their name in the active language; the codes are the values."""

    def get_bound_field(self, form, field_name):
        # Built when the form is drawn, so the names follow the request's language.
        self.choices = sorted(
            ((country.pk, country.name) for country in self.queryset), key=lambda c: c[1]
        )
        return super().get_bound_field(form, field_name)


class ThreadForm(RefuseUncarriableTextMixin, HoneypotMixin, forms.ModelForm):
    """A new thread and its first post, saved together by the view."""

    body = MessageField()

    class Meta:
        model = Thread
        fields = ["title", "language", "themes", "countries"]
        field_classes = {"themes": ThemeChoiceField, "countries": CountryChoiceField}
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            # Checkboxes in a scrolling box, which `choice-filter.js` gives a filter box.
            "countries": forms.CheckboxSelectMultiple(attrs={"class": "choice-list"}),
        }
        help_texts = {
            "language": _("The language you write in."),
            "countries": _("The countries the discussion is about, if any."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language in dict(settings.LANGUAGES):
            self.fields["language"].initial = language
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["themes"].required = False
        self.fields["countries"].required = False


class PostForm(RefuseUncarriableTextMixin, HoneypotMixin, forms.ModelForm):
    """A reply, or the edit of a post (a post from before Markdown is offered as Markdown)."""

    body = MessageField()

    class Meta:
        model = Post
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        post = self.instance
        if post.pk and not self.is_bound:
            self.initial["body"] = post.source or html_to_markdown(post.body)
        # The honeypot last, after the message.
        self.order_fields(["body", "website"])

    def save(self, commit=True):
        self.instance.source = self.cleaned_data["body"]
        return super().save(commit=commit)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this post?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    note = forms.CharField(
        label=_("Anything to add (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
