"""The forum on practice and guide pages: "Ask the implementers"."""

from django import template
from django.contrib.auth.models import AnonymousUser

from forums.models import Thread
from pagecache.memo import remembered

register = template.Library()

QUESTIONS_SHOWN = 10


@register.inclusion_tag("forums/includes/page_questions.html", takes_context=True)
def page_questions(context, page):
    """The questions asked about `page` (with their accepted answers) and a link to ask: of
    the forums the visitor may read."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()

    def read():
        return list(
            Thread.objects.readable_by(user)
            .filter(about_page=page.pk, post_count__gt=0)
            .select_related("forum", "author", "accepted_post__author")
            .order_by("-last_post_at", "-pk")[:QUESTIONS_SHOWN]
        )

    # What anonymous visitors may read is the same for all of them until the content
    # changes: remembered per page and content generation, a query of every practice and
    # guide page (bench/request_cpu.py); a member's forums are their own.
    if user.is_authenticated:
        threads = read()
    else:
        threads = remembered(f"forums:page-questions:{page.pk}", read)
    return {"page": page, "threads": threads, "request": request}
