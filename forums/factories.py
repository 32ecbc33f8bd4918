"""Forums, threads and posts for tests. A thread gets its first post unless
`first_post=False`; `first_post="<p>…</p>"` sets its body. `themes` and `countries` take
slugs / ISO codes or model instances."""

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from members.factories import UserFactory
from taxonomy.models import Country, Theme

from .models import Forum, Post, Thread


class ForumFactory(DjangoModelFactory):
    class Meta:
        model = Forum
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.LazyAttribute(lambda forum: slugify(forum.name))
    description = factory.LazyAttribute(lambda forum: f"Talk about {forum.name.lower()}.")


class ThreadFactory(DjangoModelFactory):
    class Meta:
        model = Thread
        skip_postgeneration_save = True

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"Thread {n}")
    author = factory.SubFactory(UserFactory)
    language = "en"

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(
                [v if isinstance(v, Theme) else Theme.objects.get(slug=v) for v in extracted]
            )

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(
                [
                    v if isinstance(v, Country) else Country.objects.get(code=v.upper())
                    for v in extracted
                ]
            )

    @factory.post_generation
    def first_post(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        body = extracted or f"<p>Opening post of {self.title}.</p>"
        PostFactory(thread=self, author=self.author, body=body)
        self.refresh_from_db()


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory, first_post=False)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"<p>Reply number {n}.</p>")
