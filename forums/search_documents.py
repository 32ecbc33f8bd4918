"""Forum threads as search documents: one per thread, in the thread's language. A thread's
document depends on its posts and counters, so `forums.signal_handlers` rewrites it after
recounting them, in the same transaction, rather than search following the saves."""

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import translation

from editorial.sanitize import plain_text, truncate_words
from search.indexing import FOLLOWS_OWN_HANDLERS, DocumentBuilder, register

SUMMARY_LENGTH = 600


class ThreadBuilder(DocumentBuilder):
    """Title: the thread's. Summary: its first post. Body: the replies. The forum's name is a
    label and its theme counts among the thread's themes."""

    object_type = "thread"
    follows = FOLLOWS_OWN_HANDLERS

    @property
    def model(self):
        from .models import Thread

        return Thread

    def queryset(self):
        from .models import Post, PostStatus

        # A thread without posts exists only while its first post is being written.
        return (
            self.model.objects.filter(post_count__gt=0)
            .select_related("forum__theme")
            .prefetch_related(
                "themes",
                "countries",
                Prefetch(
                    "posts",
                    queryset=Post.objects.filter(status=PostStatus.PUBLISHED)
                    .order_by("created_at", "pk")
                    .only("pk", "thread_id", "body", "created_at"),
                ),
            )
        )

    def language(self, thread):
        return thread.language

    def tagged_with(self, theme_ids):
        tagged = Q(themes__in=theme_ids) | Q(forum__theme__in=theme_ids)
        return self.model.objects.filter(tagged).values_list("pk", flat=True)

    def fields(self, thread, labels):
        texts = [plain_text(post.body) for post in thread.posts.all()]
        opening = texts[0] if texts else ""
        summary = truncate_words(opening, SUMMARY_LENGTH)
        # Words past the summary's cut stay findable.
        body = texts[1:] if summary == opening else texts
        themes = list(thread.themes.all())
        if thread.forum.theme is not None:
            themes.append(thread.forum.theme)
        # The same URL whichever language the request that saved it was in.
        with translation.override(settings.LANGUAGE_CODE):
            url = thread.get_absolute_url()
        return {
            "title": thread.title,
            "summary": summary,
            "body": "\n".join(text for text in body if text),
            "extra_labels": thread.forum.name,
            "themes": themes,
            "countries": [country.code for country in thread.countries.all()],
            "year": None,
            "organisation": "",
            "organisation_name": "",
            "url": url,
            "source": "",
            "published_at": thread.created_at,
        }


register(ThreadBuilder())
