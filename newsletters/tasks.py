"""Background work of the newsletters, run by the django-tasks worker."""

from django_tasks import task


@task()
def send_digests(frequency):
    """Queue the digests of `frequency` (see `manage.py send_digests`); returns how many."""
    from .digests import DigestRun

    run = DigestRun(frequency)
    run.send()
    return run.emails
