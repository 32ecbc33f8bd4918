"""RSS and Atom feeds of a forum's and a thread's latest published posts.

Posts may hold characters XML 1.0 forbids (control characters pasted from elsewhere); the
feed generators strip them from every field, or a single post would make the whole feed
unreadable to a feed reader."""

import re

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from .models import Forum, Post, PostStatus, Thread

ITEMS = 30
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value):
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(item) for item in value)
    return value


class XmlSafeMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(
            *[xml_safe(arg) for arg in args], **{k: xml_safe(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args, **kwargs):
        super().add_item(
            *[xml_safe(arg) for arg in args], **{k: xml_safe(v) for k, v in kwargs.items()}
        )


class XmlSafeRss(XmlSafeMixin, Rss201rev2Feed):
    pass


class XmlSafeAtom(XmlSafeMixin, Atom1Feed):
    pass


def _author_name(post):
    if post.author is None:
        return _("Former member")
    return post.author.get_full_name() or post.author.get_username()


class PostFeed(Feed):
    feed_type = XmlSafeRss

    def item_title(self, post):
        return f"{post.thread.title} – {_author_name(post)}"

    def item_description(self, post):
        return post.body

    def item_link(self, post):
        return f"{post.thread.get_absolute_url()}#post-{post.pk}"

    def item_guid(self, post):
        return f"forum-post-{post.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, post):
        return post.created_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_author_name(self, post):
        return _author_name(post)

    def _posts(self):
        return Post.objects.filter(status=PostStatus.PUBLISHED).select_related(
            "author", "thread__forum"
        )


class ForumRssFeed(PostFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Forum, slug=slug)

    def title(self, forum):
        return _("%(forum)s – Practice Commons forums") % {"forum": forum.name}

    def link(self, forum):
        return forum.get_absolute_url()

    def description(self, forum):
        return forum.description

    def items(self, forum):
        return self._posts().filter(thread__forum=forum).order_by("-created_at", "-pk")[:ITEMS]


class ForumAtomFeed(ForumRssFeed):
    feed_type = XmlSafeAtom
    subtitle = ForumRssFeed.description


class ThreadRssFeed(PostFeed):
    def get_object(self, request, forum_slug, pk):
        thread = get_object_or_404(Thread.objects.select_related("forum"), pk=pk)
        if thread.forum.slug != forum_slug or thread.post_count == 0:
            raise Http404
        return thread

    def title(self, thread):
        return thread.title

    def link(self, thread):
        return thread.get_absolute_url()

    def description(self, thread):
        return _("Posts of “%(thread)s” in %(forum)s") % {
            "thread": thread.title,
            "forum": thread.forum.name,
        }

    def items(self, thread):
        return self._posts().filter(thread=thread).order_by("-created_at", "-pk")[:ITEMS]


class ThreadAtomFeed(ThreadRssFeed):
    feed_type = XmlSafeAtom
    subtitle = ThreadRssFeed.description
