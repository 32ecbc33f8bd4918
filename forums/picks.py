"""Forum threads as editors' picks (`editorial.picks`): chosen in the admin with a chooser that
lists only public threads, shown in a newsletter issue with their forum and the opening of
their first post."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from editorial.picks import Pickable, PickedItem, register_pickable
from editorial.sanitize import plain_text, truncate_words

from .models import Post, PostStatus, Thread

EXCERPT_LENGTH = 400


def public_threads():
    """Threads anyone can read: with at least one published post (a thread whose posts are
    all held or hidden is seen by moderators and its author only)."""
    return Thread.objects.filter(post_count__gt=0)


class _PublicThreads:
    def get_object_list(self):
        return public_threads().select_related("forum").order_by("-last_post_at", "-pk")


class ThreadChooseView(_PublicThreads, ChooseView):
    pass


class ThreadChooseResultsView(_PublicThreads, ChooseResultsView):
    pass


class ThreadChooserViewSet(ChooserViewSet):
    model = Thread
    icon = "comment"
    choose_one_text = _("Choose a forum thread")
    choose_another_text = _("Choose another thread")
    choose_view_class = ThreadChooseView
    choose_results_view_class = ThreadChooseResultsView
    # Thread foreign keys elsewhere keep their own widgets.
    register_widget = False


thread_chooser_viewset = ThreadChooserViewSet("forum_thread_chooser", url_prefix="forum-threads")


def describe_threads(pks):
    """{pk: PickedItem} of those of `pks` that are public threads: title, forum, the opening
    of the first published post, the thread's address (two queries)."""
    threads = (
        public_threads()
        .filter(pk__in=pks)
        .select_related("forum")
        .prefetch_related(
            Prefetch(
                "posts",
                queryset=Post.objects.filter(status=PostStatus.PUBLISHED).order_by(
                    "created_at", "pk"
                ),
                to_attr="published_posts",
            )
        )
    )
    return {
        thread.pk: PickedItem(
            title=thread.title,
            url=thread.get_absolute_url(),
            summary=truncate_words(plain_text(thread.published_posts[0].body), EXCERPT_LENGTH)
            if thread.published_posts
            else "",
            context=thread.forum.name,
        )
        for thread in threads
    }


def register():
    register_pickable(
        Pickable(
            name="thread",
            label=_("Forum thread"),
            model="forums.Thread",
            chooser=thread_chooser_viewset,
            public=public_threads,
            describe=describe_threads,
        )
    )
