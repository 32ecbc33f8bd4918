"""What the read API says of each kind of item. List entries are the search's documents, with
the columns of the exports (`search.export.COLUMNS`) and the address of the item's detail;
details read the item itself. Contact addresses and anything else never shown on the site
stay out."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from editorial.sanitize import plain_text
from search.export import COLUMNS
from search.indexing import plain_text as html_to_text

DETAIL_ROUTES = {
    "practice": "api:practice-detail",
    "guide": "api:guide-detail",
    "organisation": "api:organisation-detail",
    "thread": "api:thread-detail",
}

_FIELD_TYPES = {
    "string": lambda column: serializers.CharField(
        help_text=str(column.meaning), allow_null=column.nullable
    ),
    "integer": lambda column: serializers.IntegerField(
        help_text=str(column.meaning), allow_null=column.nullable
    ),
    "array": lambda column: serializers.ListField(
        child=serializers.CharField(), help_text=str(column.meaning)
    ),
}


def detail_url(request, object_type, object_id):
    return request.build_absolute_uri(reverse(DETAIL_ROUTES[object_type], args=[object_id]))


class SearchItemSerializer(serializers.Serializer):
    """One search result: an export row (see the codebook) and where its details are."""

    detail = serializers.URLField(help_text="Address of the item's details in this API.")

    def get_fields(self):
        fields = {name: field for name, field in super().get_fields().items()}
        columns = {column.name: _FIELD_TYPES[column.type](column) for column in COLUMNS}
        columns["published_at"] = serializers.DateTimeField(
            allow_null=True, help_text=columns["published_at"].help_text
        )
        columns["url"] = serializers.URLField(help_text=columns["url"].help_text)
        return {**columns, **fields}


def _list_serializer(name, item_kind):
    return type(
        name,
        (serializers.Serializer,),
        {
            "__doc__": f"A page of {item_kind}: the search's total, next and previous pages.",
            "count": serializers.IntegerField(help_text="Number of results of the search."),
            "next": serializers.URLField(
                allow_null=True, help_text="The next page of results; null on the last."
            ),
            "previous": serializers.URLField(
                allow_null=True, help_text="The previous page of results; null on the first."
            ),
            "results": SearchItemSerializer(many=True),
        },
    )


PracticeListSerializer = _list_serializer("PracticeList", "practices")
GuideListSerializer = _list_serializer("GuideList", "guides")
OrganisationListSerializer = _list_serializer("OrganisationList", "organisations")
ThreadListSerializer = _list_serializer("ThreadList", "forum threads")


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="What is wrong, in words.")
    parameter = serializers.CharField(help_text="The query parameter at fault.")


class NotFoundSerializer(serializers.Serializer):
    detail = serializers.CharField()


class SlugsField(serializers.ListField):
    """Slugs (themes) or codes (countries) of a prefetched many-to-many relation."""

    def __init__(self, attribute, **kwargs):
        self.attribute = attribute
        super().__init__(child=serializers.CharField(), read_only=True, **kwargs)

    def to_representation(self, manager):
        return [getattr(item, self.attribute) for item in manager.all()]


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    detail = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_detail(self, organisation):
        return detail_url(self.context["request"], "organisation", organisation.pk)


class LibraryPageSerializer(serializers.Serializer):
    """What practices and guides share."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    language = serializers.CharField(source="locale.language_code")
    url = serializers.SerializerMethodField()
    summary = serializers.CharField()
    english_summary = serializers.CharField()
    themes = SlugsField("slug", help_text="Theme slugs.")
    countries = SlugsField("code", help_text="ISO 3166-1 alpha-2 codes.")
    year = serializers.IntegerField(allow_null=True)
    lead_organisation = OrganisationRefSerializer(allow_null=True)
    tags = SlugsField("name")
    original_language = serializers.CharField()
    source = serializers.CharField(help_text="A URL or a document name; may be empty.")
    licence = serializers.CharField()
    licence_url = serializers.CharField()
    attribution = serializers.CharField()
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.URLField())
    def get_url(self, page):
        return self.context["request"].build_absolute_uri(page.get_url() or page.url_path)


def _stream_text(page, field_name):
    field = page._meta.get_field(field_name)
    return "\n".join(
        html_to_text(text) for text in field.get_searchable_content(getattr(page, field_name))
    )


class PracticeSerializer(LibraryPageSerializer):
    status = serializers.CharField()
    places = serializers.CharField()
    programme = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    budget_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    budget_currency = serializers.CharField()
    target_groups = serializers.CharField()
    people_reached = serializers.IntegerField(allow_null=True)
    partner_organisations = OrganisationRefSerializer(many=True)
    body = serializers.SerializerMethodField(help_text="The practice's text, plain.")
    lessons_learned = serializers.SerializerMethodField()

    def get_body(self, page) -> str:
        return _stream_text(page, "body")

    def get_lessons_learned(self, page) -> str:
        return html_to_text(page.lessons_learned)


class GuideSerializer(LibraryPageSerializer):
    audience = serializers.CharField()
    introduction = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField(help_text="The guide's steps, plain text.")

    def get_introduction(self, page) -> str:
        return html_to_text(page.introduction)

    def get_steps(self, page) -> str:
        return _stream_text(page, "steps")


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    country = serializers.CharField(source="country.code", allow_null=True, default=None)
    region = serializers.CharField()
    city = serializers.CharField()
    population = serializers.IntegerField(allow_null=True)
    website = serializers.CharField()
    description = serializers.CharField()
    themes = SlugsField("slug")
    source_url = serializers.CharField()
    created_at = serializers.DateTimeField()


class ForumRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class PostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.SerializerMethodField(help_text="The post, plain text.")
    created_at = serializers.DateTimeField()

    def get_text(self, post) -> str:
        return plain_text(post.body)


class ThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    language = serializers.CharField()
    url = serializers.SerializerMethodField()
    forum = ForumRefSerializer()
    themes = SlugsField("slug")
    countries = SlugsField("code")
    created_at = serializers.DateTimeField()
    last_post_at = serializers.DateTimeField()
    post_count = serializers.IntegerField()
    is_locked = serializers.BooleanField()
    posts = PostSerializer(many=True, help_text="The thread's posts, oldest first.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, thread):
        return self.context["request"].build_absolute_uri(thread.get_absolute_url())
