"""`SEARCH_BACKEND` values for tests that switch backends with the `settings` fixture (the
cached backend is rebuilt when the setting changes)."""

DATABASE = {"BACKEND": "search.backends.database.DatabaseBackend", "OPTIONS": {}}


def elasticsearch_at(url, index_prefix="practice-commons", *, timeout=5.0, failures=3,
                     cool_off=30.0):  # fmt: skip
    return {
        "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
        "OPTIONS": {"url": url, "index_prefix": index_prefix, "timeout": timeout},
        "BREAKER": {"FAILURES": failures, "COOL_OFF": cool_off},
    }
