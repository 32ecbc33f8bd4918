"""Background work of the forums, run by the django-tasks worker: telling many people of a
post is not done in the request that wrote it."""

from django_tasks import task


@task()
def notify_post(post_id):
    """Notify and email the people who hear of a newly visible post (`forums.notifying`)."""
    from .notifying import notify

    return notify(post_id)


@task()
def send_forum_digests():
    """Queue the daily digests of forum notifications; returns how many."""
    from .notifying import send_digests

    return send_digests()
