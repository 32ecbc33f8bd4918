"""Lineage: which practice was adapted from which, and the chain a practice belongs to,
laid out for the transfer graph the practice page draws as SVG (templates/practices/
includes/lineage.html). The layout is computed here so the graph needs no JavaScript:
columns are generations (a source stands left of what was adapted from it), rows are the
practices of a generation."""

from dataclasses import dataclass

from django.db.models import Q

from pagecache.restrictions import public

from .models import PracticeAdaptation, PracticePage

# Enough for any chain the library is likely to hold; a larger family is cut at the
# practices furthest from the one shown, and the graph says so.
MAX_NODES = 40

NODE_WIDTH = 220
NODE_HEIGHT = 64
COLUMN_GAP = 60
ROW_GAP = 20
MARGIN = 8
TITLE_CHARACTERS = 30


def descendant_ids(page_id):
    """Ids of the practices adapted from `page_id`, directly or through others."""
    found = set()
    frontier = {page_id}
    while frontier:
        frontier = (
            set(
                PracticeAdaptation.objects.filter(source_id__in=frontier).values_list(
                    "page_id", flat=True
                )
            )
            - found
            - {page_id}
        )
        found |= frontier
    return found


def _family_edges(page_id):
    """(source id, adapted id, what changed, why) of every adaptation linked to `page_id`
    through others, both ways, and whether the family was cut at MAX_NODES."""
    seen = {page_id}
    frontier = {page_id}
    edges = {}
    cut = False
    while frontier:
        rows = PracticeAdaptation.objects.filter(
            Q(source_id__in=frontier) | Q(page_id__in=frontier)
        ).values_list("pk", "source_id", "page_id", "what_changed", "why")
        next_frontier = set()
        for pk, source_id, adapted_id, what_changed, why in rows:
            for node in (source_id, adapted_id):
                if node not in seen:
                    if len(seen) >= MAX_NODES:
                        cut = True
                        break
                    seen.add(node)
                    next_frontier.add(node)
            else:
                edges[pk] = (source_id, adapted_id, what_changed, why)
        frontier = next_frontier
    return list(edges.values()), cut


@dataclass
class Node:
    page: PracticePage
    is_current: bool
    column: int = 0
    row: int = 0

    @property
    def x(self):
        return MARGIN + self.column * (NODE_WIDTH + COLUMN_GAP)

    @property
    def y(self):
        return MARGIN + self.row * (NODE_HEIGHT + ROW_GAP)

    @property
    def text_x(self):
        return self.x + 10

    @property
    def title_y(self):
        return self.y + 24

    @property
    def countries_y(self):
        return self.y + 46

    @property
    def short_title(self):
        title = self.page.title
        return title if len(title) <= TITLE_CHARACTERS else title[: TITLE_CHARACTERS - 1] + "…"

    @property
    def country_names(self):
        return ", ".join(country.name for country in self.page.countries.all())


@dataclass
class Edge:
    source: Node
    target: Node
    what_changed: str
    why: str

    @property
    def path(self):
        """A curve from the right edge of the source to the left edge of the adapted one."""
        x1 = self.source.x + NODE_WIDTH
        y1 = self.source.y + NODE_HEIGHT // 2
        x2 = self.target.x - 6  # room for the arrow head
        y2 = self.target.y + NODE_HEIGHT // 2
        middle = (x1 + x2) // 2
        return f"M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}"


@dataclass
class Graph:
    nodes: list
    edges: list
    cut: bool = False
    width: int = 0
    height: int = 0


def transfer_graph(page):
    """The chain `page` belongs to, among live, public practices; None when it has no
    adaptation either way."""
    raw_edges, cut = _family_edges(page.pk)
    if not raw_edges:
        return None
    ids = {node for source_id, adapted_id, *_ in raw_edges for node in (source_id, adapted_id)}
    pages = {
        practice.pk: practice
        for practice in public(PracticePage.objects.live())
        .filter(pk__in=ids)
        .select_related("locale")
        .prefetch_related("countries")
    }
    if page.pk not in pages:
        # The page shown is a preview or a cited revision of a page that is live.
        pages[page.pk] = page
    nodes = {pk: Node(page=practice, is_current=pk == page.pk) for pk, practice in pages.items()}
    edges = [
        Edge(nodes[source_id], nodes[adapted_id], what_changed, why)
        for source_id, adapted_id, what_changed, why in raw_edges
        if source_id in nodes and adapted_id in nodes
    ]
    if not edges:
        return None
    linked = {edge.source.page.pk for edge in edges} | {edge.target.page.pk for edge in edges}
    nodes = {pk: node for pk, node in nodes.items() if pk in linked}
    # Longest path from a practice with no source; bounded in case rows made outside the
    # admin's check ever form a circle.
    for _round in range(len(nodes)):
        moved = False
        for edge in edges:
            if edge.target.column < edge.source.column + 1 and edge.target is not edge.source:
                edge.target.column = edge.source.column + 1
                moved = True
        if not moved:
            break
    columns = {}
    for node in sorted(nodes.values(), key=lambda node: (node.column, node.page.title)):
        node.row = columns.get(node.column, 0)
        columns[node.column] = node.row + 1
    width = MARGIN * 2 + (max(columns) + 1) * NODE_WIDTH + max(columns) * COLUMN_GAP
    height = MARGIN * 2 + max(columns.values()) * (NODE_HEIGHT + ROW_GAP) - ROW_GAP
    ordered_edges = sorted(
        edges, key=lambda edge: (edge.source.column, edge.source.row, edge.target.row)
    )
    return Graph(
        nodes=sorted(nodes.values(), key=lambda node: (node.column, node.row)),
        edges=ordered_edges,
        cut=cut,
        width=width,
        height=height,
    )


def sources_of(page):
    """The adaptations `page` names as its sources (as the shown version has them), whose
    source is live and public."""
    adaptations = [adaptation for adaptation in page.adapted_from.all() if adaptation.source_id]
    live = public(PracticePage.objects.live()).select_related("locale")
    sources = live.prefetch_related("countries").in_bulk(
        [adaptation.source_id for adaptation in adaptations]
    )
    for adaptation in adaptations:
        if adaptation.source_id in sources:
            adaptation.source = sources[adaptation.source_id]
    return [adaptation for adaptation in adaptations if adaptation.source_id in sources]


def adaptations_of(page):
    """The live, public practices adapted from `page`, with what they changed."""
    published = public(PracticePage.objects.live()).values("pk")
    return list(
        PracticeAdaptation.objects.filter(source_id=page.pk, page__in=published)
        .select_related("page", "page__locale")
        .prefetch_related("page__countries")
        .order_by("page__title")
    )
