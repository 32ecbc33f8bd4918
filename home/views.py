"""Public pages that bring every app's content together: an organisation's page (its
practices, guides, its peers, listed members and their threads), a member's page (their
organisations and posts, as they chose to show), and robots.txt."""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from forums.access import readable_forums
from forums.models import Post, PostStatus, Thread
from members.joining import can_decide
from members.models import JoinRequest, Membership, Organisation, Profile
from pagecache.memo import remembered
from pagecache.restrictions import public
from practices.models import GuidePage, PracticePage
from practices.peers import find_peers

SHOWN_ITEMS = 12
SHOWN_THREADS = 10
SHOWN_POSTS = 20


def _library_section(model, page_filter, organisation, object_type):
    """The organisation's live items of `model`, newest first, every language; with a link
    to the search when there are more than are shown."""
    live = public(model.objects.live()).filter(page_filter)
    count = live.count()
    items = list(
        live.select_related("locale", "lead_organisation")
        .prefetch_related("themes", "countries")
        .order_by("-first_published_at", "-pk")[:SHOWN_ITEMS]
    )
    listing_url = ""
    if count > len(items):
        query = urlencode([("organisation", organisation.slug), ("type", object_type)])
        listing_url = f"{reverse('search')}?{query}"
    return {"items": items, "count": count, "all_languages": False, "listing_url": listing_url}


def _listed_members(organisation):
    """The organisation's members who agreed to be listed, with their profiles."""
    return list(
        Membership.objects.filter(organisation=organisation, user__profile__is_listed=True)
        .select_related("user__profile")
        .order_by("user__profile__display_name", "user__username")
    )


def _organisation_content(slug):
    """What an organisation's page shows every visitor: the organisation, its practices and
    guides, its peers and its listed members."""
    organisation = get_object_or_404(
        Organisation.objects.select_related("country", "logo"), slug=slug
    )
    # The ids, not a subquery: with `lead OR pk IN (subquery)` PostgreSQL read every live
    # page newest first looking for the organisation's (bench/pages.py at 100,000
    # practices on a loaded machine: 407 ms, and 114 ms for their number); with a list,
    # both conditions are index lookups.
    partner_of = list(
        PracticePage.partner_organisations.through.objects.filter(
            organisation=organisation
        ).values_list("practicepage_id", flat=True)
    )
    practices = _library_section(
        PracticePage,
        Q(lead_organisation=organisation) | Q(pk__in=partner_of),
        organisation,
        "practice",
    )
    guides = _library_section(GuidePage, Q(lead_organisation=organisation), organisation, "guide")
    return {
        "organisation": organisation,
        "practices": practices,
        "guides": guides,
        "peers": find_peers(organisation),
        "members": _listed_members(organisation),
    }


def _members_threads(user, members):
    """Threads started by listed members (someone unlisted is never tied to the
    organisation), of the forums `user` may read."""
    return list(
        Thread.objects.readable_by(user)
        .filter(author__in=[membership.user_id for membership in members], post_count__gt=0)
        .select_related("forum", "author")
        .order_by("-last_post_at", "-pk")[:SHOWN_THREADS]
    )


def organisation_detail(request, slug):
    # The same for every visitor until the content changes: remembered per content
    # generation (pagecache.memo), by language (the peers' reasons are written in it); the
    # threads too for anonymous visitors. 14 → 0 queries (a member's own role and requests
    # are still read) and 36 → 6.5 ms of CPU per request (bench/request_cpu.py at 100,000
    # practices, bench/README.md).
    content = remembered(
        f"home:organisation:{slug}:{get_language()}", lambda: _organisation_content(slug)
    )
    organisation, members = content["organisation"], content["members"]
    if request.user.is_authenticated:
        threads = _members_threads(request.user, members)
    else:
        threads = remembered(
            f"home:organisation-threads:{organisation.pk}",
            lambda: _members_threads(request.user, members),
        )
    user = request.user
    role = None
    pending = False
    if user.is_authenticated:
        role = (
            Membership.objects.filter(user=user, organisation=organisation)
            .values_list("role", flat=True)
            .first()
        )
        pending = JoinRequest.objects.filter(
            user=user, organisation=organisation, status=JoinRequest.Status.PENDING
        ).exists()
    context = {
        **content,
        "threads": threads,
        "role": Membership.Role(role).label if role else None,
        "join_pending": pending,
        "can_decide": user.is_authenticated and can_decide(user, organisation),
    }
    return render(request, "home/organisation_detail.html", context)


def person_detail(request, pk):
    """A member's public page: only for people who chose to be listed, with what they chose
    to show."""
    profile = get_object_or_404(
        Profile.objects.select_related("user"), user_id=pk, is_listed=True, user__is_active=True
    )
    user = profile.user
    memberships = []
    if profile.show_organisations:
        memberships = list(
            Membership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name")
        )
    posts = []
    if profile.show_posts:
        # Published posts of the forums the visitor may read.
        readable = readable_forums(request.user, "thread__forum__")
        posts = list(
            Post.objects.filter(readable, author=user, status=PostStatus.PUBLISHED)
            .select_related("thread__forum")
            .order_by("-created_at", "-pk")[:SHOWN_POSTS]
        )
    context = {"profile": profile, "person": user, "memberships": memberships, "posts": posts}
    return render(request, "home/person_detail.html", context)


# Work areas, not content: the admins, the sign-in page, forms and the feeds of searches.
DISALLOWED = ("/admin/", "/django-admin/", "/accounts/", "/*/accounts/", "/api/")


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
