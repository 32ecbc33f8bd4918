"""Browser tests: real Chromium against Django's live server.

They run in a transaction that is flushed afterwards, so they ask for serialized rollback:
the reference data that migrations load (countries, themes, groups) is restored for the
tests that come after them."""

import pytest

E2E_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)
