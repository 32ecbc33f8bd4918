"""The public forum pages: every forum, a forum's threads, a thread's posts, and the forms
to start a thread, reply and edit one's own post.

Anyone may read; posting needs an account. Lists read the counters and last posts that
`forums.signal_handlers` keeps on each row, joined in one query, never counted per item."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from editorial.permissions import is_site_editor

from .forms import PostForm, ThreadForm
from .models import Forum, Post, Thread

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 20
LOCKED = gettext_lazy("This thread is locked: it takes no more replies.")


def can_moderate(user):
    """Site editors (and superusers) moderate, as they do in the admin."""
    return is_site_editor(user)


def can_edit(user, post, moderator=None):
    """Authors edit their own posts while the thread is open; moderators edit any post."""
    if not user.is_authenticated:
        return False
    if can_moderate(user) if moderator is None else moderator:
        return True
    return post.author_id == user.pk and not post.thread.is_locked


def _forbidden(request, message, thread=None):
    context = {"message": message, "thread": thread}
    return render(request, "forums/forbidden.html", context, status=403)


def _paginate(request, queryset, per_page):
    """The requested page (a page that is not a number is the first, one past the end the
    last) and the page numbers to link, with None for a gap."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    links = [None if number == paginator.ELLIPSIS else number for number in numbers]
    return page, links


def _thread(pk):
    return get_object_or_404(Thread.objects.select_related("forum", "author"), pk=pk)


def _post_url(post):
    """The address of `post`: its thread's page that shows it, scrolled to it."""
    before = Post.objects.filter(thread=post.thread_id).filter(
        Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk)
    )
    page = before.count() // POSTS_PER_PAGE + 1
    url = post.thread.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return f"{url}#post-{post.pk}"


def forum_index(request):
    forums = Forum.objects.select_related(
        "theme", "last_post__author", "last_post__thread__forum"
    ).order_by("position", "name")
    return render(request, "forums/forum_index.html", {"forums": forums})


def forum_detail(request, slug):
    forum = get_object_or_404(Forum.objects.select_related("theme"), slug=slug)
    threads = (
        forum.threads.select_related("author", "last_post__author")
        .prefetch_related("themes")
        .order_by("-is_pinned", "-last_post_at", "-pk")
    )
    page, page_links = _paginate(request, threads, THREADS_PER_PAGE)
    return render(
        request,
        "forums/forum_detail.html",
        {"forum": forum, "page_obj": page, "page_links": page_links},
    )


def thread_detail(request, forum_slug, pk):
    thread = _thread(pk)
    if thread.forum.slug != forum_slug:
        # A thread moved to another forum keeps its number; its old address leads to it.
        return redirect(thread, permanent=True)
    posts = thread.posts.select_related("author").order_by("created_at", "pk")
    page, page_links = _paginate(request, posts, POSTS_PER_PAGE)
    user = request.user
    moderator = can_moderate(user)
    posts = list(page.object_list)
    for post in posts:
        post.thread = thread
        post.editable = can_edit(user, post, moderator)
    if page.number == 1 and posts:
        # The page's description and JSON-LD quote the opening post, which page 1 holds.
        thread.opening_post = posts[0]
    prefetch_related_objects([thread], "themes")
    context = {
        "forum": thread.forum,
        "thread": thread,
        "page_obj": page,
        "page_links": page_links,
        "posts": posts,
        "reply_form": PostForm() if user.is_authenticated and not thread.is_locked else None,
        "themes": list(thread.themes.all()),
        "countries": list(thread.countries.all()),
    }
    return render(request, "forums/thread_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    form = ThreadForm(request.POST) if request.method == "POST" else ThreadForm()
    if form.is_bound and form.is_valid():
        # The thread and its first post commit together or not at all.
        with transaction.atomic():
            thread = form.save(commit=False)
            thread.forum = forum
            thread.author = request.user
            thread.save()
            form.save_m2m()
            Post.objects.create(thread=thread, author=request.user, body=form.cleaned_data["body"])
        return redirect(thread)
    return render(request, "forums/thread_form.html", {"forum": forum, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reply(request, forum_slug, pk):
    thread = _thread(pk)
    if thread.forum.slug != forum_slug:
        return redirect("forums:reply", forum_slug=thread.forum.slug, pk=thread.pk)
    if thread.is_locked:
        return _forbidden(request, LOCKED, thread)
    form = PostForm(request.POST) if request.method == "POST" else PostForm()
    if form.is_bound and form.is_valid():
        with transaction.atomic():
            # Locked between the page and the reply? The row lock settles it.
            if Thread.objects.select_for_update().filter(pk=thread.pk, is_locked=True).exists():
                return _forbidden(request, LOCKED, thread)
            post = form.save(commit=False)
            post.thread = thread
            post.author = request.user
            post.save()
        return redirect(_post_url(post))
    return render(
        request, "forums/post_form.html", {"forum": thread.forum, "thread": thread, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread__forum", "author"), pk=pk)
    if not can_edit(request.user, post):
        if post.thread.is_locked and post.author_id == request.user.pk:
            message = _("This thread is locked: its posts can no longer change.")
        else:
            message = _("Only the author of a post can edit it.")
        return _forbidden(request, message, post.thread)
    data = request.POST if request.method == "POST" else None
    form = PostForm(data, instance=post)
    if form.is_bound and form.is_valid():
        with transaction.atomic():
            form.save()
        return redirect(_post_url(post))
    return render(
        request,
        "forums/post_form.html",
        {"forum": post.thread.forum, "thread": post.thread, "form": form, "post": post},
    )
