"""Run every periodic job (biaoshuai/ops/scheduler.py) in one long-running process.

manage.py scheduler              # run until stopped (systemd: biaoshuai-scheduler.service)
manage.py scheduler --list       # the jobs, their schedules, last run and next time due
manage.py scheduler --once JOB   # run one job now, recorded like a scheduled run
"""

import logging
import signal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from biaoshuai.ops import scheduler
from biaoshuai.ops.models import ScheduledRun


class Command(BaseCommand):
    help = (
        "Run the platform's periodic jobs (reminders, study refresh, assessment, audit "
        "checkpoint and verify, mailbox, webhook retries, backup, clean-ups). Several nodes "
        "may each run one: every job runs once per slot."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--list", action="store_true", help="list the jobs and exit")
        group.add_argument("--once", metavar="JOB", help="run this job now and exit")
        group.add_argument(
            "--prune", action="store_true", help="remove run records older than --days days"
        )
        parser.add_argument("--days", type=int, default=30, help="with --prune (default 30)")

    def handle(self, *args, **options):
        if options["list"]:
            return self._list()
        if options["once"]:
            return self._once(options["once"])
        if options["prune"]:
            deleted = scheduler.runs_prune(days=options["days"])
            self.stdout.write(f"Removed {deleted} run records.")
            return
        self._serve()

    def _list(self):
        now = timezone.now()
        for job in scheduler.JOBS:
            trigger = job.trigger()
            last = ScheduledRun.objects.filter(job=job.name).order_by("-slot").first()
            if job.enabled():
                due = trigger.get_next_fire_time(None, now)
                state = f"next {timezone.localtime(due):%Y-%m-%d %H:%M}"
            else:
                state = f"off ({job.enabled_when} not set)"
            ran = (
                f"last {timezone.localtime(last.slot):%Y-%m-%d %H:%M} {last.status}"
                if last
                else "never run"
            )
            spec = " ".join(f"{k}={v}" for k, v in job.schedule.items())
            command = " ".join([job.command, *job.args])
            self.stdout.write(f"{job.name:<24} {spec:<20} {state:<24} {ran}")
            self.stdout.write(f"{'':<24} manage.py {command}: {job.description}")

    def _once(self, name):
        try:
            job = scheduler.job_get(name)
        except KeyError:
            names = ", ".join(j.name for j in scheduler.JOBS)
            raise CommandError(f"No job {name!r}; the jobs are: {names}.") from None
        run = scheduler.job_run(job, slot=timezone.now(), manual=True)
        if run is None:
            raise CommandError(f"{name} is already running for this moment on another node.")
        if run.output:
            self.stdout.write(run.output.rstrip())
        if run.status == ScheduledRun.Status.FAILED:
            raise CommandError(f"{name} failed: {run.error.splitlines()[0]}")
        self.stdout.write(self.style.SUCCESS(f"{name}: done."))

    def _serve(self):
        runner = scheduler.scheduler_build()
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

        def stop(signum, frame):
            runner.shutdown(wait=True)

        signal.signal(signal.SIGTERM, stop)
        jobs = ", ".join(job.id for job in runner.get_jobs())
        self.stdout.write(f"Scheduler on {scheduler.node_name()}: {jobs}")
        self.stdout.flush()
        try:
            runner.start()
        except KeyboardInterrupt:
            runner.shutdown(wait=True)
