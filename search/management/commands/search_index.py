"""manage.py search_index rebuild|status|drain

rebuild  recreate every search document from the published pages and organisations (in one
         transaction: readers see the old documents until it commits), then rebuild the
         Elasticsearch index when one is configured
status   documents per type and language; outbox rows; Elasticsearch's count against ours
drain    send the outbox to Elasticsearch now"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Max
from tqdm import tqdm

from search import fulltext, indexing, outbox, tasks
from search.backends import outbox_backend
from search.backends.base import SearchUnavailable
from search.models import OutboxEntry, SearchDocument


class Command(BaseCommand):
    help = "Rebuild, inspect or drain the search index."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status", "drain"])
        parser.add_argument(
            "--type",
            action="append",
            dest="types",
            choices=sorted(indexing.builders),
            help="rebuild only these document types (repeatable)",
        )
        parser.add_argument(
            "--database-only",
            action="store_true",
            help="rebuild: leave Elasticsearch alone even when it is configured",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, action, types=None, database_only=False, no_progress=False, **options):
        self.progress = not no_progress and options["verbosity"] > 0
        getattr(self, action)(types=types, database_only=database_only)

    def _bar(self, total, description):
        return tqdm(total=total, desc=description, unit="doc", disable=not self.progress)

    # -- rebuild --------------------------------------------------------------------------

    def rebuild(self, types=None, database_only=False):
        types = types or list(indexing.builders)
        # Outbox rows up to here are covered by the rebuild; later ones still need sending.
        covered = OutboxEntry.objects.aggregate(last=Max("id"))["last"]
        try:
            written = self._rebuild_database(types)
        except fulltext.RebuildUnderWay as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Database: {written} search documents written."))

        backend = None if database_only else outbox_backend()
        if backend is None:
            return
        documents = SearchDocument.objects.order_by("id")
        with self._bar(documents.count(), "elasticsearch") as bar:

            def counted():
                for document in documents.iterator(chunk_size=indexing.BULK_BATCH_SIZE):
                    bar.update(1)
                    yield document

            try:
                indexed = backend.rebuild(counted())
            except SearchUnavailable as error:
                # Searches read the engine's previous index until it is back: the outbox
                # then carries every document to it.
                queued = outbox.queue_everything()
                transaction.on_commit(tasks.enqueue_drain)
                raise CommandError(
                    f"Elasticsearch is unavailable ({error}); the database index is rebuilt "
                    f"and its {queued} documents wait in the outbox for the engine (or run "
                    "`search_index rebuild` again when the cluster is back)."
                ) from error
        if covered is not None:
            OutboxEntry.objects.filter(id__lte=covered).delete()
        self.stdout.write(self.style.SUCCESS(f"Elasticsearch: {indexed} documents indexed."))

    def _rebuild_database(self, types):
        labels = indexing.TaxonomyLabels()
        written = 0
        # Everything at once: a new database index replaces the old one at the end.
        everything = set(types) == set(indexing.builders)
        with fulltext.rebuilding() if everything else transaction.atomic():
            for object_type in types:
                builder = indexing.builders[object_type]
                count = builder.queryset().count()
                with self._bar(count, f"{object_type:>12}") as bar:
                    keys = []
                    batches = indexing.batched(indexing.build_documents(builder, labels))
                    processes = count >= indexing.ANALYSIS_PROCESS_AT
                    for batch in indexing.analysed_ahead(batches, processes=processes):
                        written += self._write(batch, keys, bar)
                # Documents of items no longer searchable (missed signals, old data).
                stale = SearchDocument.objects.filter(object_type=object_type).exclude(key__in=keys)
                removed = indexing.delete_documents(stale)
                if removed:
                    self.stdout.write(f"{object_type}: removed {len(removed)} stale documents")
        return written

    @staticmethod
    def _write(batch, keys, bar):
        if not batch:
            return 0
        # The outbox is not used here: Elasticsearch is rebuilt as a whole afterwards.
        indexing.save_documents(batch, outbox=False)
        keys.extend(document.key for document in batch)
        bar.update(len(batch))
        return len(batch)

    # -- status ---------------------------------------------------------------------------

    def status(self, **kwargs):
        rows = (
            SearchDocument.objects.values("object_type", "language")
            .annotate(n=Count("id"))
            .order_by("object_type", "language")
        )
        total = 0
        self.stdout.write("Database search documents:")
        for row in rows:
            self.stdout.write(f"  {row['object_type']:<14}{row['language']:<10}{row['n']:>8}")
            total += row["n"]
        self.stdout.write(f"  {'total':<24}{total:>8}")
        expected = sum(indexing.count_searchable().values())
        if expected != total:
            self.stdout.write(
                self.style.WARNING(
                    f"  {expected} items are searchable: run `search_index rebuild`."
                )
            )
        queue = outbox.summary()
        self.stdout.write(
            f"Outbox: {queue['rows']} rows ({queue['due']} due, most attempts "
            f"{queue['most_attempts'] or 0}, oldest {queue['oldest'] or '-'})"
        )
        backend = outbox_backend()
        if backend is None:
            self.stdout.write("Elasticsearch: not configured (ELASTICSEARCH_URL is empty).")
            return
        try:
            count = backend.count()
        except SearchUnavailable as error:
            self.stdout.write(self.style.ERROR(f"Elasticsearch: unavailable ({error})."))
            return
        style = self.style.SUCCESS if count == total else self.style.WARNING
        self.stdout.write(style(f"Elasticsearch: {count} documents, database: {total}."))
        try:
            engine = outbox.fingerprint(backend.versions())
        except SearchUnavailable as error:
            self.stdout.write(self.style.ERROR(f"Elasticsearch: unavailable ({error})."))
            return
        database = outbox.database_fingerprint()
        if engine == database:
            self.stdout.write(
                self.style.SUCCESS(f"Versions: the same {total} keys and versions ({engine[1]}).")
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Versions differ: Elasticsearch {engine[0]} ({engine[1]}), database "
                    f"{database[0]} ({database[1]}); the outbox or a rebuild will fix it."
                )
            )

    # -- drain ----------------------------------------------------------------------------

    def drain(self, **kwargs):
        backend = outbox_backend()
        if backend is None:
            raise CommandError("Elasticsearch is not configured (ELASTICSEARCH_URL is empty).")
        with self._bar(OutboxEntry.objects.count(), "outbox") as bar:
            result = outbox.drain(backend, due_only=False)
            bar.update(result.indexed + result.deleted)
        message = f"Indexed {result.indexed}, deleted {result.deleted}."
        if result.failed:
            raise CommandError(f"{message} {result.failed} rows wait for a retry: {result.error}")
        self.stdout.write(self.style.SUCCESS(message))
