"""The moderation queue in the Wagtail admin: posts held for review, hidden by flags or
flagged, each with the moderator's actions (approve, hide, delete; lock, pin or move its
thread; suspend its author). Every action goes through `forums.moderation`, which writes
it to the audit log."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import moderation
from .antispam import is_moderator
from .models import Flag, Forum, Post, PostStatus

QUEUE_LENGTH = 100


class SuspendForm(forms.Form):
    days = forms.IntegerField(label=gettext_lazy("Days"), min_value=1, max_value=3650)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False)


class MoveForm(forms.Form):
    forum = forms.ModelChoiceField(label=gettext_lazy("Forum"), queryset=Forum.objects.all())


def _require_moderator(request):
    if not is_moderator(request.user):
        raise PermissionDenied


def queue_posts():
    open_flags = Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)
    return (
        Post.objects.filter(Q(status__in=[PostStatus.HELD, PostStatus.HIDDEN]) | Exists(open_flags))
        .select_related("author", "thread__forum")
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("member"),
                to_attr="pending_flags",
            )
        )
        .order_by("-open_flags", "created_at")
    )


class ModerationQueueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "forums/admin/moderation_queue.html"
    page_title = gettext_lazy("Moderation queue")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        _require_moderator(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["posts"] = list(queue_posts()[:QUEUE_LENGTH])
        context["forums"] = list(Forum.objects.order_by("position", "name"))
        return context


@require_POST
def moderate(request, pk, action):
    _require_moderator(request)
    post = get_object_or_404(Post.objects.select_related("thread__forum", "author"), pk=pk)
    thread = post.thread
    user = request.user
    if action == "approve":
        moderation.approve(post, user)
        done = _("Post approved: everyone sees it again.")
    elif action == "hide":
        moderation.hide(post, user)
        done = _("Post hidden.")
    elif action == "delete":
        moderation.delete_post(post, user)
        done = _("Post deleted.")
    elif action in ("lock", "unlock"):
        moderation.set_locked(thread, action == "lock", user)
        done = _("Thread locked.") if action == "lock" else _("Thread unlocked.")
    elif action in ("pin", "unpin"):
        moderation.set_pinned(thread, action == "pin", user)
        done = _("Thread pinned.") if action == "pin" else _("Thread unpinned.")
    elif action == "move":
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the forum to move the thread to."))
            return redirect("forum_moderation:index")
        moderation.move(thread, form.cleaned_data["forum"], user)
        done = _("Thread moved to %(forum)s.") % {"forum": form.cleaned_data["forum"].name}
    elif action == "suspend":
        form = SuspendForm(request.POST)
        if post.author is None or not form.is_valid():
            messages.error(request, _("Give the number of days (1 to 3650) of the suspension."))
            return redirect("forum_moderation:index")
        until = timezone.now() + timedelta(days=form.cleaned_data["days"])
        moderation.suspend(post.author, until, form.cleaned_data["reason"], user)
        done = _("%(member)s is suspended for %(days)d days.") % {
            "member": post.author.get_full_name() or post.author.get_username(),
            "days": form.cleaned_data["days"],
        }
    else:
        messages.error(request, _("Unknown action."))
        return redirect("forum_moderation:index")
    messages.success(request, done)
    return redirect("forum_moderation:index")
