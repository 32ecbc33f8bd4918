"""Telling people of new posts: who hears of a post and why, their in-site notifications,
and the emails, sent through the delivery pipeline (kind `forums`) at once, in a daily
digest or never, as each person's profile says (`members.models.ForumEmails`).

Who hears of a published post (never its author, nobody inactive, suspended or unable to
read the thread), each person once, told the strongest of their reasons
(`NotificationReason`): the members it mentions; the asker of a question about a practice
or guide, of each answer; the lead organisation's members, of a new question about its
practice or guide; the thread's watchers; the forum's watchers.

Every email carries a signed one-click unsubscribe link (RFC 8058, `delivery.composing`)
that turns the person's forum emails off; the pipeline asks again at send time
(`may_email`), so mail queued before an unsubscribe is not sent."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from delivery.composing import list_email
from delivery.pipeline import queue
from editorial.languages import is_rtl
from members.models import ForumEmails, Membership, Profile

from .access import readers
from .markup import mentioned_members
from .models import (
    Notification,
    NotificationReason,
    Post,
    PostStatus,
    Suspension,
    Watch,
)

KIND = "forums"
UNSUBSCRIBE_SALT = "forums.unsubscribe"
# Replaced by each recipient's own link: a body is rendered once per language and reason.
UNSUBSCRIBE_PLACEHOLDER = "https://forums.invalid/unsubscribe"
POSTS_PER_PAGE = 20  # as the thread page (forums.views.POSTS_PER_PAGE)


def base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


# -- who hears of a post ----------------------------------------------------------------


def _lead_organisation_id(thread):
    # Named by attribute: the forums rank beside practices and do not import them.
    page = thread.about_page
    return getattr(page.specific, "lead_organisation_id", None) if page is not None else None


def reasons_for(post):
    """{member id: strongest reason} of everyone who may hear of `post`, before the checks
    of who may (see `recipients`)."""
    thread = post.thread
    reasons = {}

    def offer(member_ids, reason):
        for member_id in member_ids:
            current = reasons.get(member_id)
            strength = NotificationReason.strength(reason)
            if current is None or NotificationReason.strength(current) < strength:
                reasons[member_id] = reason

    offer(
        Watch.objects.filter(forum=thread.forum_id).values_list("member_id", flat=True),
        NotificationReason.FORUM,
    )
    offer(
        Watch.objects.filter(thread=thread.pk).values_list("member_id", flat=True),
        NotificationReason.THREAD,
    )
    if thread.about_page_id is not None:
        opening = (
            Post.objects.filter(thread=thread.pk).order_by("created_at", "pk").values("pk")[:1]
        )
        is_question = post.pk == opening[0]["pk"] if opening else False
        if is_question:
            lead = _lead_organisation_id(thread)
            if lead is not None:
                offer(
                    Membership.objects.filter(organisation=lead).values_list("user_id", flat=True),
                    NotificationReason.ORGANISATION,
                )
        elif thread.author_id is not None:
            offer([thread.author_id], NotificationReason.ASKED)
    offer(mentioned_members(post.body), NotificationReason.MENTION)
    reasons.pop(post.author_id, None)
    return reasons


def may_read(thread):
    """A filter of the accounts that may read `thread` and hear of it: active, not
    suspended, and readers of its forum (`forums.access.readers`: a restricted forum's
    posts reach its audience only). (A thread whose posts all wait for review is read by
    moderators and its author only, but nobody is notified of a post that waits.)"""
    suspended = Suspension.objects.active().filter(member=OuterRef("pk"))
    return Q(is_active=True) & ~Q(Exists(suspended)) & readers(thread.forum)


def _still_readable(notifications):
    """Those of `notifications` whose recipient may still read the post's forum, which may
    have been restricted since: one query per restricted forum, none for public ones."""
    wanted = defaultdict(set)
    forums = {}
    for notification in notifications:
        forum = notification.post.thread.forum
        if forum.is_restricted:
            forums[forum.pk] = forum
            wanted[forum.pk].add(notification.recipient_id)
    allowed = {
        forum_pk: set(
            get_user_model()
            .objects.filter(readers(forums[forum_pk]), pk__in=ids)
            .values_list("pk", flat=True)
        )
        for forum_pk, ids in wanted.items()
    }
    return [
        notification
        for notification in notifications
        if not notification.post.thread.forum.is_restricted
        or notification.recipient_id in allowed[notification.post.thread.forum_id]
    ]


def recipients(post):
    """{account: reason} of the people who hear of `post`."""
    reasons = reasons_for(post)
    if not reasons:
        return {}
    accounts = (
        get_user_model()
        .objects.filter(may_read(post.thread), pk__in=reasons)
        .select_related("profile")
        .order_by("pk")
    )
    return {account: reasons[account.pk] for account in accounts}


# -- emails -----------------------------------------------------------------------------


def unsubscribe_token(account):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(account.pk))


def read_unsubscribe_token(token):
    """The account a token names, or None for a bad token or a removed account."""
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first() if pk.isdigit() else None


def unsubscribe_url(account):
    # Outside the language prefix: mail clients POST to it (RFC 8058).
    token = unsubscribe_token(account)
    return base_url() + reverse("forums_unsubscribe", kwargs={"token": token})


def email_preference(account):
    profile = getattr(account, "profile", None)
    return profile.forum_emails if profile is not None else ForumEmails.INSTANT


def language_of(account):
    profile = getattr(account, "profile", None)
    return profile.language if profile is not None else settings.LANGUAGE_CODE


def may_email(addresses):
    """The pipeline's check at send time, for a sender's whole batch in one query: those of
    `addresses` whose owner still wants forum emails."""
    wanted = {address.lower(): address for address in addresses}
    willing = (
        get_user_model()
        .objects.annotate(address=Lower("email"))
        .filter(address__in=wanted, is_active=True)
        .exclude(profile__forum_emails=ForumEmails.OFF)
        .values_list("address", flat=True)
    )
    return {wanted[address] for address in willing}


def post_anchor(post):
    """Where `post` is on its thread's pages: "?page=N#post-ID"."""
    before = Post.objects.filter(
        Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk),
        thread=post.thread_id,
        status=PostStatus.PUBLISHED,
    ).count()
    page = before // POSTS_PER_PAGE + 1
    return f"{f'?page={page}' if page > 1 else ''}#post-{post.pk}"


