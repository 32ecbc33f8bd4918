"""Settings of the task worker that tests/delivery/test_crash.py starts as a subprocess: the
test settings, with the database backend for tasks, the test's database (DATABASE_URL) and
its SMTP server (EMAIL_PORT), and short sending tasks."""

import os

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["EMAIL_PORT"])
EMAIL_TIMEOUT = 5
DELIVERY_TASK_SECONDS = 2
DELIVERY_BATCH_SIZE = 50
