"""django-tasks-db's worker, which first resumes the deliveries a previous worker left: a
worker killed mid-send leaves its task `RUNNING` for ever, so without this the rest of that
send would wait for the next email queued."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from delivery.tasks import resume


class Command(WorkerCommand):
    def handle(self, *args, **options):
        resume()
        return super().handle(*args, **options)
