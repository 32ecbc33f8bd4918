"""The test suite. DATABASE_URL picks PostgreSQL or SQLite (see `.ci/run`)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
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
