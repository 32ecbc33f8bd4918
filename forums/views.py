"""The public forum pages: every forum, a forum's threads, a thread's posts, and the forms
to start a thread, reply, quote, edit one's own post (within `FORUMS["EDIT_WINDOW_MINUTES"]`),
preview without JavaScript, flag a post and accept an answer.

Anyone may read; posting needs an account that is not suspended and passes
`forums.antispam`. Posts held for review or hidden by flags are shown to moderators and to
their author only. Lists read the counters and last posts that `forums.signal_handlers`
keeps on each row, joined in one query, never counted per item."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import antispam, moderation
from .forms import FlagForm, PostForm, ThreadForm
from .markup import quote_markdown, render_markdown
from .models import Forum, Post, PostRevision, PostStatus, Thread

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 20
LOCKED = gettext_lazy("This thread is locked: it takes no more replies.")
HELD = gettext_lazy(
    "Your message has many links, so a moderator will look at it before others see it."
)


def can_moderate(user):
    """Site editors (and superusers) moderate: they hold the forum permissions of the admin."""
    return antispam.is_moderator(user)


def edit_window():
    return timedelta(minutes=settings.FORUMS["EDIT_WINDOW_MINUTES"])


def can_edit(user, post, moderator=None):
    """Authors edit their own posts for a while after posting, while the thread is open;
    moderators edit any post."""
    if not user.is_authenticated:
        return False
    if can_moderate(user) if moderator is None else moderator:
        return True
    return (
        post.author_id == user.pk
        and not post.thread.is_locked
        and timezone.now() < post.created_at + edit_window()
    )


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
    return get_object_or_404(Thread.objects.select_related("forum", "author", "about_page"), pk=pk)


def _visible_posts(user, moderator):
    """Posts `user` may read: published ones; moderators every one, authors their own."""
    if moderator:
        return Q()
    if user.is_authenticated:
        return Q(status=PostStatus.PUBLISHED) | Q(author=user.pk)
    return Q(status=PostStatus.PUBLISHED)


def _post_url(post, user=None):
    """The address of `post`: its thread's page that shows it (to `user`), scrolled to it."""
    visible = _visible_posts(user, can_moderate(user)) if user is not None else Q()
    before = Post.objects.filter(visible, thread=post.thread_id).filter(
        Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk)
    )
    page = before.count() // POSTS_PER_PAGE + 1
    url = post.thread.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return f"{url}#post-{post.pk}"


def _may_see_thread(user, thread, moderator):
    """A thread whose posts are all held or hidden is seen by moderators and its author."""
    return (
        thread.post_count > 0
        or moderator
        or (user.is_authenticated and thread.author_id == user.pk)
    )


def forum_index(request):
    forums = Forum.objects.select_related(
        "theme", "last_post__author", "last_post__thread__forum"
    ).order_by("position", "name")
    return render(request, "forums/forum_index.html", {"forums": forums})


