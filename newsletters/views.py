"""The public pages: subscribe (from a topic form or a search), confirm, the preference
centre, and unsubscribe (a page, and the RFC 8058 one-click POST)."""

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from search.params import InvalidSearch, parse_search

from . import links, subscribing
from .describe import SearchDescriber
from .forms import SubscribeForm, SubscriberPreferencesForm, SubscriptionForm
from .models import Subscriber, Subscription


def _network_address(request):
    # The function django-ratelimit counts by (settings.RATELIMIT_IP_META_KEY).
    return import_string(settings.RATELIMIT_IP_META_KEY)(request)


def _rate_limited(request, email):
    """Why this request may not subscribe now ("" if it may). Counts the attempt."""
    by_network = get_usage(
        request,
        group="newsletters.subscribe.network",
        key="ip",
        rate=settings.NEWSLETTERS_SUBSCRIBE_RATE_PER_NETWORK,
        increment=True,
    )
    by_email = get_usage(
        request,
        group="newsletters.subscribe.email",
        key=lambda group, request: email,
        rate=settings.NEWSLETTERS_SUBSCRIBE_RATE_PER_EMAIL,
        increment=True,
    )
    if by_email and by_email["should_limit"]:
        return _(
            "This address has been sent several subscription emails in the last while. "
            "Look for them in your inbox (and spam folder), or try again later."
        )
    if by_network and by_network["should_limit"]:
        return _(
            "Too many subscription requests came from your network recently. Please try "
            "again later."
        )
    return ""


@require_http_methods(["GET", "POST"])
def subscribe(request):
    """GET takes the search page's parameters (the "Get alerts for this search" link) as the
    form's starting point; POST subscribes."""
    status = 200
    notice = ""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            reason = _rate_limited(request, form.cleaned_data["email"])
            if reason:
                form.add_error(None, reason)
                status = 429
            else:
                if not form.is_spam:
                    subscribing.request_subscription(
                        form,
                        source_url=request.POST.get("source", "")
                        or request.headers.get("referer", ""),
                        network_address=_network_address(request),
                        user=request.user,
                    )
                return redirect("newsletters:subscribe_sent")
        else:
            status = 400
    else:
        initial = {"email_language": (translation.get_language() or "en").split("-")[0]}
        try:
            query = parse_search(request.GET)
        except InvalidSearch as error:
            notice = error.message
        else:
            initial.update(SubscriptionForm.initial_from_query(query))
        form = SubscribeForm(initial=initial)
    return render(
        request,
        "newsletters/subscribe.html",
        {"form": form, "notice": notice, "source": request.headers.get("referer", "")},
        status=status,
    )


def subscribe_sent(request):
    return render(request, "newsletters/subscribe_sent.html")


def confirm(request, token):
    try:
        subscriber = subscribing.confirm(token, network_address=_network_address(request))
    except links.InvalidLink as error:
        return render(
            request, "newsletters/link_invalid.html", {"expired": error.expired}, status=400
        )
    token = links.manage_token(subscriber)
    return render(
        request,
        "newsletters/confirmed.html",
        {"preferences_url": reverse("newsletters:preferences", kwargs={"token": token})},
    )


def _subscriber_or_none(token):
    try:
        subscriber_token = links.read_manage_token(token)
    except links.InvalidLink:
        return None
    return Subscriber.objects.filter(token=subscriber_token).first()


