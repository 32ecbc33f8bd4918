"""The cache that rate limits (django-ratelimit) count in: Django's database cache, shared by
every web process, with an atomic increment.

Django's own `incr` reads the value and writes it back, so two requests at once could both
count one; here the row is locked first (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
transaction takes the database's write lock as it begins, see `transaction_mode` in the
settings). The counter keeps the expiry its window gave it, where `set` would reset it."""

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils import timezone


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        cache_key = self.make_and_validate_key(key, version=version)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT expires FROM {table} WHERE cache_key = %s{lock}", [cache_key]
                )
                row = cursor.fetchone()
            value = self.get(key, version=version)
            if row is None or value is None:
                raise ValueError(f"Key '{key}' not found")
            expires = row[0]
            expression = models.Expression(output_field=models.DateTimeField())
            for converter in connection.ops.get_db_converters(
                expression
            ) + expression.get_db_converters(connection):
                expires = converter(expires, expression, connection)
            remaining = max((expires - timezone.now()).total_seconds(), 1)
            value += delta
            self.set(key, value, timeout=remaining, version=version)
            return value
