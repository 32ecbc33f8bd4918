"""The public pages of organisations and members, the person's own profile, and asking to
join an organisation (decided by its administrators, see `members.joining`)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums.models import Post, Thread
from practices.models import GuidePage, PracticePage

from .forms import JoinRequestForm, ProfileForm
from .joining import JoinError, ask, can_decide, decide
from .models import JoinRequest, Membership, Organisation, Profile

SHOWN_ITEMS = 12
SHOWN_THREADS = 10
SHOWN_POSTS = 20


def _library_section(model, page_filter, organisation, object_type):
    """The organisation's live items of `model`, newest first, every language; with a link
    to the search when there are more than are shown."""
    live = model.objects.live().public().filter(page_filter)
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


def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("country", "logo"), slug=slug
    )
    partner_of = PracticePage.objects.filter(partner_organisations=organisation).values("pk")
    practices = _library_section(
        PracticePage,
        Q(lead_organisation=organisation) | Q(pk__in=partner_of),
        organisation,
        "practice",
    )
    guides = _library_section(GuidePage, Q(lead_organisation=organisation), organisation, "guide")
    members = _listed_members(organisation)
    # Threads started by listed members: someone unlisted is never tied to the organisation.
    threads = list(
        Thread.objects.filter(author__in=[membership.user_id for membership in members])
        .select_related("forum", "author")
        .order_by("-last_post_at", "-pk")[:SHOWN_THREADS]
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
        "organisation": organisation,
        "practices": practices,
        "guides": guides,
        "members": members,
        "threads": threads,
        "role": Membership.Role(role).label if role else None,
        "join_pending": pending,
        "can_decide": user.is_authenticated and can_decide(user, organisation),
    }
    return render(request, "members/organisation_detail.html", context)


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
        posts = list(
            Post.objects.filter(author=user)
            .select_related("thread__forum")
            .order_by("-created_at", "-pk")[:SHOWN_POSTS]
        )
    context = {"profile": profile, "person": user, "memberships": memberships, "posts": posts}
    return render(request, "members/person_detail.html", context)


@login_required
def profile_edit(request):
    profile = Profile.for_user(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("members:profile")
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    join_requests = (
        JoinRequest.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("-created_at")[:20]
    )
    context = {
        "form": form,
        "profile": profile,
        "memberships": memberships,
        "join_requests": join_requests,
    }
    return render(request, "members/profile_form.html", context)


def _forbidden(request, message):
    return render(request, "members/forbidden.html", {"message": message}, status=403)


@login_required
def join(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ask(request.user, organisation, form.cleaned_data["message"], request)
        except JoinError as error:
            messages.error(request, str(error))
            return redirect(organisation)
        messages.success(
            request,
            _("Your request was sent to the administrators of %(organisation)s.")
            % {"organisation": organisation.name},
        )
        return redirect(organisation)
    return render(request, "members/join_form.html", {"organisation": organisation, "form": form})


@login_required
def join_requests(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_decide(request.user, organisation):
        return _forbidden(
            request,
            _("Only the administrators of %(organisation)s decide who joins it.")
            % {"organisation": organisation.name},
        )
    pending = (
        JoinRequest.objects.filter(organisation=organisation, status=JoinRequest.Status.PENDING)
        .select_related("user__profile")
        .order_by("created_at", "pk")
    )
    context = {"organisation": organisation, "join_requests": pending}
    return render(request, "members/join_requests.html", context)


@login_required
@require_POST
def join_request_decide(request, pk):
    join_request = get_object_or_404(JoinRequest.objects.select_related("organisation"), pk=pk)
    organisation = join_request.organisation
    if not can_decide(request.user, organisation):
        return _forbidden(
            request,
            _("Only the administrators of %(organisation)s decide who joins it.")
            % {"organisation": organisation.name},
        )
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        messages.error(request, _("Choose to approve or to refuse the request."))
        return redirect("members:join_requests", slug=organisation.slug)
    try:
        decide(join_request, decision == "approve", request.user, request)
    except JoinError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The request was approved.")
            if decision == "approve"
            else _("The request was refused."),
        )
    return redirect("members:join_requests", slug=organisation.slug)