@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = _subscriber_or_none(token)
    if subscriber is None:
        return render(request, "newsletters/link_invalid.html", {"expired": False}, status=400)
    subscriptions = list(subscriber.subscriptions.all())
    action = request.POST.get("action", "") if request.method == "POST" else ""
    network_address = _network_address(request)
    status = 200
    language_form = SubscriberPreferencesForm(instance=subscriber, prefix="subscriber")
    choices = SubscriptionForm.search_choices()
    forms_by_pk = {
        s.pk: SubscriptionForm(
            choices=choices,
            initial=SubscriptionForm.initial_from_subscription(s),
            prefix=f"s{s.pk}",
        )
        for s in subscriptions
    }
    add_form = SubscriptionForm(prefix="new", choices=choices)

    if action == "language":
        language_form = SubscriberPreferencesForm(
            request.POST, instance=subscriber, prefix="subscriber"
        )
        if language_form.is_valid():
            language_form.save()
            subscribing.record_change(
                subscriber,
                f"language={subscriber.language}",
                network_address=network_address,
            )
            return _saved(request, token, _("Your language is saved."))
        status = 400
    elif action.startswith(("update:", "delete:")):
        verb, _sep, raw_pk = action.partition(":")
        subscription = next((s for s in subscriptions if str(s.pk) == raw_pk), None)
        if subscription is None:
            return _saved(request, token, _("That alert no longer exists."))
        if verb == "delete":
            with transaction.atomic():
                description = str(subscription)
                subscription.delete()
                subscribing.record_change(
                    subscriber, f"removed {description}", network_address=network_address
                )
            return _saved(request, token, _("The alert is removed."))
        form = SubscriptionForm(request.POST, prefix=f"s{subscription.pk}", choices=choices)
        forms_by_pk[subscription.pk] = form
        if form.is_valid():
            with transaction.atomic():
                form.apply_to(subscription).save()
                subscribing.record_change(
                    subscriber, f"changed {subscription}", network_address=network_address
                )
            return _saved(request, token, _("Your alert is saved."))
        status = 400
    elif action == "add":
        add_form = SubscriptionForm(request.POST, prefix="new", choices=choices)
        if add_form.is_valid():
            with transaction.atomic():
                subscription = add_form.apply_to(Subscription(subscriber=subscriber))
                # Whoever holds this link has shown they read this address's mail.
                if subscriber.is_confirmed:
                    subscription.confirmed_at = subscription.last_digest_at = timezone.now()
                subscription.save()
                subscribing.record_change(
                    subscriber, f"added {subscription}", network_address=network_address
                )
            return _saved(request, token, _("The alert is added."))
        status = 400
    elif action == "unsubscribe":
        subscribing.unsubscribe_everything(
            subscriber, source="preferences", network_address=network_address
        )
        return render(request, "newsletters/unsubscribed.html", {"subscriber": subscriber})

    with translation.override(subscriber.language):
        describe = SearchDescriber()
        descriptions = {s.pk: describe(s) for s in subscriptions}
    return render(
        request,
        "newsletters/preferences.html",
        {
            "subscriber": subscriber,
            "language_form": language_form,
            "subscriptions": [
                {"object": s, "description": descriptions[s.pk], "form": forms_by_pk[s.pk]}
                for s in subscriptions
            ],
            "add_form": add_form,
        },
        status=status,
    )


def _saved(request, token, message):
    from django.contrib import messages

    messages.success(request, message)
    return redirect("newsletters:preferences", token=token)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def one_click_unsubscribe(request, token):
    """The List-Unsubscribe URL. A mail client's POST (RFC 8058) unsubscribes at once and
    gets no page; a person following the link gets a page with one button (a GET never
    unsubscribes: link checkers follow links)."""
    subscriber = _subscriber_or_none(token)
    one_click = request.method == "POST" and "List-Unsubscribe" in request.POST
    if subscriber is None:
        if one_click:
            return HttpResponse(status=404)
        return render(request, "newsletters/link_invalid.html", {"expired": False}, status=400)
    if request.method == "POST":
        subscribing.unsubscribe_everything(
            subscriber,
            source="one-click" if one_click else "unsubscribe page",
            network_address=_network_address(request),
        )
        if one_click:
            return HttpResponse(status=200)
    with translation.override(subscriber.language):
        return render(
            request,
            "newsletters/unsubscribe.html",
            {
                "subscriber": subscriber,
                "done": request.method == "POST",
                "preferences_url": reverse("newsletters:preferences", kwargs={"token": token}),
            },
        )
