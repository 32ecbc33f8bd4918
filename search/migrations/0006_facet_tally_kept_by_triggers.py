"""PostgreSQL: `search_facet_tally`, how many `search_match` rows of each type and language
carry each facet code (`with_code` 0), and each code together with each other one
(`with_code` the other), kept by statement triggers on `search_match` (added, removed,
changed or truncated rows), and counted here once from the rows there are. A listing
without words, filtered by type, language and a value or two, reads its total and facet
counts from it instead of counting every match (see `search.schema.TALLY_TABLE`, which a
rebuild uses to put the triggers on its new table). SQLite: no change.

The SQL is written out as it runs, so that this migration means the same thing whatever
the app's code becomes."""

from django.db import migrations

FORWARD = [
    """
    CREATE TABLE search_facet_tally (
        object_type varchar(20) NOT NULL,
        language varchar(12) NOT NULL,
        with_code smallint NOT NULL,
        code smallint NOT NULL,
        count bigint NOT NULL,
        -- Every read names with_code: first, so that one without a type or a language
        -- (a facet's counts without its filter) is a range of the key too.
        PRIMARY KEY (with_code, object_type, language, code)
    )
    """,
    """
    CREATE FUNCTION search_facet_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- One writer at a time until commit: two transactions taking the same counts'
        -- row locks in different orders would deadlock.
        PERFORM pg_advisory_xact_lock(hashtext('search_facet_tally'));
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            INSERT INTO search_facet_tally AS t (object_type, language, with_code, code, count)
            SELECT r.object_type, r.language, w.code, e.code, -count(*)
            FROM removed r, unnest(r.facets) AS e(code),
                unnest(array_prepend(0::smallint, r.facets)) AS w(code)
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (object_type, language, with_code, code)
            DO UPDATE SET count = t.count + excluded.count;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO search_facet_tally AS t (object_type, language, with_code, code, count)
            SELECT a.object_type, a.language, w.code, e.code, count(*)
            FROM added a, unnest(a.facets) AS e(code),
                unnest(array_prepend(0::smallint, a.facets)) AS w(code)
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (object_type, language, with_code, code)
            DO UPDATE SET count = t.count + excluded.count;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION search_facet_tally_clear() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM search_facet_tally;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER search_facet_tally_added AFTER INSERT ON search_match
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION search_facet_tally_apply()
    """,
    """
    CREATE TRIGGER search_facet_tally_removed AFTER DELETE ON search_match
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION search_facet_tally_apply()
    """,
    """
    CREATE TRIGGER search_facet_tally_changed AFTER UPDATE ON search_match
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION search_facet_tally_apply()
    """,
    """
    CREATE TRIGGER search_facet_tally_truncated AFTER TRUNCATE ON search_match
    FOR EACH STATEMENT EXECUTE FUNCTION search_facet_tally_clear()
    """,
    """
    INSERT INTO search_facet_tally (object_type, language, with_code, code, count)
    SELECT m.object_type, m.language, w.code, e.code, count(*)
    FROM search_match m, unnest(m.facets) AS e(code),
        unnest(array_prepend(0::smallint, m.facets)) AS w(code)
    GROUP BY 1, 2, 3, 4
    """,
]
REVERSE = [
    "DROP TRIGGER IF EXISTS search_facet_tally_truncated ON search_match",
    "DROP TRIGGER IF EXISTS search_facet_tally_changed ON search_match",
    "DROP TRIGGER IF EXISTS search_facet_tally_removed ON search_match",
    "DROP TRIGGER IF EXISTS search_facet_tally_added ON search_match",
    "DROP FUNCTION IF EXISTS search_facet_tally_clear()",
    "DROP FUNCTION IF EXISTS search_facet_tally_apply()",
    "DROP TABLE IF EXISTS search_facet_tally",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_match_newest_first_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(REVERSE))]
