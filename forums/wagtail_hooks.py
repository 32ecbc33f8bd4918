"""The "Forums" admin menu: site editors manage forums and moderate threads and posts.

Threads are started on the site, never in the admin: here they are pinned, locked, moved
to another forum, retitled or deleted. Posts can be corrected or deleted. Counters and
search documents follow through `forums.signal_handlers`."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, DateColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views
from .antispam import is_moderator
from .models import Forum, Post, Suspension, Thread
from .moderation import ACTIONS


class NoAddPermissionPolicy(ModelPermissionPolicy):
    """Everything the model permissions allow but adding: threads and posts are written on
    the site, by their authors."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action != "add"])


# Before the viewsets below are registered, or Wagtail creates its default policies.
register_permission_policy(Thread, NoAddPermissionPolicy(Thread))
register_permission_policy(Post, NoAddPermissionPolicy(Post))


class ForumViewSet(ModelViewSet):
    model = Forum
    name = "forum_forums"
    icon = "comment"
    menu_label = _("Forums")
    list_display = ["name", "theme", "thread_count", "post_count", "position"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["position", "name"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Forum.objects.select_related("theme")


class ThreadViewSet(ModelViewSet):
    model = Thread
    name = "forum_threads"
    icon = "list-ul"
    menu_label = _("Threads")
    list_display = [
        "title",
        "forum",
        "author",
        "language",
        "post_count",
        DateColumn("last_post_at", label=_("Last post")),
        BooleanColumn("is_pinned", label=_("Pinned")),
        BooleanColumn("is_locked", label=_("Locked")),
    ]
    list_filter = ["forum", "language", "is_pinned", "is_locked"]
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["-last_post_at"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Thread.objects.select_related("forum", "author")


class PostViewSet(ModelViewSet):
    model = Post
    name = "forum_posts"
    icon = "doc-full"
    menu_label = _("Posts")
    list_display = [
        "excerpt",
        "thread",
        "author",
        "status",
        DateColumn("created_at", label=_("Created")),
    ]
    list_filter = ["thread__forum", "status"]
    search_fields = ["body", "thread__title"]
    search_backend_name = None
    ordering = ["-created_at"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Post.objects.select_related("thread", "author")


class SuspensionViewSet(ModelViewSet):
    """Suspensions: those set from the moderation queue, and any a moderator adds, shortens
    (an earlier "until") or deletes here."""

    model = Suspension
    name = "forum_suspensions"
    icon = "lock"
    menu_label = _("Suspensions")
    list_display = ["member", DateColumn("until", label=_("Until")), "reason", "created_by"]
    search_fields = ["member__username", "reason"]
    search_backend_name = None
    ordering = ["-until"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Suspension.objects.select_related("member", "created_by")


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)


class ModerationQueueViewSet(ViewSet):
    name = "forum_moderation"
    icon = "warning"
    menu_label = _("Moderation queue")
    menu_item_class = ModeratorMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.ModerationQueueView.as_view(), name="index"),
            path("<int:pk>/<slug:action>/", admin_views.moderate, name="moderate"),
        ]


class ForumsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Forums")
    menu_icon = "comment"
    menu_order = 210
    items = (
        ModerationQueueViewSet,
        ForumViewSet,
        ThreadViewSet,
        PostViewSet,
        SuspensionViewSet,
    )


@hooks.register("register_admin_viewset")
def register_forums_viewsets():
    return ForumsViewSetGroup()


@hooks.register("register_log_actions")
def register_forum_log_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