def forum_detail(request, slug):
    forum = get_object_or_404(Forum.objects.select_related("theme"), slug=slug)
    threads = (
        forum.threads.filter(post_count__gt=0)
        .select_related("author", "last_post__author")
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
    user = request.user
    moderator = can_moderate(user)
    if not _may_see_thread(user, thread, moderator):
        raise Http404
    posts = (
        thread.posts.filter(_visible_posts(user, moderator))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    page, page_links = _paginate(request, posts, POSTS_PER_PAGE)
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
        "moderator": moderator,
        "may_accept": _may_accept(user, thread),
        "reply_form": PostForm() if user.is_authenticated and not thread.is_locked else None,
        "themes": list(thread.themes.all()),
        "countries": list(thread.countries.all()),
    }
    return render(request, "forums/thread_detail.html", context)


def _refused(request, template, context, refusal):
    context = {**context, "refusal": refusal.message}
    return render(request, template, context, status=refusal.status)


def _preview_context(form):
    return {"preview": render_markdown(form.cleaned_data["body"])}


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    about = _about_page(request)
    form = ThreadForm(request.POST) if request.method == "POST" else ThreadForm()
    action = reverse("forums:thread_create", kwargs={"slug": forum.slug})
    if about is not None:
        action += f"?about={about.pk}"
    context = {"forum": forum, "form": form, "about": about, "action": action}
    template = "forums/thread_form.html"
    if request.method == "GET":
        try:
            antispam.check_suspension(request.user)
        except antispam.Refusal as refusal:
            return _forbidden(request, refusal.message)
    if not (form.is_bound and form.is_valid()):
        return render(request, template, context)
    if "preview" in request.POST:
        return render(request, template, {**context, **_preview_context(form)})
    source = form.cleaned_data["body"]
    html = render_markdown(source)
    try:
        antispam.check_posting(request, source, html)
    except antispam.Refusal as refusal:
        return _refused(request, template, context, refusal)
    status = antispam.status_for(request.user, html)
    # The thread and its first post commit together or not at all.
    with transaction.atomic():
        thread = form.save(commit=False)
        thread.forum = forum
        thread.author = request.user
        thread.about_page = about
        thread.save()
        form.save_m2m()
        Post.objects.create(thread=thread, author=request.user, source=source, status=status)
        antispam.count_post(request)
    if status == PostStatus.HELD:
        messages.info(request, HELD)
    return redirect(thread)


def _about_page(request):
    """The practice or guide a question is asked from (`?about=<page id>`), if live."""
    about = request.POST.get("about") or request.GET.get("about") or ""
    return _library_page(about) if about.isdigit() else None


def _library_page(pk):
    """The live practice or guide page `pk`, or None. Named by content type: the forums
    rank beside practices and do not import them."""
    from wagtail.models import Page

    return (
        Page.objects.live()
        .filter(
            pk=pk,
            content_type__app_label="practices",
            content_type__model__in=["practicepage", "guidepage"],
        )
        .specific()
        .first()
    )


def _quoted(request, thread):
    """A reply's starting text when it quotes a post (`?quote=<post id>`) of the thread."""
    quote = request.GET.get("quote", "")
    if not quote.isdigit():
        return ""
    moderator = can_moderate(request.user)
    post = (
        thread.posts.filter(_visible_posts(request.user, moderator), pk=quote)
        .select_related("author")
        .first()
    )
    if post is None:
        return ""
    post.thread = thread
    author = post.author.get_full_name() or post.author.get_username() if post.author else ""
    return quote_markdown(post.source or post.excerpt(), author or _("A member"), _post_url(post))


@login_required
@require_http_methods(["GET", "POST"])
def reply(request, forum_slug, pk):
    thread = _thread(pk)
    if thread.forum.slug != forum_slug:
        return redirect("forums:reply", forum_slug=thread.forum.slug, pk=thread.pk)
    if thread.is_locked:
        return _forbidden(request, LOCKED, thread)
    if request.method == "POST":
        form = PostForm(request.POST)
    else:
        try:
            antispam.check_suspension(request.user)
        except antispam.Refusal as refusal:
            return _forbidden(request, refusal.message, thread)
        form = PostForm(initial={"body": _quoted(request, thread)})
    template = "forums/post_form.html"
    context = {"forum": thread.forum, "thread": thread, "form": form}
    if not (form.is_bound and form.is_valid()):
        return render(request, template, context)
    if "preview" in request.POST:
        return render(request, template, {**context, **_preview_context(form)})
    source = form.cleaned_data["body"]
    html = render_markdown(source)
    try:
        antispam.check_posting(request, source, html)
    except antispam.Refusal as refusal:
        return _refused(request, template, context, refusal)
    with transaction.atomic():
        # Locked between the page and the reply? The row lock settles it.
        if Thread.objects.select_for_update().filter(pk=thread.pk, is_locked=True).exists():
            return _forbidden(request, LOCKED, thread)
        post = form.save(commit=False)
        post.thread = thread
        post.author = request.user
        post.status = antispam.status_for(request.user, html)
        post.save()
        antispam.count_post(request)
    if post.status == PostStatus.HELD:
        messages.info(request, HELD)
    return redirect(_post_url(post, request.user))


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread__forum", "author"), pk=pk)
    user = request.user
    moderator = can_moderate(user)
    if not can_edit(user, post, moderator):
        if post.author_id != user.pk:
            message = _("Only the author of a post can edit it.")
        elif post.thread.is_locked:
            message = _("This thread is locked: its posts can no longer change.")
        else:
            message = _(
                "Posts can be edited for %(minutes)d minutes after they are written; "
                "this one can no longer change."
            ) % {"minutes": settings.FORUMS["EDIT_WINDOW_MINUTES"]}
        return _forbidden(request, message, post.thread)
    if not moderator:
        try:
            antispam.check_suspension(user)
        except antispam.Refusal as refusal:
            return _forbidden(request, refusal.message, post.thread)
    before = {"source": post.source, "body": post.body, "written_at": post.updated_at}
    data = request.POST if request.method == "POST" else None
    form = PostForm(data, instance=post)
    template = "forums/post_form.html"
    context = {"forum": post.thread.forum, "thread": post.thread, "form": form, "post": post}
    if not (form.is_bound and form.is_valid()):
        return render(request, template, context)
    if "preview" in request.POST:
        return render(request, template, {**context, **_preview_context(form)})
    html = render_markdown(form.cleaned_data["body"])
    if not moderator:
        try:
            antispam.check_links(user, html)
        except antispam.Refusal as refusal:
            return _refused(request, template, context, refusal)
    with transaction.atomic():
        PostRevision.objects.create(post=post, edited_by=user, **before)
        post = form.save(commit=False)
        post.updated_at = timezone.now()
        if post.status == PostStatus.PUBLISHED:
            post.status = antispam.status_for(user, html)
        post.save()
    if post.status == PostStatus.HELD:
        messages.info(request, HELD)
    return redirect(_post_url(post, user))


def _may_accept(user, thread):
    """The asker, or a member of the lead organisation of the practice or guide the question
    is about, marks the accepted answer."""
    if not user.is_authenticated:
        return False
    if thread.author_id == user.pk:
        return True
    if thread.about_page_id is None:
        return False
    from members.permissions import organisation_roles

    lead = getattr(thread.about_page.specific, "lead_organisation_id", None)
    return lead is not None and lead in organisation_roles(user)


@login_required
@require_POST
def accept_answer(request, pk):
    post = get_object_or_404(
        Post.objects.select_related("thread__forum", "thread__about_page"),
        pk=pk,
        status=PostStatus.PUBLISHED,
    )
    thread = post.thread
    if not _may_accept(request.user, thread):
        return _forbidden(
            request,
            _("Only the person who asked, or the organisation asked, can accept an answer."),
            thread,
        )
    moderation.accept_answer(thread, post, request.user)
    messages.success(request, _("The answer is marked as accepted."))
    return redirect(_post_url(post, request.user))


@login_required
@require_http_methods(["GET", "POST"])
def post_flag(request, pk):
    post = get_object_or_404(
        Post.objects.select_related("thread__forum", "author"),
        pk=pk,
        status=PostStatus.PUBLISHED,
    )
    if post.author_id == request.user.pk:
        return _forbidden(request, _("You cannot flag your own post."), post.thread)
    form = FlagForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            hidden = moderation.flag(
                post, request.user, form.cleaned_data["reason"], form.cleaned_data["note"]
            )
        except moderation.AlreadyFlagged:
            messages.info(request, _("You have already flagged this post."))
            return redirect(_post_url(post, request.user))
        messages.success(
            request,
            _("Thank you: the post is hidden until a moderator reviews it.")
            if hidden
            else _("Thank you: a moderator will look at this post."),
        )
        return redirect(post.thread)
    context = {"forum": post.thread.forum, "thread": post.thread, "post": post, "form": form}
    return render(request, "forums/flag_form.html", context)


@login_required
def post_history(request, pk):
    """A post's earlier versions, for moderators."""
    post = get_object_or_404(Post.objects.select_related("thread__forum", "author"), pk=pk)
    if not can_moderate(request.user):
        return _forbidden(request, _("Only moderators see the history of a post."), post.thread)
    revisions = post.revisions.select_related("edited_by")
    context = {"forum": post.thread.forum, "thread": post.thread, "post": post}
    context["revisions"] = revisions
    return render(request, "forums/post_history.html", context)


def ask(request, page_pk):
    """ "Ask a question" on a practice or guide: a new thread about it, in the forum of the
    page's first theme that has one, else in `FORUMS["QUESTIONS_FORUM"]` or the first forum."""
    page = _library_page(page_pk)
    if page is None:
        raise Http404
    themes = list(page.themes.values_list("pk", flat=True))
    forum = (
        Forum.objects.filter(theme__in=themes).order_by("position", "name").first()
        or Forum.objects.filter(slug=settings.FORUMS.get("QUESTIONS_FORUM", "")).first()
        or Forum.objects.order_by("position", "name").first()
    )
    if forum is None:
        raise Http404
    url = reverse("forums:thread_create", kwargs={"slug": forum.slug})
    return redirect(f"{url}?about={page.pk}")
