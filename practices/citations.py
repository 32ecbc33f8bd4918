"""Citations of practices and guides, pinned to one published revision.

A citation names the revision's date and a permanent URL (`cite_revision`) that shows that
revision read-only however the page changes later. Only revisions that were published can
be cited or shown: a draft never is. The formats are written here rather than by a
bibliography library because each is a few lines of a stable format and what matters is the
escaping, which the tests pin down."""

import copy
import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageLogEntry, Revision

from pagecache.memo import remembered

SITE_NAME = getattr(settings, "WAGTAIL_SITE_NAME", "Practice Commons")

# Download formats: file extension, content type.
FORMATS = {
    "bib": ("bib", "application/x-bibtex"),
    "ris": ("ris", "application/x-research-info-systems"),
    "json": ("json", "application/vnd.citationstyles.csl+json"),
}

PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


def published_revision(page, revision_id):
    """(revision, when it was published) of `page` if that revision was ever published,
    else None. A revision counts as published when Wagtail logged its publication or it is
    the page's live revision (pages published before logging existed)."""
    revision = (
        Revision.page_revisions.filter(pk=revision_id, object_id=str(page.pk))
        .select_related("user")
        .first()
    )
    if revision is None:
        return None
    published_at = (
        PageLogEntry.objects.filter(page_id=page.pk, revision_id=revision.pk)
        .filter(action__in=PUBLISH_ACTIONS)
        .order_by("timestamp")
        .values_list("timestamp", flat=True)
        .first()
    )
    if published_at is None and page.live_revision_id != revision.pk:
        return None
    return revision, published_at or revision.created_at


def revision_path(page, revision_id, fmt=None):
    """The permanent path of a revision (or of its citation in `fmt`), in the page's language."""
    kwargs = {"page_id": page.pk, "revision_id": revision_id}
    with translation.override(page.locale.language_code):
        if fmt is None:
            return reverse("cite_revision", kwargs=kwargs)
        return reverse("cite_download", kwargs={**kwargs, "fmt": fmt})


def citation_for(page, request):
    """The citation of `page`'s live revision, or None when it has none (imported pages are
    published without revisions until an editor publishes them once). It quotes the
    revision, not the page object: in a preview that is a draft, and an import may have
    changed the page since its last revision."""
    if not page.live_revision_id:
        return None
    # The live revision and when it was published do not change until the page is
    # published again (a new live revision, a new key): remembered per content generation,
    # 2 queries of every practice and guide page with a revision (a guide page 11 → 9,
    # bench/request_cpu.py at 100,000 practices). A preview has the live page's key.
    found = remembered(
        f"practices:published-revision:{page.pk}:{page.live_revision_id}",
        lambda: published_revision(page, page.live_revision_id),
    )
    if found is None:
        return None
    revision, published_at = found
    return Citation(
        page=cited_version(page, revision),
        revision=revision,
        published_at=published_at,
        request=request,
    )


def cited_version(page, revision):
    """`page` with what a citation quotes of it (title, summary, lead organisation; its key
    and language no revision changes) as `revision` has it. Rebuilding the whole revision
    (`Revision.as_object()`: every relation, each page chosen in its blocks) was 20 queries
    and about a third of a guide page's CPU (bench/pages.py: 113 ms, 41 queries at 100,000
    practices); the cite view, which shows the whole revision, still rebuilds it."""
    content = revision.content
    version = copy.copy(page)
    version.title = content.get("title", page.title)
    version.summary = content.get("summary", page.summary)
    organisation_id = content.get("lead_organisation", page.lead_organisation_id)
    if organisation_id != page.lead_organisation_id:
        # As `as_object` would: an organisation deleted since the revision is no author.
        version.lead_organisation = (
            page._meta.get_field("lead_organisation")
            .related_model.objects.filter(pk=organisation_id)
            .first()
        )
    return version


