"""The public pages of organisations and members, the person's own profile, and asking to
join an organisation (decided by its administrators, see `members.joining`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import JoinRequestForm, ProfileForm
from .joining import JoinError, ask, can_decide, decide
from .models import JoinRequest, Membership, Organisation, Profile


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
