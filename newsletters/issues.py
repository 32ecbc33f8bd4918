"""Curated issues: rendering one as an email, choosing its audience, sending it once."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from delivery.pipeline import queue

from .emails import render_email
from .models import IssueSending, NewsletterIssuePage, Subscriber, Subscription
from .subscribing import KIND_ISSUE

KIND_TEST = "newsletters.test"
THEME_DEPTH = 6


def _absolute(url):
    if url.startswith(("http://", "https://")):
        return url
    return settings.NEWSLETTERS_BASE_URL.rstrip("/") + url


def _picks(issue):
    chosen = [(block.value["page"], block.value["note"]) for block in issue.picks]
    pages = Page.objects.live().filter(pk__in=[page.pk for page, _ in chosen if page]).specific()
    by_pk = {page.pk: page for page in pages}
    return [
        {
            "title": by_pk[page.pk].title,
            "url": _absolute(by_pk[page.pk].get_url() or ""),
            "summary": Truncator(strip_tags(getattr(by_pk[page.pk], "summary", ""))).chars(400),
            "note": note,
        }
        for page, note in chosen
        if page and page.pk in by_pk
    ]


def render_issue(issue):
    language = issue.locale.language_code
    context = {
        "issue": issue,
        "introduction": expand_db_html(issue.introduction),
        "introduction_text": strip_tags(expand_db_html(issue.introduction)),
        "picks": _picks(issue),
        "sections": [
            {
                "heading": block.value["heading"],
                "html": expand_db_html(block.value["body"].source),
                "text": strip_tags(expand_db_html(block.value["body"].source)),
            }
            for block in issue.sections
        ],
        "permalink": _absolute(issue.get_url() or ""),
    }
    with translation.override(language):
        return render_email(language, "newsletters/email/issue", issue.title, context)


def _with_ancestors(slugs):
    """The themes and the themes above them: a reader of a broad theme reads its parts."""
    from taxonomy.models import Theme

    parents = dict(Theme.objects.values_list("slug", "parent__slug"))
    result = set()
    for slug in slugs:
        for _depth in range(THEME_DEPTH):
            if slug is None or slug in result:
                break
            result.add(slug)
            slug = parents.get(slug)
    return result


def audience(issue):
    """Ids of the confirmed subscribers of the issue's language with a confirmed alert that
    shares its themes (or has none) and its countries (or has none)."""
    themes = _with_ancestors(issue.audience_themes.values_list("slug", flat=True))
    countries = set(issue.audience_countries.values_list("code", flat=True))
    rows = Subscription.objects.filter(
        confirmed_at__isnull=False,
        subscriber__status=Subscriber.Status.CONFIRMED,
        subscriber__language=issue.locale.language_code,
    ).values_list("subscriber_id", "themes", "countries")
    return {
        subscriber_id
        for subscriber_id, own_themes, own_countries in rows
        if (not themes or not own_themes or themes.intersection(own_themes))
        and (not countries or not own_countries or countries.intersection(own_countries))
    }


def send_issue(issue):
    """Queue the issue to its audience, once: returns the Send, or None when it had been
    sent already."""
    with transaction.atomic():
        # Two publications at once: the second waits here, then finds the first's row.
        NewsletterIssuePage.objects.select_for_update().filter(pk=issue.pk).exists()
        if IssueSending.objects.filter(issue_id=issue.pk).exists():
            return None
        rendered = render_issue(issue)
        ids = sorted(audience(issue))
        subscribers = Subscriber.objects.filter(pk__in=ids).order_by("pk").iterator()
        send = queue(
            KIND_ISSUE,
            (rendered.for_subscriber(subscriber) for subscriber in subscribers),
            send_label=issue.title,
        )
        IssueSending.objects.create(issue_id=issue.pk, recipients=send.total)
    return send


def send_test(issue, user):
    """The issue as its readers will get it, to `user`'s own address."""
    reader = Subscriber(email=user.email, language=issue.locale.language_code, token="test")
    return queue(KIND_TEST, [render_issue(issue).for_subscriber(reader)], send_label=issue.title)
