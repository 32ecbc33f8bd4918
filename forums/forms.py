"""The forms people post with: a new thread with its first post, a reply, an edit.

Messages are typed as plain text (blank lines separate paragraphs) or as HTML from the
safelist of `editorial.sanitize`; either way what is stored is cleaned HTML, and a message with
no text left once it is cleaned is refused rather than saved empty."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from editorial.characters import RefuseUncarriableTextMixin
from editorial.sanitize import body_html, plain_text
from taxonomy.models import Theme

from .models import Post, Thread

BODY_MAX_LENGTH = 20_000


class MessageField(forms.CharField):
    """A message: required, bounded, turned into clean HTML."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Message"))
        kwargs.setdefault("max_length", BODY_MAX_LENGTH)
        kwargs.setdefault(
            "help_text",
            _("Plain text, with a blank line between paragraphs; links and lists in HTML work."),
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 8}))
        kwargs.setdefault("error_messages", {"required": _("Write your message.")})
        super().__init__(**kwargs)

    def clean(self, value):
        value = body_html(super().clean(value))
        if not plain_text(value):
            raise forms.ValidationError(
                _("This message has no text left once unsafe markup is removed."), code="empty"
            )
        return value


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


class ThreadForm(RefuseUncarriableTextMixin, forms.ModelForm):
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


class PostForm(RefuseUncarriableTextMixin, forms.ModelForm):
    """A reply, or the edit of a post."""

    body = MessageField()

    class Meta:
        model = Post
        fields = ["body"]
