"""Whatever changes what a public page shows moves the content generation on, once the change
is committed (a page rendered from the old data before then is cached under the old
generation, never the new one).

Receivers listen to every model's saves, deletes and many-to-many changes and keep those of
the models pages show: the content apps' models (practices and guides, home pages and site
settings, themes and countries, organisations, forums, threads and posts) and Wagtail's
pages, sites, locales, view restrictions, images, documents and tags; and to Wagtail's
publishing, unpublishing and moving of pages. A person's name shows on their forum posts, so
a user's save counts too, but not the one that only records a sign-in."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import generation

CONTENT_APPS = {"practices", "home", "taxonomy", "members", "forums"}
WAGTAIL_MODELS = {
    "wagtailcore.page",
    "wagtailcore.site",
    "wagtailcore.locale",
    "wagtailcore.pageviewrestriction",
    "wagtailimages.image",
    "wagtaildocs.document",
    "taggit.tag",
}
# Kept by the content apps but never shown on a page.
NOT_SHOWN = {"practices.contactmessagesent"}


def shown_on_pages(model):
    label = model._meta.label_lower
    if label in NOT_SHOWN:
        return False
    if model._meta.app_label in CONTENT_APPS or label in WAGTAIL_MODELS:
        return True
    return label == settings.AUTH_USER_MODEL.lower()


def bump_on_commit():
    transaction.on_commit(generation.bump)


@receiver(post_save)
def saved(sender, update_fields=None, raw=False, **kwargs):
    if raw or not shown_on_pages(sender):
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump_on_commit()


@receiver(post_delete)
def deleted(sender, **kwargs):
    if shown_on_pages(sender):
        bump_on_commit()


@receiver(m2m_changed)
def relinked(sender, instance, action, **kwargs):
    if action.startswith("post_") and shown_on_pages(type(instance)):
        bump_on_commit()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_changed(sender, **kwargs):
    bump_on_commit()
