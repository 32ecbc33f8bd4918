"""The forum on practice and guide pages: "Ask the implementers"."""

from django import template

from forums.models import Thread

register = template.Library()

QUESTIONS_SHOWN = 10


@register.inclusion_tag("forums/includes/page_questions.html", takes_context=True)
def page_questions(context, page):
    """The questions asked about `page` (with their accepted answers) and a link to ask."""
    threads = list(
        Thread.objects.filter(about_page=page.pk, post_count__gt=0)
        .select_related("forum", "author", "accepted_post__author")
        .order_by("-last_post_at", "-pk")[:QUESTIONS_SHOWN]
    )
    return {"page": page, "threads": threads, "request": context.get("request")}
