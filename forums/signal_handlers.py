"""Keeping the forums' counters, last posts and search documents current.

Counters are recomputed from the database rather than incremented, so that a deleted post,
a moved thread or a stale instance saved by a form can never leave them wrong. Each handler
runs inside the transaction of the change when there is one (the views open one), and in
its own otherwise, so that the counters and the search document change together. It locks
the thread's row and then the forum's before counting: a concurrent reply waits for the lock
and then counts the other reply, committed by then, instead of writing a total computed
before it.

A thread is searchable once it has a post (see `ThreadBuilder.queryset`): while a new
thread is being created its document is not written; its first post writes it.

Deleting a thread or a forum deletes its posts first (Django's collector); the post handlers
leave those to the thread and forum handlers instead of recounting a thread that is about
to go, which the signals' `origin` tells them."""

from django.db import transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from search import indexing

from .models import Forum, Post, PostStatus, Thread, Watch
from .search_documents import ThreadBuilder


def _latest_posts(**filters):
    return _published().filter(**filters).order_by("-created_at", "-pk")


def _published():
    """Counters and last posts count published posts only: held and hidden ones wait."""
    return Post.objects.filter(status=PostStatus.PUBLISHED)


def _count_below(rows, path):
    """The number of `rows` under the outer row, `path` leading from them to it."""
    rows = rows.filter(**{path: OuterRef("pk")}).order_by().values(path)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), Value(0))


def _lock(model, pk):
    """Lock the row for the rest of the transaction; False when it no longer exists."""
    return model.objects.select_for_update().filter(pk=pk).values("pk").exists()


def refresh_thread(thread_id):
    """Set the thread's post count, last post and last activity from its posts."""
    with transaction.atomic():
        if not _lock(Thread, thread_id):
            return
        latest = _latest_posts(thread=OuterRef("pk"))
        Thread.objects.filter(pk=thread_id).update(
            post_count=_count_below(_published(), "thread"),
            last_post=Subquery(latest.values("pk")[:1]),
            last_post_at=Coalesce(Subquery(latest.values("created_at")[:1]), F("created_at")),
        )


def refresh_forum(forum_id):
    """Set the forum's thread and post counts and its last post from its threads' counters
    and last posts, which every caller has refreshed first: one row per thread is read, not
    one per post (a reply in a forum of 10,000 posts: 50 → 2 ms, see bench/README.md)."""
    with transaction.atomic():
        if not _lock(Forum, forum_id):
            return
        threads = Thread.objects.filter(post_count__gt=0)
        in_forum = threads.filter(forum=OuterRef("pk"))
        posts = in_forum.order_by().values("forum").annotate(n=Sum("post_count")).values("n")
        latest = in_forum.order_by("-last_post_at", "-last_post").values("last_post")[:1]
        Forum.objects.filter(pk=forum_id).update(
            thread_count=_count_below(threads, "forum"),
            post_count=Coalesce(Subquery(posts), Value(0)),
            last_post=Subquery(latest),
        )


