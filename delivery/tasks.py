"""The sending task, run by the django-tasks worker (`manage.py db_worker`)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import sending

logger = logging.getLogger(__name__)


@task()
def deliver(connection_failures=0, wake=False):
    """Send what is due for `DELIVERY_TASK_SECONDS` at most, leaving the worker to other
    tasks in between; then enqueue the next run: at once when more is due, after a backoff
    when the SMTP server was unreachable, and (for a run that scheduled retries, or one of
    those wake-ups) when the earliest retry is due."""
    deadline = timezone.now() + timedelta(seconds=settings.DELIVERY_TASK_SECONDS)
    result = sending.deliver_due(deadline=deadline)
    can_defer = deliver.get_backend().supports_defer
    if result.connection_error:
        if can_defer:
            failures = connection_failures + 1
            delay = sending.retry_delay(min(failures, settings.DELIVERY_MAX_ATTEMPTS))
            deliver.using(run_after=timezone.now() + delay).enqueue(connection_failures=failures)
    elif sending.due().exists():
        deliver.enqueue()
    elif (result.retried or wake) and can_defer:
        next_at = sending.next_retry_at()
        if next_at is not None:
            deliver.using(run_after=next_at).enqueue(wake=True)
    return {
        "sent": result.sent,
        "failed": result.failed,
        "retried": result.retried,
        "skipped": result.skipped,
        "uncertain": result.uncertain,
        "connection_error": result.connection_error,
    }


def resume():
    """Enqueue a run when deliveries wait, e.g. those a killed worker's run left queued
    (its task stays `RUNNING` in the queue, so nothing else would pick them up)."""
    if (
        sending.due().exists()
        or sending.Delivery.objects.filter(status=sending.Status.SENDING).exists()
    ):
        deliver.enqueue()
        return True
    return False
