"""Peer matching: "organisations like yours".

Two organisations are alike when they are of the same kind, serve a population of the same
band, sit in the same country or region, and publish practices on the same themes. Each
criterion adds to a score; peers are ranked by it, and each says in words why it matched.
Kind alone says little (hundreds of municipalities), so a peer shares at least one other
criterion.

It lives here rather than in `members`, which owns organisations, because the themes come
from published practices, and `members` may not import `practices`.

`find_peers` makes at most `MAX_QUERIES` queries whatever the size of the library."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import Organisation
from pagecache.restrictions import public
from taxonomy.models import Theme

from .models import PracticePage

# Population bands: [low, high). A municipality of 50,000 is in the third band.
POPULATION_BANDS = (
    (1, 10_000),
    (10_000, 50_000),
    (50_000, 250_000),
    (250_000, 1_000_000),
    (1_000_000, None),
)

# What each shared criterion adds to a peer's score. A region is shared only within the
# same country, and then adds to the country's weight; each shared theme adds its own.
KIND_WEIGHT = 3
POPULATION_WEIGHT = 2
COUNTRY_WEIGHT = 2
REGION_WEIGHT = 2
THEME_WEIGHT = 1

MAX_PEERS = 6
PRACTICES_PER_PEER = 3
# View restrictions (Wagtail's `public()`), the organisation's themes, the organisations
# sharing them, the candidates, the peers' practices.
MAX_QUERIES = 5


def population_band(population):
    """The (low, high) band of POPULATION_BANDS that `population` falls in, or None."""
    if not population:
        return None
    for low, high in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return low, high
    return None


def band_label(band):
    """The band in words, numbers grouped the active language's way."""
    low, high = band

    def number(value):
        return number_format(value, force_grouping=True)

    if low <= 1:
        return _("under %(high)s") % {"high": number(high)}
    if high is None:
        return _("%(low)s and over") % {"low": number(low)}
    return _("%(low)s–%(high)s") % {"low": number(low), "high": number(high)}


def _same_region(one, other):
    return bool(one.region.strip()) and one.region.strip().casefold() == (
        other.region.strip().casefold()
    )


@dataclass
class Peer:
    """An organisation like the one asked about, with why it matched and what it
    published."""

    organisation: Organisation
    score: int
    reasons: list = field(default_factory=list)
    shared_themes: list = field(default_factory=list)
    practices: list = field(default_factory=list)
    practice_count: int = 0


@dataclass
class PeerMatch:
    """The peers of `organisation`, best first. `has_data` says whether the organisation
    has anything to be matched on (a country, a population, published themes)."""

    organisation: Organisation
    peers: list
    has_data: bool


def find_peers(organisation, *, limit=MAX_PEERS, practices_per_peer=PRACTICES_PER_PEER):
    """The organisations most like `organisation` (never itself), best first, each with its
    reasons and its newest published practices."""
    published = public(PracticePage.objects.live())
    themes = list(
        Theme.objects.filter(
            pk__in=published.filter(lead_organisation=organisation).values("themes")
        ).order_by("sort_order", "name", "pk")
    )
    themes_by_pk = {theme.pk: theme for theme in themes}
    band = population_band(organisation.population)
    has_data = bool(organisation.country_id or band or themes)
    if not has_data:
        return PeerMatch(organisation, [], has_data=False)

    shared = {}
    alike = Q(pk__in=[])
    if themes:
        sharing = PracticePage.themes.through.objects.filter(
            theme_id__in=themes_by_pk,
            practicepage__in=published.exclude(lead_organisation=organisation).filter(
                lead_organisation__isnull=False
            ),
        )
        pairs = sharing.values_list("practicepage__lead_organisation_id", "theme_id").distinct()
        for organisation_id, theme_id in pairs:
            shared.setdefault(organisation_id, set()).add(theme_id)
        alike = Q(pk__in=sharing.values("practicepage__lead_organisation_id"))
    if organisation.country_id:
        alike |= Q(country_id=organisation.country_id)
    if band:
        low, high = band
        alike |= Q(population__gte=low) & (Q() if high is None else Q(population__lt=high))
    candidates = Organisation.objects.exclude(pk=organisation.pk).filter(alike)
    peers = [
        peer
        for candidate in candidates.select_related("country").only(
            "name", "slug", "kind", "population", "region", "country__code"
        )
        if (peer := _score(organisation, band, candidate, shared, themes_by_pk)) is not None
    ]
    peers.sort(
        key=lambda peer: (-peer.score, peer.organisation.name.casefold(), peer.organisation.pk)
    )
    peers = peers[:limit]
    if peers and practices_per_peer:
        _attach_practices(published, peers, practices_per_peer)
    return PeerMatch(organisation, peers, has_data=True)


def _score(organisation, band, candidate, shared, themes_by_pk):
    """The Peer `candidate` makes for `organisation`, or None when only its kind (or
    nothing) is shared."""
    score, reasons = 0, []
    if organisation.kind != Organisation.Kind.OTHER and candidate.kind == organisation.kind:
        score += KIND_WEIGHT
        reasons.append(_("Same kind: %(kind)s") % {"kind": candidate.get_kind_display()})
    criteria = 0
    if band and population_band(candidate.population) == band:
        score += POPULATION_WEIGHT
        criteria += 1
        reasons.append(_("Population %(band)s") % {"band": band_label(band)})
    if organisation.country_id and candidate.country_id == organisation.country_id:
        score += COUNTRY_WEIGHT
        criteria += 1
        if _same_region(organisation, candidate):
            score += REGION_WEIGHT
            reasons.append(
                _("Same region: %(region)s, %(country)s")
                % {"region": organisation.region.strip(), "country": candidate.country.name}
            )
        else:
            reasons.append(_("Same country: %(country)s") % {"country": candidate.country.name})
    shared_themes = [
        theme for pk, theme in themes_by_pk.items() if pk in shared.get(candidate.pk, ())
    ]
    if shared_themes:
        score += THEME_WEIGHT * len(shared_themes)
        criteria += 1
        count = len(shared_themes)
        reasons.append(
            ngettext(
                "%(count)d shared theme: %(themes)s",
                "%(count)d shared themes: %(themes)s",
                count,
            )
            % {"count": count, "themes": ", ".join(theme.label() for theme in shared_themes)}
        )
    if not criteria:
        return None
    return Peer(candidate, score, reasons, shared_themes)


def _attach_practices(published, peers, per_peer):
    """The newest `per_peer` published practices of each peer, and how many it has, in one
    query (a window numbers each peer's practices)."""
    by_organisation = {peer.organisation.pk: peer for peer in peers}
    newest = [F("first_published_at").desc(nulls_last=True), F("pk").desc()]
    rows = (
        published.filter(lead_organisation_id__in=by_organisation)
        .select_related("locale")
        .annotate(
            position=Window(RowNumber(), partition_by=F("lead_organisation_id"), order_by=newest),
            total=Window(Count("pk"), partition_by=F("lead_organisation_id")),
        )
        .filter(position__lte=per_peer)
        .order_by("lead_organisation_id", "position")
    )
    for practice in rows:
        peer = by_organisation[practice.lead_organisation_id]
        peer.practices.append(practice)
        peer.practice_count = practice.total
