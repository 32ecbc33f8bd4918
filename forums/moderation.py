"""What moderators (and members' flags) do to posts, threads and members. Every action is
written to Wagtail's audit log (`wagtail.log_actions.log`, a `ModelLogEntry`), under the
actions that `forums.wagtail_hooks` registers, so that the admin's history shows who did
what and when."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from .models import Flag, PostStatus, Suspension, Thread

# Action name → (label, past-tense message), registered with Wagtail's log registry.
ACTIONS = {
    "forums.flag": (_("Flag post"), _("Post flagged")),
    "forums.hide_by_flags": (_("Hide post (flags)"), _("Post hidden by members' flags")),
    "forums.approve": (_("Approve post"), _("Post approved")),
    "forums.hide": (_("Hide post"), _("Post hidden")),
    "forums.delete_post": (_("Delete post"), _("Post deleted")),
    "forums.lock": (_("Lock thread"), _("Thread locked")),
    "forums.unlock": (_("Unlock thread"), _("Thread unlocked")),
    "forums.pin": (_("Pin thread"), _("Thread pinned")),
    "forums.unpin": (_("Unpin thread"), _("Thread unpinned")),
    "forums.move": (_("Move thread"), _("Thread moved")),
    "forums.suspend": (_("Suspend member"), _("Member suspended")),
    "forums.accept_answer": (_("Accept answer"), _("Answer accepted")),
}


class AlreadyFlagged(Exception):
    pass


def open_flag_count(post):
    return post.flags.filter(resolved_at__isnull=True).values("member").distinct().count()


def flag(post, member, reason, note=""):
    """Record `member`'s flag; the flag that makes `FLAGS_TO_HIDE` distinct members hides
    a published post. Returns whether the post is now hidden."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                Flag.objects.create(post=post, member=member, reason=reason, note=note)
        except IntegrityError as error:
            raise AlreadyFlagged from error
        log(post, "forums.flag", user=member, data={"reason": reason})
        type(post).objects.select_for_update().filter(pk=post.pk).exists()
        post.refresh_from_db(fields=["status"])
        if (
            post.status == PostStatus.PUBLISHED
            and open_flag_count(post) >= settings.FORUMS["FLAGS_TO_HIDE"]
        ):
            post.status = PostStatus.HIDDEN
            post.save(update_fields=["status"])
            log(post, "forums.hide_by_flags", user=None, data={"flags": open_flag_count(post)})
            return True
    return post.status == PostStatus.HIDDEN


def approve(post, moderator):
    """Publish the post and close its flags: those members' flags are answered."""
    with transaction.atomic():
        post.status = PostStatus.PUBLISHED
        post.save(update_fields=["status"])
        post.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        log(post, "forums.approve", user=moderator)


def hide(post, moderator):
    with transaction.atomic():
        post.status = PostStatus.HIDDEN
        post.save(update_fields=["status"])
        post.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        log(post, "forums.hide", user=moderator)


def delete_post(post, moderator):
    with transaction.atomic():
        log(post, "forums.delete_post", user=moderator, data={"thread": post.thread_id})
        post.delete()


def set_locked(thread, locked, moderator):
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(is_locked=locked)
        thread.is_locked = locked
        log(thread, "forums.lock" if locked else "forums.unlock", user=moderator)


def set_pinned(thread, pinned, moderator):
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(is_pinned=pinned)
        thread.is_pinned = pinned
        log(thread, "forums.pin" if pinned else "forums.unpin", user=moderator)


def move(thread, forum, moderator):
    """Move the thread; the signal handlers recount both forums."""
    with transaction.atomic():
        source = thread.forum
        thread.forum = forum
        thread.save()
        log(
            thread,
            "forums.move",
            user=moderator,
            data={"from": source.slug, "to": forum.slug},
        )


def suspend(member, until, reason, moderator):
    with transaction.atomic():
        suspension = Suspension.objects.create(
            member=member, until=until, reason=reason, created_by=moderator
        )
        log(
            suspension,
            "forums.suspend",
            user=moderator,
            data={"member": member.pk, "until": until.isoformat(), "reason": reason},
        )
    return suspension


def accept_answer(thread, post, user):
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(accepted_post=post)
        thread.accepted_post = post
        log(thread, "forums.accept_answer", user=user, data={"post": post.pk})