def _one_line(value):
    """Formats that work line by line get no line breaks or control characters."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", str(value or "")).strip()


BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_SPECIAL = re.compile("|".join(re.escape(char) for char in BIBTEX_SPECIALS))


def bibtex_escape(value):
    """LaTeX's special characters escaped, braces balanced by construction; other
    characters (Georgian, Arabic, Cyrillic...) stay as UTF-8, which biber and BibTeX8 read."""
    return BIBTEX_SPECIAL.sub(lambda match: BIBTEX_SPECIALS[match.group()], _one_line(value))


@dataclass
class Citation:
    """`page` as it is in `revision` (the revision's object, or the live page when the
    revision is its live one)."""

    page: object
    revision: Revision
    published_at: datetime
    request: object

    @property
    def kind(self):
        return self.page._meta.model_name.removesuffix("page")  # "practice" or "guide"

    @property
    def date(self):
        return timezone.localtime(self.published_at).date()

    @property
    def url(self):
        return self.request.build_absolute_uri(revision_path(self.page, self.revision.pk))

    def download_url(self, fmt):
        return revision_path(self.page, self.revision.pk, fmt)

    @property
    def downloads(self):
        return [
            {"fmt": fmt, "url": self.download_url(fmt), "content_type": content_type}
            for fmt, (_ext, content_type) in FORMATS.items()
        ]

    @property
    def author(self):
        organisation = self.page.lead_organisation
        return organisation.name if organisation else ""

    @property
    def key(self):
        return f"practicecommons{self.page.pk}r{self.revision.pk}"

    @property
    def filename(self):
        return f"practice-commons-{self.page.pk}-{self.revision.pk}"

    @property
    def medium(self):
        return "Practice" if self.kind == "practice" else "Guide"

    def apa(self):
        """APA 7 style for a web page: Author. (Year, Month Day). Title [Practice]. Site. URL"""
        date = self.date
        when = f"{date.year}, {date:%B} {date.day}"
        title = _one_line(self.page.title).rstrip(".")
        described = f"{title} [{self.medium}]"
        if self.author:
            head = f"{_one_line(self.author).rstrip('.')}. ({when}). {described}."
        else:
            head = f"{described}. ({when})."
        return f"{head} {SITE_NAME}. {self.url}"

    def bibtex(self):
        date = self.date
        fields = [
            ("title", "{" + bibtex_escape(self.page.title) + "}"),
            ("author", "{" + bibtex_escape(self.author) + "}" if self.author else ""),
            ("year", str(date.year)),
            ("month", str(date.month)),
            ("date", date.isoformat()),
            ("publisher", bibtex_escape(SITE_NAME)),
            ("howpublished", bibtex_escape(SITE_NAME)),
            ("url", self.url),
            ("language", self.page.locale.language_code),
            ("note", bibtex_escape(f"{self.medium}, version of {date.isoformat()}")),
            ("abstract", bibtex_escape(self.page.summary)),
        ]
        lines = [f"@misc{{{self.key},"]
        lines += [f"  {name} = {{{value}}}," for name, value in fields if value]
        lines.append("}")
        return "\n".join(lines) + "\n"

    def ris(self):
        """RIS: one "TAG  - value" line each, CR LF line ends, closed by "ER  - "."""
        date = self.date
        tags = [
            ("TY", "ELEC"),
            ("TI", self.page.title),
            ("AU", self.author),
            ("PY", str(date.year)),
            ("DA", date.strftime("%Y/%m/%d")),
            ("ET", f"Version of {date.isoformat()}"),
            ("PB", SITE_NAME),
            ("DB", SITE_NAME),
            ("UR", self.url),
            ("LA", self.page.locale.language_code),
            ("AB", self.page.summary),
            ("M3", self.medium),
            ("ID", self.key),
        ]
        lines = [f"{tag}  - {_one_line(value)}" for tag, value in tags if _one_line(value)]
        lines.append("ER  - ")
        return "\r\n".join(lines) + "\r\n"

    def csl(self):
        date = self.date
        item = {
            "id": self.key,
            "type": "webpage",
            "title": self.page.title,
            "issued": {"date-parts": [[date.year, date.month, date.day]]},
            "URL": self.url,
            "container-title": SITE_NAME,
            "publisher": SITE_NAME,
            "genre": self.medium,
            "language": self.page.locale.language_code,
            "version": date.isoformat(),
            "abstract": self.page.summary,
        }
        if self.author:
            item["author"] = [{"literal": self.author}]
        return [item]

    def csl_json(self):
        return json.dumps(self.csl(), ensure_ascii=False, indent=2) + "\n"

    def render(self, fmt):
        return {"bib": self.bibtex, "ris": self.ris, "json": self.csl_json}[fmt]()