def _deleted_with(origin, *models):
    """Whether the deletion started from an instance or queryset of one of `models`."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model in models


# -- posts ------------------------------------------------------------------------------


def on_post_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    with transaction.atomic():
        thread = Thread.objects.only("pk", "forum_id").get(pk=instance.thread_id)
        refresh_thread(thread.pk)
        refresh_forum(thread.forum_id)
        indexing.index_object(thread)


def on_post_deleted(sender, instance, origin=None, **kwargs):
    """A thread follows its posts; a thread whose last post goes goes with it, as in
    django-machina (its own handler then recounts the forum and drops its document)."""
    if _deleted_with(origin, Thread, Forum):
        return
    with transaction.atomic():
        thread = Thread.objects.only("pk", "forum_id").filter(pk=instance.thread_id).first()
        if thread is None:
            return
        refresh_thread(thread.pk)
        if not Post.objects.filter(thread=thread.pk).exists():
            thread.delete()
            return
        refresh_forum(thread.forum_id)
        indexing.index_object(thread)


def remember_post_status(sender, instance, raw=False, **kwargs):
    """A post's status before it is saved: one a moderator approves out of the review queue
    is news to its readers."""
    instance._status_before_save = (
        None
        if raw or instance.pk is None
        else Post.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    )


def on_post_written(sender, instance, created, raw=False, **kwargs):
    """Its author watches the thread; once the post is visible (at once, or when approved
    after review) the people who hear of it are told, after the commit and by the task
    worker, since they may be many (`forums.notifying`)."""
    if raw:
        return
    if created and instance.author_id is not None:
        Watch.objects.get_or_create(member_id=instance.author_id, thread_id=instance.thread_id)
    before = getattr(instance, "_status_before_save", None)
    if instance.status == PostStatus.PUBLISHED and (created or before == PostStatus.HELD):
        from .tasks import notify_post

        post_id = instance.pk
        transaction.on_commit(lambda: notify_post.enqueue(post_id))


# -- threads ----------------------------------------------------------------------------


def remember_forum(sender, instance, raw=False, **kwargs):
    """The forum a thread is in before it is saved: a move recounts the forum it left."""
    instance._forum_before_save = (
        None
        if raw or instance.pk is None
        else Thread.objects.filter(pk=instance.pk).values_list("forum_id", flat=True).first()
    )


def on_thread_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    with transaction.atomic():
        # A full save writes the counters the instance was loaded with, which a reply since
        # may have changed.
        if not created:
            refresh_thread(instance.pk)
        # Both forums of a move, in a fixed order so that two opposite moves cannot each
        # hold the lock the other waits for.
        previous = getattr(instance, "_forum_before_save", None)
        for forum_id in sorted({instance.forum_id, previous or instance.forum_id}):
            refresh_forum(forum_id)
        indexing.index_object(instance)


def on_thread_labels_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Themes and countries are saved after the thread itself (`save_m2m`)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            indexing.index_object(instance)
        return
    # Changed from the side of a theme or country: `pk_set` names the threads, except on a
    # clear, whose threads `pre_clear` notes first.
    if action == "pre_clear":
        side = "theme" if sender is Thread.themes.through else "country"
        instance._forum_threads_before_clear = list(
            sender.objects.filter(**{side: instance}).values_list("thread_id", flat=True)
        )
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_forum_threads_before_clear", [])
    elif action not in ("post_add", "post_remove"):
        return
    indexing.index_objects(Thread.objects.filter(pk__in=pk_set).only("pk"))


def on_thread_deleted(sender, instance, origin=None, **kwargs):
    with transaction.atomic():
        indexing.remove_object(ThreadBuilder.object_type, instance.pk)
        if not _deleted_with(origin, Forum):
            refresh_forum(instance.forum_id)


# -- forums -----------------------------------------------------------------------------


def remember_forum_labels(sender, instance, raw=False, **kwargs):
    instance._labels_before_save = (
        None
        if raw or instance.pk is None
        else Forum.objects.filter(pk=instance.pk)
        .values_list("name", "theme_id", "audience")
        .first()
    )


def on_forum_saved(sender, instance, created, raw=False, **kwargs):
    """A forum saved in the admin: its counters as they are now (the form wrote those it
    was loaded with), and its threads' search documents, which hold its name and theme and
    exist only while everyone reads it (a forum restricted removes them, opened adds them)."""
    if raw or created:
        return
    with transaction.atomic():
        refresh_forum(instance.pk)
        before = getattr(instance, "_labels_before_save", None)
        if before is not None and before != (instance.name, instance.theme_id, instance.audience):
            indexing.index_objects(instance.threads.only("pk"))


def register():
    from delivery.pipeline import register_recipients_check

    from .notifying import KIND, may_email

    register_recipients_check(KIND, may_email)
    pre_save.connect(remember_post_status, sender=Post, dispatch_uid="forums_post_status")
    post_save.connect(on_post_saved, sender=Post, dispatch_uid="forums_post_saved")
    post_save.connect(on_post_written, sender=Post, dispatch_uid="forums_post_written")
    post_delete.connect(on_post_deleted, sender=Post, dispatch_uid="forums_post_deleted")
    pre_save.connect(remember_forum, sender=Thread, dispatch_uid="forums_thread_forum")
    post_save.connect(on_thread_saved, sender=Thread, dispatch_uid="forums_thread_saved")
    post_delete.connect(on_thread_deleted, sender=Thread, dispatch_uid="forums_thread_deleted")
    for through in (Thread.themes.through, Thread.countries.through):
        m2m_changed.connect(
            on_thread_labels_changed,
            sender=through,
            dispatch_uid=f"forums_thread_labels_{through._meta.model_name}",
        )
    pre_save.connect(remember_forum_labels, sender=Forum, dispatch_uid="forums_forum_labels")
    post_save.connect(on_forum_saved, sender=Forum, dispatch_uid="forums_forum_saved")
