"""Every periodic job of the platform, and the one process that runs them (APScheduler 3).

`JOBS` is the only place a schedule is written. `manage.py scheduler` runs them all in one
long-running process; several nodes may each run one: a job runs once per slot (the time it
was due), whichever node inserts its `ScheduledRun(job, slot)` row first, the others skip.
"""

import io
import logging
import os
import socket
import time
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, close_old_connections, transaction
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger(__name__)

OUTPUT_MAX = 10_000


@dataclass(frozen=True)
class Job:
    """A periodic job: a management command with its arguments on a cron-style schedule."""

    name: str
    schedule: dict  # keyword arguments of apscheduler's CronTrigger
    command: str
    args: tuple = ()
    description: str = ""
    enabled_when: str = ""  # the setting that must be set for the job to run ("" = always)
    options: dict = field(default_factory=dict)

    def trigger(self):
        return CronTrigger(timezone=scheduler_timezone(), **self.schedule)

    def enabled(self):
        return not self.enabled_when or bool(_setting(self.enabled_when))

    def call(self):
        """Run the command here; returns what it wrote."""
        out = io.StringIO()
        call_command(self.command, *self.args, stdout=out, stderr=out, **self.options)
        return out.getvalue()


def _setting(name):
    if name == "TASKS_DATABASE":
        return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    return getattr(settings, name, "")


JOBS = (
    Job(
        "notifications_daily",
        {"hour": 8, "minute": 0},
        "notifications_daily",
        description="Reminders of every module's records due soon, due today or overdue, "
        "in every campaign (once per record, person and day)",
    ),
    Job(
        "notifications_digest",
        {"hour": 18, "minute": 0},
        "notifications_digest",
        description="The e-mail digest of unread notices, for those who chose it",
    ),
    Job(
        "study_refresh",
        {"hour": 1, "minute": 10},
        "study_refresh",
        description="Recompute the study completion figures of every campaign under way",
    ),
    Job(
        "assessment_compute",
        {"hour": 1, "minute": 40},
        "assessment_compute",
        description="Compute this month's assessment scores and the dashboard's figures, "
        "for every campaign under way",
    ),
    Job(
        "audit_checkpoint",
        {"minute": 5},
        "audit_checkpoint",
        description="Append a signed checkpoint of the audit chain's head",
    ),
    Job(
        "audit_verify",
        {"hour": 3, "minute": 15},
        "audit_verify",
        description="Verify the audit log's signed chain and the latest checkpoint",
    ),
    Job(
        "mailbox_fetch",
        {"minute": "*/5"},
        "mailbox_fetch",
        description="Read the opinion mailbox into opinions",
        enabled_when="IMAP_HOST",
    ),
    Job(
        "api_webhooks_retry",
        {"minute": "*"},
        "api_webhooks_retry",
        description="Retry the API webhook calls that are due",
    ),
    Job(
        "backup",
        {"hour": 2, "minute": 30},
        "backup",
        description="Write a backup archive to BACKUP_DIR, remove those older than BACKUP_KEEP days",
        enabled_when="BACKUP_DIR",
    ),
    Job(
        "exports_clean",
        {"minute": 35},
        "exports_clean",
        description="Remove the large exports' files once their keeping time has passed",
    ),
    Job(
        "clear_sessions",
        {"hour": 4, "minute": 0},
        "clearsessions",
        description="Remove expired sessions from the database",
    ),
    Job(
        "prune_task_results",
        {"hour": 4, "minute": 20},
        "prune_db_task_results",
        ("--queue-name", "*"),
        "Remove finished background task results older than 14 days",
        enabled_when="TASKS_DATABASE",
    ),
    Job(
        "prune_scheduled_runs",
        {"hour": 4, "minute": 40},
        "scheduler",
        ("--prune",),
        "Remove the scheduler's own run records older than 30 days",
    ),
)


def scheduler_timezone():
    return ZoneInfo(settings.TIME_ZONE)


def job_get(name):
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)


def node_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def slot_for(trigger, now):
    """The time the trigger was last due at or before `now` (the slot a run belongs to).

    Every node computes the same slot for the same firing, even if one of them fires late.
    """
    for lookback in (timedelta(minutes=2), timedelta(hours=2), timedelta(days=2)):
        due = trigger.get_next_fire_time(None, now - lookback)
        last = None
        while due is not None and due <= now:
            last = due
            due = trigger.get_next_fire_time(due, due + timedelta(seconds=1))
        if last is not None:
            return last
    return now.replace(second=0, microsecond=0)


def run_claim(*, job_name, slot, manual=False):
    """Insert the lock row for (job, slot); the new run, or None when another node has it."""

    def insert():
        with transaction.atomic():
            return ScheduledRun.objects.create(
                job=job_name,
                slot=slot,
                manual=manual,
                node=node_name()[:200],
                started_at=timezone.now(),
            )

    try:
        return _while_locked(insert)
    except IntegrityError:
        return None


def run_finish(*, run, output="", error=""):
    run.status = ScheduledRun.Status.FAILED if error else ScheduledRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.output = output[-OUTPUT_MAX:]
    run.error = error[-OUTPUT_MAX:]
    _while_locked(lambda: run.save(update_fields=["status", "finished_at", "output", "error"]))
    return run


def _while_locked(write, attempts=50):
    """Retry a write that SQLite refused because another connection holds the lock (the
    web server, the worker and the scheduler share one file); other errors go through."""
    for attempt in range(attempts):
        try:
            return write()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def job_run(job, *, slot, manual=False, call=None):
    """Run `job` for `slot` unless another node already did: the ScheduledRun, or None."""
    run = run_claim(job_name=job.name, slot=slot, manual=manual)
    if run is None:
        logger.info("%s for %s: already taken by another node", job.name, slot)
        return None
    try:
        output = (call or job.call)()
    except Exception as exc:
        logger.exception("Scheduled job %s failed", job.name)
        error = "".join(traceback.format_exception_only(exc)).strip() or repr(exc)
        return run_finish(run=run, error=f"{error}\n\n{traceback.format_exc()}")
    return run_finish(run=run, output=output or "")


def job_fire(job_name):
    """What APScheduler calls: run the job for the slot that is due now, in its own thread."""
    close_old_connections()
    try:
        job = job_get(job_name)
        job_run(job, slot=slot_for(job.trigger(), timezone.now()))
    finally:
        close_old_connections()


def scheduler_build(jobs=None):
    """A BlockingScheduler holding every enabled job (not started)."""
    scheduler = BlockingScheduler(
        timezone=scheduler_timezone(),
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 600},
    )
    for job in jobs or JOBS:
        if job.enabled():
            scheduler.add_job(job_fire, job.trigger(), args=[job.name], id=job.name, name=job.name)
    return scheduler


def runs_prune(*, days=30):
    """Remove run records older than `days` days; returns how many."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = ScheduledRun.objects.filter(slot__lt=cutoff).delete()
    return deleted
