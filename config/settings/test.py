"""The test suite. DATABASE_URL picks PostgreSQL or SQLite (see `.ci/run`)."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
# The demo loader is tested (tests/demo/).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests talk to a real SMTP server (aiosmtpd on loopback) started by a fixture.
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = 2525
# Tasks run as they are enqueued so a test sees their effect; the queue itself is tested with
# the database backend explicitly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Links in newsletter emails, as production writes them (https).
NEWSLETTERS_BASE_URL = "https://testserver"
# The site's own search stays on the database in tests, even where ELASTICSEARCH_URL is set:
# the engine's tests read that URL from the environment and build their backend themselves.
SEARCH_BACKEND = {"BACKEND": "search.backends.database.DatabaseBackend", "OPTIONS": {}}
# Pages are not cached unless a test turns the cache on (tests/test_page_cache.py): most
# tests change data with queryset updates that pages would not see.
PAGE_CACHE_SECONDS = 0
# Nor remembered per process: tests change content inside transactions whose commit (which
# moves the content generation on) never comes.
CONTENT_MEMO = False
