"""Migration forums.0003: posts written before Markdown keep their stored HTML, shown as it
was; their Markdown source starts empty and they stay published."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("forums", "0002_site_editor_permissions")]
HTML = '<p>Our <a href="https://example.org/report">report</a> is <strong>out</strong>.</p>'


def migrate(targets=None):
    """Migrate to `targets`, by default to the latest of every app: the later tests of the
    run share this database."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_posts_keep_their_html():
    apps = migrate(BEFORE)
    try:
        forum = apps.get_model("forums", "Forum").objects.create(name="Old", slug="old")
        thread = apps.get_model("forums", "Thread").objects.create(forum=forum, title="Old one")
        post = apps.get_model("forums", "Post").objects.create(thread=thread, body=HTML)
    finally:
        apps = migrate()

    migrated = apps.get_model("forums", "Post").objects.get(pk=post.pk)
    assert (migrated.body, migrated.source, migrated.status) == (HTML, "", "published")
