"""Loading the demo content. Every step creates what is missing and leaves what exists alone,
so `load_demo` can run any number of times and never overwrites an editor's changes."""

import logging
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from forums.models import Forum, Post, Thread
from home.structure import ensure_site_structure
from members.models import Membership, Organisation
from practices.importers.participedia import run_import
from practices.importers.report import ImportFileError
from practices.models import (
    GuidePage,
    GuideRelatedPractice,
    GuideResource,
    Licence,
    PracticeAdaptation,
    PracticePage,
    QualityCriteriaPage,
)
from taxonomy.models import Country, Theme

from .forums import FORUM_AUTHORS, FORUMS, THREADS
from .guides import GUIDES
from .lineage import ADAPTATIONS
from .organisations import ORGANISATIONS, USERS
from .quality import CRITERIA
from .seeds import SEEDS, seed_text
from .text import body_blocks

logger = logging.getLogger(__name__)

SITE_EDITORS_GROUP = "Site editors"
SEED_ATTRIBUTION = "Seed document {stem} of Practice Commons; original text by its publisher."
GUIDE_ATTRIBUTION = "Practice Commons demo content."


def default_participedia_dir():
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "participedia"


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


class DemoLoader:
    def __init__(self, say):
        self.say = say  # callable taking one line of output
        self.trees = None

    def themes(self, slugs):
        return list(Theme.objects.filter(slug__in=slugs))

    def countries(self, codes):
        return list(Country.objects.filter(code__in=codes))

    @transaction.atomic
    def organisations_and_users(self):
        created = 0
        for data in ORGANISATIONS:
            data = dict(data)
            country = data.pop("country", None)
            _org, was_created = Organisation.objects.get_or_create(
                slug=data.pop("slug"),
                defaults={
                    **data,
                    "country": Country.objects.get(code=country) if country else None,
                },
            )
            created += was_created
        self.say(f"Organisations: {created} created, {len(ORGANISATIONS) - created} already there.")

        User = get_user_model()
        site_editors = Group.objects.filter(name=SITE_EDITORS_GROUP).first()
        for username, password, org_slug, role, flags in USERS:
            user, was_created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@demo.practice-commons.invalid",
                    "is_superuser": flags.get("is_superuser", False),
                    "is_staff": flags.get("is_staff", False),
                },
            )
            if was_created:
                user.set_password(password)
                user.save(update_fields=["password"])
                # Demo accounts sign in on the site at once, without confirming an address.
                EmailAddress.objects.get_or_create(
                    user=user, email=user.email, defaults={"verified": True, "primary": True}
                )
            if flags.get("site_editor"):
                if site_editors is None:
                    logger.warning(
                        "No %r group yet: %s is not a site editor until it exists.",
                        SITE_EDITORS_GROUP,
                        username,
                    )
                    self.say(f"  note: no “{SITE_EDITORS_GROUP}” group; {username} not added.")
                else:
                    user.groups.add(site_editors)
            if org_slug:
                Membership.objects.get_or_create(
                    user=user,
                    organisation=Organisation.objects.get(slug=org_slug),
                    defaults={"role": role},
                )
            state = "created" if was_created else "already there"
            self.say(f"  user {username!r} ({state}), password {password!r}")

    @transaction.atomic
    def seeds(self):
        organisations = {org.slug: org for org in Organisation.objects.all()}
        for seed in SEEDS:
            external_id = f"seed:{seed['stem']}"
            index = self.trees[seed["language"]].practices
            if PracticePage.objects.filter(external_id=external_id).exists():
                self.say(f"Seed {seed['stem']} ({seed['language']}): already there.")
                continue
            page = PracticePage(
                title=seed["title"],
                slug=seed["slug"],
                summary=seed["summary"],
                english_summary=seed["english_summary"],
                body=body_blocks(seed_text(seed["stem"]), seed["layout"]),
                places=seed["places"],
                programme=seed["programme"],
                status=seed["status"],
                start_date=seed.get("start_date"),
                end_date=seed.get("end_date"),
                target_groups=seed["target_groups"],
                outcomes=[
                    {"type": "indicator", "value": item} for item in seed.get("outcomes", [])
                ],
                lead_organisation=organisations.get(seed["lead"]) if seed["lead"] else None,
                original_language=seed["language"],
                source_name=seed["stem"],
                source_url=seed.get("source_url", ""),
                licence=Licence.OTHER,
                attribution=SEED_ATTRIBUTION.format(stem=seed["stem"]),
                external_id=external_id,
            )
            page.themes.set(self.themes(seed["themes"]))
            page.countries.set(self.countries(seed["countries"]))
            page.partner_organisations.set([organisations[slug] for slug in seed["partners"]])
            index.add_child(instance=page)
            _publish(page)
            self.say(f"Seed {seed['stem']} ({seed['language']}): created “{page.title[:60]}”.")

    @transaction.atomic
    def lineage(self):
        """The demo's chain of adapted seeds (demo/lineage.py), published as a revision of
        each adapted practice so that its citations carry it."""
        seeds = {
            page.external_id.removeprefix("seed:"): page
            for page in PracticePage.objects.filter(external_id__startswith="seed:")
        }
        for adapted_stem, source_stem, what_changed, why in ADAPTATIONS:
            adapted, source = seeds.get(adapted_stem), seeds.get(source_stem)
            if adapted is None or source is None:
                self.say(f"Lineage {source_stem} → {adapted_stem}: a seed is missing; skipped.")
                continue
            if PracticeAdaptation.objects.filter(page=adapted, source=source).exists():
                self.say(f"Lineage {source_stem} → {adapted_stem}: already there.")
                continue
            adapted.adapted_from.add(
                PracticeAdaptation(source=source, what_changed=what_changed, why=why)
            )
            _publish(adapted)
            self.say(f"Lineage {source_stem} → {adapted_stem}: created.")

    @transaction.atomic
    def quality_criteria(self):
        """The English quality criteria page (demo/quality.py), under the home page."""
        home = self.trees[settings.LANGUAGE_CODE].home
        if QualityCriteriaPage.objects.child_of(home).exists():
            self.say("Quality criteria: already there.")
            return
        page = QualityCriteriaPage(
            title=CRITERIA["title"],
            slug=CRITERIA["slug"],
            introduction=CRITERIA["introduction"],
            body=[("paragraph", criterion) for criterion in CRITERIA["criteria"]],
        )
        home.add_child(instance=page)
        _publish(page)
        self.say(f"Quality criteria: created with {len(CRITERIA['criteria'])} criteria.")

    @transaction.atomic
    def guides(self):
        index = self.trees[settings.LANGUAGE_CODE].guides
        for data in GUIDES:
            if GuidePage.objects.filter(slug=data["slug"]).child_of(index).exists():
                self.say(f"Guide {data['slug']}: already there.")
                continue
            page = GuidePage(
                title=data["title"],
                slug=data["slug"],
                summary=data["summary"],
                audience=data["audience"],
                introduction=data["introduction"],
                steps=[
                    {
                        "type": "step",
                        "value": {
                            "title": title,
                            "body": body,
                            "resources": [
                                {"title": name, "url": url, "document": None}
                                for name, url in resources
                            ],
                        },
                    }
                    for title, body, resources in data["steps"]
                ],
                original_language=settings.LANGUAGE_CODE,
                licence=Licence.CC_BY,
                attribution=GUIDE_ATTRIBUTION,
            )
            page.themes.set(self.themes(data["themes"]))
            page.countries.set(self.countries(data["countries"]))
            related = {
                practice.external_id: practice
                for practice in PracticePage.objects.filter(external_id__in=data["related"])
            }
            page.related_practices = [
                GuideRelatedPractice(practice=related[key])
                for key in data["related"]
                if key in related
            ]
            page.resources = [
                GuideResource(title=name, url=url)
                for _title, _body, resources in data["steps"]
                for name, url in resources
            ]
            index.add_child(instance=page)
            _publish(page)
            self.say(
                f"Guide {data['slug']}: created, linked to {len(page.related_practices.all())} "
                "practices."
            )

    @transaction.atomic
    def featured_collections(self):
        home = self.trees[settings.LANGUAGE_CODE].home
        if home.featured_collections:
            self.say("Home page: featured collections already chosen; left as they are.")
            return
        seeds = list(
            PracticePage.objects.filter(external_id__startswith="seed:").order_by("external_id")
        )
        guides = list(GuidePage.objects.child_of(self.trees[settings.LANGUAGE_CODE].guides)[:6])
        budgeting = list(
            PracticePage.objects.live()
            .filter(themes__slug="participatory-budgeting", locale=home.locale)
            .order_by("-first_published_at")
            .distinct()[:6]
        )
        collections = [
            (
                "Local governments and civil society, in their own words",
                "Five programme descriptions in Arabic, Macedonian, Romanian, Polish and "
                "Georgian, each with an English summary.",
                seeds,
            ),
            ("Guides to get started", "Step-by-step guides with resources.", guides),
            (
                "Participatory budgeting around the world",
                "Recent participatory-budgeting cases from Participedia.",
                budgeting,
            ),
        ]
        home.featured_collections = [
            {
                "type": "collection",
                "value": {"title": title, "description": text, "items": [p.pk for p in pages]},
            }
            for title, text, pages in collections
            if pages
        ]
        _publish(home)
        self.say(f"Home page: {len(home.featured_collections)} featured collections.")

    @transaction.atomic
    def forums(self):
        """The demo forums and their threads, dated over the last weeks. Needs the demo
        accounts (`organisations_and_users`)."""
        User = get_user_model()
        for username, first_name, last_name in FORUM_AUTHORS:
            author, was_created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@demo.practice-commons.invalid",
                },
            )
            if was_created:
                # Invented people: their posts are demo content, their accounts sign nobody in.
                author.set_unusable_password()
                author.save(update_fields=["password"])
        forums = {}
        for slug, name, description, theme, position in FORUMS:
            forums[slug], _created = Forum.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "description": description,
                    "theme": Theme.objects.filter(slug=theme).first(),
                    "position": position,
                },
            )
        usernames = {username for data in THREADS for _hours, username, _body in data["posts"]}
        users = {user.username: user for user in User.objects.filter(username__in=usernames)}
        now = timezone.now().replace(second=0, microsecond=0)
        created = 0
        for data in THREADS:
            forum = forums[data["forum"]]
            if Thread.objects.filter(forum=forum, title=data["title"]).exists():
                continue
            start = now - timedelta(days=data["days_ago"])
            thread = Thread.objects.create(
                forum=forum,
                title=data["title"],
                author=users.get(data["posts"][0][1]),
                language=data["language"],
                created_at=start,
                is_pinned=data.get("pinned", False),
                is_locked=data.get("locked", False),
            )
            thread.themes.set(self.themes(data["themes"]))
            thread.countries.set(self.countries(data["countries"]))
            for hours, username, body in data["posts"]:
                moment = start + timedelta(hours=hours)
                Post.objects.create(
                    thread=thread, author=users.get(username), body=body, created_at=moment
                )
            created += 1
        self.say(
            f"Forums: {len(forums)} forums; {created} threads created, "
            f"{len(THREADS) - created} already there."
        )

    def run(self, participedia_dir=None):
        self.trees = ensure_site_structure()
        self.say(f"Site structure ready in {len(self.trees)} locales.")
        self.organisations_and_users()
        self.seeds()
        self.lineage()
        self.participedia(participedia_dir or default_participedia_dir())
        self.guides()
        self.quality_criteria()
        self.featured_collections()
        self.forums()

    def participedia(self, directory):
        directory = Path(directory)
        files = sorted(directory.glob("*.csv")) if directory.is_dir() else []
        if not files:
            logger.warning("No Participedia exports in %s; skipping the import.", directory)
            self.say(f"Participedia: no CSV files in {directory}; import skipped.")
            return
        self.say(f"Participedia: importing {', '.join(path.name for path in files)}…")
        try:
            report = run_import(files)
        except ImportFileError as error:
            # The demo is still useful without Participedia; say why it is missing.
            logger.warning("Participedia import skipped: %s", error)
            self.say(f"Participedia: import skipped, nothing imported: {error}")
            return
        for line in report.lines():
            self.say(f"  {line}")
