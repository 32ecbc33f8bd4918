"""Faults on the real engine: Elasticsearch nodes this module starts itself (engine/start.sh,
ports ENGINE_FAULT_PORTS, default 9251, 9252 and 9253, data under engine/target/node-<port>/)
and kills with SIGKILL.

- Killed during `search_index rebuild`, then during an outbox drain: the site answers from
  the database and says so; once the node is back the outbox drains and the engine holds
  exactly the database's documents (count, and a checksum of keys and versions).
- A two-node cluster with one replica: one node killed, searches keep answering from the
  engine.

Needs the distribution (`make engine`) and ELASTICSEARCH_URL (the sign that this machine
runs the engine); skips otherwise, fails instead when REQUIRE_COMPONENTS lists
elasticsearch. Run:

    ELASTICSEARCH_URL=http://127.0.0.1:9200 REQUIRE_COMPONENTS=elasticsearch \\
        .venv/bin/pytest -m engine_faults tests/search/test_engine_faults.py
"""

import os
import uuid
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.models import Organisation
from search import outbox
from search.backends import get_search_backend, outbox_backend
from search.backends.base import SearchQuery
from search.backends.elasticsearch import ElasticsearchBackend
from search.models import OutboxEntry, SearchDocument
from tests.requirements import skip_unless_available
from tests.search.backend_settings import elasticsearch_at
from tests.search.engine_nodes import EngineNode, KillWhenIndexing, distribution_present

# Starting the three nodes (the first test's setup) and one test each take a minute or two.
pytestmark = [pytest.mark.engine_faults, pytest.mark.elasticsearch, pytest.mark.timeout(600)]

PORTS = [int(port) for port in os.environ.get("ENGINE_FAULT_PORTS", "9251,9252,9253").split(",")]
ORGANISATIONS = 1500  # three bulk requests of 500: a kill lands between or inside them


@pytest.fixture(scope="module")
def nodes():
    """A lone node, and a two-node cluster (master and data, data only), started at once."""
    skip_unless_available(
        "elasticsearch",
        bool(os.environ.get("ELASTICSEARCH_URL")) and distribution_present(),
        "ELASTICSEARCH_URL is not set or the engine is not fetched (make engine)",
    )
    lone_port, first_port, second_port = PORTS
    # Transport ports of our own too (HTTP port + 100), not the first free one from 9300.
    lone = EngineNode(
        lone_port, ENGINE_CLUSTER="pc-faults-lone", ENGINE_TRANSPORT_PORT=str(lone_port + 100)
    )
    cluster = {
        "ENGINE_CLUSTER": f"pc-faults-cluster-{first_port}",
        "ENGINE_SEED_HOSTS": f"127.0.0.1:{first_port + 100}",
        "ENGINE_INITIAL_MASTERS": f"node-{first_port}",
    }
    first = EngineNode(
        first_port,
        **cluster,
        ENGINE_TRANSPORT_PORT=str(first_port + 100),
        ENGINE_ROLES="master,data",
    )
    second = EngineNode(
        second_port, **cluster, ENGINE_TRANSPORT_PORT=str(second_port + 100), ENGINE_ROLES="data"
    )
    started = [lone, first, second]
    for node in started:
        node.wipe()
    try:
        for node in started:
            node.start()
        for node in started:
            node.wait()
        yield {"lone": lone, "first": first, "second": second}
    finally:
        for node in started:
            node.stop()


def delete_indices(backend, pattern):
    # Wildcard deletes are refused by default (action.destructive_requires_name).
    names = backend.client.indices.get(index=pattern, allow_no_indices=True).body
    if names:
        backend.client.indices.delete(index=",".join(names))


def engine_versions(backend):
    backend.refresh()
    return outbox.fingerprint(backend.versions())


def search_api(client, text):
    return client.get(reverse("search_api") + f"?q={text}&page_size=1").json()