def post_url(post, language, anchor):
    """The absolute address of `post` (at `anchor`) in `language`."""
    with translation.override(language):
        path = post.thread.get_absolute_url()
    return f"{base_url()}{path}{anchor}"


def _author_name(post):
    """As the thread page names them: display name, full name, or user name."""
    author = post.author
    if author is None:
        return _("A former member")
    profile = getattr(author, "profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name
    return author.get_full_name() or author.get_username()


@dataclass
class _Rendered:
    language: str
    subject: str
    text: str
    html: str

    def to(self, account):
        url = unsubscribe_url(account)
        return list_email(
            subject=self.subject,
            text=self.text.replace(UNSUBSCRIBE_PLACEHOLDER, url),
            html=self.html.replace(UNSUBSCRIBE_PLACEHOLDER, url),
            to=account.email,
            language=self.language,
            unsubscribe_url=url,
            base_url=base_url(),
        )


def _render(language, template, context, subject):
    with translation.override(language):
        context = {
            **context,
            "language": language,
            "direction": "rtl" if is_rtl(language) else "ltr",
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
            "profile_url": base_url() + reverse("members:profile"),
            "notifications_url": base_url() + reverse("forums:notifications"),
        }
        subject = str(subject(context))
        context["subject"] = subject
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return _Rendered(language, subject, text, html)


def _post_subject(context):
    return _("%(author)s in “%(thread)s”") % {
        "author": context["author"],
        "thread": context["post"].thread.title,
    }


def post_emails(post, accounts_reasons):
    """One email per account about `post`, rendered once per language and reason."""
    rendered = {}
    anchor = post_anchor(post)
    for account, reason in accounts_reasons.items():
        language = language_of(account)
        key = (language, reason)
        if key not in rendered:
            with translation.override(language):
                context = {
                    "post": post,
                    "author": _author_name(post),
                    "reason": NotificationReason(reason).label,
                    "post_url": post_url(post, language, anchor),
                }
                rendered[key] = _render(language, "forums/email/post", context, _post_subject)
        yield rendered[key].to(account)


# -- what happens when a post is published ----------------------------------------------


def notify(post_id):
    """Notify everyone who hears of the post (once each: a post notified before is left
    alone) and email those who want an email for each post. Returns how many were
    notified."""
    post = (
        Post.objects.select_related("thread__forum", "thread__about_page", "author__profile")
        .filter(pk=post_id, status=PostStatus.PUBLISHED)
        .first()
    )
    if post is None:
        return 0
    told = set(Notification.objects.filter(post=post).values_list("recipient_id", flat=True))
    people = {a: r for a, r in recipients(post).items() if a.pk not in told}
    if not people:
        return 0
    with transaction.atomic():
        _record(post, people)
    return len(people)


def _record(post, people):
    Notification.objects.bulk_create(
        [Notification(recipient=a, post=post, reason=r) for a, r in people.items()],
        ignore_conflicts=True,
    )
    instant = {
        account: reason
        for account, reason in people.items()
        if account.email and email_preference(account) == ForumEmails.INSTANT
    }
    if instant:
        queue(KIND, post_emails(post, instant), send_label=f"Post {post.pk}")
        Notification.objects.filter(post=post, recipient__in=list(instant)).update(
            emailed_at=timezone.now()
        )


# -- the daily digest -------------------------------------------------------------------


def _digest_subject(context):
    count = len(context["notifications"])
    return translation.ngettext(
        "%(count)d new post in the forums", "%(count)d new posts in the forums", count
    ) % {"count": count}


def send_digests():
    """Email each person who chose the daily digest their unread notifications not emailed
    yet (nobody with nothing new gets one). Returns how many digests were queued."""
    suspended = Suspension.objects.active().filter(member=OuterRef("recipient"))
    pending = (
        Notification.objects.unread()
        .filter(
            emailed_at__isnull=True,
            post__status=PostStatus.PUBLISHED,
            recipient__is_active=True,
            recipient__profile__forum_emails=ForumEmails.DAILY,
        )
        .exclude(recipient__email="")
        .exclude(Exists(suspended))
        .select_related("recipient__profile", "post__thread__forum", "post__author__profile")
        .order_by("recipient_id", "created_at", "pk")
    )
    by_recipient = defaultdict(list)
    for notification in _still_readable(list(pending)):
        by_recipient[notification.recipient].append(notification)
    if not by_recipient:
        return 0

    anchors = {}

    def anchor(post):
        if post.pk not in anchors:
            anchors[post.pk] = post_anchor(post)
        return anchors[post.pk]

    def emails():
        for account, notifications in by_recipient.items():
            language = language_of(account)
            with translation.override(language):
                items = [
                    {
                        "post": n.post,
                        "author": _author_name(n.post),
                        "reason": NotificationReason(n.reason).label,
                        "url": post_url(n.post, language, anchor(n.post)),
                    }
                    for n in notifications
                ]
            context = {"notifications": items}
            yield _render(language, "forums/email/digest", context, _digest_subject).to(account)

    ids = [n.pk for notifications in by_recipient.values() for n in notifications]
    # Queued and marked together: a failed run leaves everything for the next one.
    with transaction.atomic():
        queue(KIND, emails(), send_label=f"Forum digest {timezone.localdate():%Y-%m-%d}")
        Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
    return len(by_recipient)


def turn_emails_off(account):
    profile = Profile.for_user(account)
    if profile.forum_emails != ForumEmails.OFF:
        profile.forum_emails = ForumEmails.OFF
        profile.save(update_fields=["forum_emails", "updated_at"])
