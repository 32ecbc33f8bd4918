"""What stands between a message and the forums, checked in this order before anything is
saved: a suspension, the rate limits per member and per network address (django-ratelimit
on the shared cache), a new member's daily posts and links, and the same message sent twice.
Each refusal is a `Refusal` whose message says why; the view shows the form again with what
was typed. A post that passes but carries many links is saved held for review
(`status_for`).

Trust is Discourse's first trust level: an account old enough with enough posts that stood
(published, with no flag left open), or a moderator."""

from datetime import timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from editorial.client import client_address
from editorial.permissions import is_site_editor

from .markup import count_links
from .models import Flag, Post, PostStatus, Suspension

POSTING = "forums.post"


class Refusal(Exception):
    """A message that may not be posted, with the reason in words for its author; `status`
    is the HTTP status the form comes back with."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def setting(name):
    return settings.FORUMS[name]


def is_moderator(user):
    return is_site_editor(user)


def is_trusted(user):
    if is_moderator(user):
        return True
    if user.date_joined > timezone.now() - timedelta(days=setting("TRUST_MIN_ACCOUNT_DAYS")):
        return False
    open_flags = Flag.objects.filter(resolved_at__isnull=True).values("post")
    standing = Post.objects.filter(author=user, status=PostStatus.PUBLISHED).exclude(
        pk__in=open_flags
    )
    return standing.count() >= setting("TRUST_MIN_POSTS")


def active_suspension(user):
    return Suspension.objects.active().filter(member=user).order_by("-until").first()


def check_suspension(user):
    suspension = active_suspension(user)
    if suspension is not None:
        until = formats.date_format(timezone.localtime(suspension.until), "DATETIME_FORMAT")
        message = _("Your account is suspended from the forums until %(until)s.") % {"until": until}
        if suspension.reason:
            message += " " + _("Reason: %(reason)s") % {"reason": suspension.reason}
        raise Refusal(message, status=403)


def _member_key(group, request):
    return str(request.user.pk)


def _address_key(group, request):
    return client_address(request)


def _rate_limits():
    return [
        (_member_key, setting("POST_RATE_PER_MEMBER")),
        (_address_key, setting("POST_RATE_PER_ADDRESS")),
    ]


def check_rate(request):
    """Refuse when the member or their network address has posted as often as the rates
    allow. Only posts that are saved count (`count_post`), not refused attempts."""
    for key, rate in _rate_limits():
        usage = get_usage(request, group=POSTING, key=key, rate=rate, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            raise Refusal(
                _(
                    "You are posting faster than the forums allow. Wait %(seconds)s seconds, "
                    "then send your message again."
                )
                % {"seconds": usage["time_left"]},
                status=429,
            )


def count_post(request):
    for key, rate in _rate_limits():
        get_usage(request, group=POSTING, key=key, rate=rate, increment=True)


def check_daily_posts(user):
    most = setting("NEW_MEMBER_POSTS_PER_DAY")
    since = timezone.now() - timedelta(days=1)
    if Post.objects.filter(author=user, created_at__gte=since).count() >= most:
        raise Refusal(
            ngettext(
                "New members may post %(count)d message a day. Please come back tomorrow.",
                "New members may post %(count)d messages a day. Please come back tomorrow.",
                most,
            )
            % {"count": most},
            status=429,
        )


def check_links(user, html):
    """A new member's message may carry a few links only."""
    links = setting("NEW_MEMBER_LINKS_PER_POST")
    if count_links(html) > links and not is_trusted(user):
        raise Refusal(
            ngettext(
                "New members may put %(count)d link in a message; remove some links.",
                "New members may put %(count)d links in a message; remove some links.",
                links,
            )
            % {"count": links}
        )


def _normalised(source):
    return " ".join((source or "").split()).casefold()


def check_duplicate(user, source, exclude=None):
    """Refuse a message its author already posted within the window, anywhere."""
    since = timezone.now() - timedelta(hours=setting("DUPLICATE_WINDOW_HOURS"))
    recent = Post.objects.filter(author=user, created_at__gte=since).exclude(pk=exclude)
    # Compared with whitespace and case folded; the rate limits bound how many there are.
    text = _normalised(source)
    for candidate in recent.exclude(source="").values_list("source", flat=True):
        if _normalised(candidate) == text:
            raise Refusal(_("You have already posted this message. Write something new."))


def check_posting(request, source, html):
    """Every check for a new post by the signed-in member of `request`; raises `Refusal`."""
    user = request.user
    check_suspension(user)
    if is_moderator(user):
        return
    check_rate(request)
    check_links(user, html)
    if not is_trusted(user):
        check_daily_posts(user)
    check_duplicate(user, source)


def status_for(user, html):
    """Published, or held for review when a member's post carries many links."""
    if not is_moderator(user) and count_links(html) > setting("HOLD_LINKS_OVER"):
        return PostStatus.HELD
    return PostStatus.PUBLISHED