@pytest.mark.django_db
def test_sigkill_during_rebuild_and_during_drain_loses_nothing(nodes, settings, client):
    node = nodes["lone"]
    prefix = f"pc-faults-{uuid.uuid4().hex[:8]}"
    settings.SEARCH_BACKEND = elasticsearch_at(node.url, prefix, timeout=10, cool_off=0.5)
    backend = outbox_backend()
    indices = f"{prefix}-items-*"
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Faultline council {number}",
            slug=f"faultline-{number}",
            description="A municipality that budgets with its residents. " * 8,
        )
        for number in range(ORGANISATIONS)
    )
    call_command("search_index", "rebuild", "--no-progress", stdout=StringIO())
    assert engine_versions(backend) == outbox.database_fingerprint()
    assert backend.count() == ORGANISATIONS

    # 1. Killed during a rebuild: the database's documents are new versions, the engine
    # keeps its previous index, and every document waits in the outbox.
    Organisation.objects.update(city="Batumi")
    documents_wait = f"its {ORGANISATIONS} documents wait"
    with KillWhenIndexing(node, indices) as kill, pytest.raises(CommandError, match=documents_wait):
        call_command("search_index", "rebuild", "--no-progress", stdout=StringIO())
    assert kill.killed_at is not None
    assert OutboxEntry.objects.count() == ORGANISATIONS

    # The site answers from the database and says so.
    data = search_api(client, "faultline")
    assert data["backend"] == "database"
    assert data["count"] == ORGANISATIONS
    assert data["fallback_reason"].startswith("elasticsearch unavailable: ConnectionError")
    page = client.get(reverse("search") + "?q=faultline")
    assert "these results come from the database search" in page.content.decode()

    # Changes while the engine is down, through the site's own signals.
    renamed = Organisation.objects.get(slug="faultline-1")
    renamed.name = "Faultline council renamed"
    renamed.save()
    Organisation.objects.filter(slug__in=[f"faultline-{n}" for n in range(2, 12)]).delete()

    # 2. Back, then killed during the drain: the rows of the batch in flight stay.
    node.start().wait()
    with KillWhenIndexing(node, indices) as kill:
        result = outbox.drain(backend, due_only=False)
    assert kill.killed_at is not None
    assert result.failed > 0
    assert result.error.startswith("SearchUnavailable")
    assert OutboxEntry.objects.count() > 0
    assert search_api(client, "faultline")["backend"] == "database"

    # 3. Back again: the outbox drains, and the engine holds exactly the database's
    # documents, each in the database's version.
    node.start().wait()
    result = outbox.drain(backend, due_only=False)
    assert (result.failed, result.error) == (0, "")
    assert not OutboxEntry.objects.exists()
    assert SearchDocument.objects.count() == ORGANISATIONS - 10
    assert engine_versions(backend) == outbox.database_fingerprint()
    assert backend.count() == ORGANISATIONS - 10
    out = StringIO()
    call_command("search_index", "status", stdout=out)
    assert f"Versions: the same {ORGANISATIONS - 10} keys and versions" in out.getvalue()

    # The breaker (open since the kills) lets a search through after its half-second
    # cool-off, and the engine answers.
    assert get_search_backend().breaker.is_open
    data = search_api(client, "renamed")
    assert (data["backend"], data["count"]) == ("elasticsearch", 1)
    assert data["results"][0]["title"] == "Faultline council renamed"
    assert not get_search_backend().breaker.is_open

    delete_indices(backend, indices)


def cluster_document(number):
    return SearchDocument(
        key=f"practice:{number}:en",
        object_type="practice",
        object_id=number,
        language="en",
        title=f"Participatory budget {number}",
        summary="Residents of the district chose what the budget pays for.",
        themes=["participatory-budgeting"],
        countries=["GE"],
        url=f"/en/practices/{number}/",
        published_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=datetime(2026, 1, 2, tzinfo=UTC),
    )


@pytest.mark.django_db
def test_a_two_node_cluster_keeps_answering_when_a_node_is_killed(nodes, settings, client):
    first, second = nodes["first"], nodes["second"]
    prefix = f"pc-faults-{uuid.uuid4().hex[:8]}"
    urls = [first.url, second.url]
    backend = ElasticsearchBackend(urls, prefix, timeout=10)
    assert backend.rebuild(cluster_document(number) for number in range(300)) == 300
    alias = f"{prefix}-items"
    health = first.get(f"/_cluster/health/{alias}?wait_for_status=green&timeout=60s", timeout=70)
    assert (health["number_of_nodes"], health["status"]) == (2, "green")
    shards = first.get(f"/_cat/shards/{alias}?format=json")
    # One primary and one replica, one on each node.
    assert sorted(shard["prirep"] for shard in shards) == ["p", "r"]
    assert {shard["node"] for shard in shards} == {first.name, second.name}

    second.kill()

    query = SearchQuery(text="budget district")
    for _ in range(6):  # both nodes take turns in the client's pool: the dead one is skipped
        assert backend.search(query).total == 300
    settings.SEARCH_BACKEND = elasticsearch_at(urls, prefix, timeout=10)
    for _ in range(4):
        data = search_api(client, "budget")
        assert (data["backend"], data["count"]) == ("elasticsearch", 300)
        assert "fallback_reason" not in data
    delete_indices(backend, f"{prefix}-items-*")
    backend.close()
