"""Watching threads and forums, the person's notifications page, and the unsubscribe link of
every forum email (a page with one button, and the RFC 8058 one-click POST)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from delivery.composing import is_one_click

from . import notifying
from .access import readable_forums
from .models import Forum, Notification, Thread, Watch
from .views import _post_url

NOTIFICATIONS_SHOWN = 100


def _back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _set_watch(request, **target):
    watching = request.POST.get("watch") == "1"
    if watching:
        Watch.objects.get_or_create(member=request.user, **target)
    else:
        Watch.objects.filter(member=request.user, **target).delete()
    return watching


def _sign_in(request, target):
    # After the 404 of what the visitor may not read, as `forums.views._sign_in`.
    return redirect_to_login(target.get_absolute_url())


@require_POST
def watch_thread(request, pk):
    thread = get_object_or_404(
        Thread.objects.readable_by(request.user).select_related("forum"), pk=pk
    )
    if not request.user.is_authenticated:
        return _sign_in(request, thread)
    if _set_watch(request, thread=thread):
        messages.success(request, _("You will hear of new posts in this thread."))
    else:
        messages.success(request, _("You no longer watch this thread."))
    return _back(request, thread)


@require_POST
def watch_forum(request, slug):
    forum = get_object_or_404(Forum.objects.filter(readable_forums(request.user)), slug=slug)
    if not request.user.is_authenticated:
        return _sign_in(request, forum)
    if _set_watch(request, forum=forum):
        messages.success(request, _("You will hear of new posts in every thread of this forum."))
    else:
        messages.success(request, _("You no longer watch this forum."))
    return _back(request, forum)


@login_required
def notifications(request):
    """The person's unread notifications, newest first, in a fixed number of queries; of
    the threads they may still read."""
    unread = list(
        Notification.objects.unread()
        .filter(readable_forums(request.user, "post__thread__forum__"), recipient=request.user)
        .select_related("post__thread__forum", "post__author__profile")
        .order_by("-created_at", "-pk")[:NOTIFICATIONS_SHOWN]
    )
    response = render(request, "forums/notifications.html", {"notifications": unread})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def notification_open(request, pk):
    """Mark one notification read and go to its post."""
    notification = get_object_or_404(
        Notification.objects.filter(
            readable_forums(request.user, "post__thread__forum__")
        ).select_related("post__thread__forum"),
        pk=pk,
        recipient=request.user,
    )
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(_post_url(notification.post, request.user))


@login_required
@require_POST
def notifications_read(request):
    count = (
        Notification.objects.unread().filter(recipient=request.user).update(read_at=timezone.now())
    )
    messages.success(
        request,
        translation.ngettext(
            "%(count)d notification marked read.", "%(count)d notifications marked read.", count
        )
        % {"count": count},
    )
    return redirect("forums:notifications")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The List-Unsubscribe URL of forum emails. A mail client's POST turns the person's
    forum emails off at once and gets no page; a person following the link gets a page
    with one button, which does the same without signing in."""
    account = notifying.read_unsubscribe_token(token)
    one_click = is_one_click(request)
    if account is None:
        if one_click:
            return HttpResponse(status=404)
        return render(request, "forums/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        notifying.turn_emails_off(account)
        if one_click:
            return HttpResponse(status=200)
    with translation.override(notifying.language_of(account)):
        return render(
            request,
            "forums/unsubscribe.html",
            {"account": account, "done": request.method == "POST"},
        )
