"""`agora worker`: run background tasks (django-tasks) on the backend the settings choose.

The database backend (the default) keeps tasks in the database and this process runs
them; with AGORA_TASKS_BACKEND=redis it runs an RQ worker with its scheduler instead. Before
the first task, it sends `worker_starting`, so apps seed their recurring work (the
transparency log's tree-head cadence). Ctrl-C or SIGTERM stops it after the task it runs.
"""

from typing import Annotated

import typer

from agora.core.commandline import fail, out, setup_django

IDLE_POLL_SECONDS = 0.2


def worker_command(
    batch: Annotated[bool, typer.Option(
        "--batch", help="Run the tasks that are due, then exit (for cron or tests).",
    )] = False,
) -> None:
    """Run background tasks: signed tree heads on their cadence, and later mail and webhooks."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError

    from agora.core.signals import worker_starting

    redis = settings.TASKS_BACKEND == "redis"
    unreachable: tuple[type[BaseException], ...] = (DatabaseError,)
    if redis:
        from redis.exceptions import ConnectionError as RedisConnectionError

        unreachable += (RedisConnectionError,)
    try:
        worker_starting.send(sender=worker_command)
        out.print(f"Agora worker: running tasks from the {settings.TASKS_BACKEND} backend; "
                  "Ctrl-C stops it.", highlight=False)
        if redis:
            # RQ must build django-tasks' own job class to run a task.
            options = ["--with-scheduler", "--job-class", "django_tasks_rq.Job"]
            call_command("rqworker", "default", *options, *(["--burst"] if batch else []))
        else:
            # An idle worker asks for new tasks five times a second rather than once: a
            # resident's email or a partner's webhook leaves within a fifth of a second of
            # its commit, for one small indexed read per poll.
            options = ["--no-reload", "--no-startup-delay", "--interval", str(IDLE_POLL_SECONDS)]
            options += ["--batch"] if batch else []
            call_command("db_worker", *options)
    except unreachable as error:
        where = f"Redis at {settings.REDIS_URL}" if redis else "the database"
        hint = "" if redis else " (are its migrations applied? `agora manage migrate`)"
        raise fail(f"The worker cannot use {where}{hint}: {error}", code=1) from error
