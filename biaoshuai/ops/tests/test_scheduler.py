import datetime
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import connection

from biaoshuai.ops import scheduler
from biaoshuai.ops.models import ScheduledRun

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_every_job_names_a_command_that_exists():
    commands = get_commands()
    names = [job.name for job in scheduler.JOBS]
    assert len(names) == len(set(names))
    for job in scheduler.JOBS:
        assert job.command in commands, job.name
        job.trigger()  # a valid schedule


def test_the_jobs_that_were_cron_lines_are_all_scheduled():
    commands = {job.command for job in scheduler.JOBS}
    assert {
        "notifications_daily",
        "notifications_digest",
        "study_refresh",
        "assessment_compute",
        "audit_checkpoint",
        "audit_verify",
        "mailbox_fetch",
        "api_webhooks_retry",
        "backup",
    } <= commands


def test_a_slot_is_the_time_the_job_was_due_even_when_it_fires_late():
    hourly = scheduler.job_get("audit_checkpoint").trigger()  # minute 5 of every hour
    due = datetime.datetime(2026, 11, 18, 10, 5, tzinfo=SHANGHAI)
    assert scheduler.slot_for(hourly, due) == due
    assert scheduler.slot_for(hourly, due + datetime.timedelta(seconds=0.4)) == due
    assert scheduler.slot_for(hourly, due + datetime.timedelta(minutes=9)) == due
    every_minute = scheduler.job_get("api_webhooks_retry").trigger()
    late = datetime.datetime(2026, 11, 18, 10, 7, 31, tzinfo=SHANGHAI)
    assert scheduler.slot_for(every_minute, late) == late.replace(second=0)
    daily = scheduler.job_get("notifications_daily").trigger()
    assert scheduler.slot_for(daily, late) == datetime.datetime(2026, 11, 18, 8, 0, tzinfo=SHANGHAI)


def test_optional_jobs_are_off_until_their_setting_is_set(settings):
    settings.IMAP_HOST = ""
    settings.BACKUP_DIR = ""
    built = {job.id for job in scheduler.scheduler_build().get_jobs()}
    assert "mailbox_fetch" not in built and "backup" not in built
    assert {"notifications_daily", "audit_checkpoint", "api_webhooks_retry"} <= built
    settings.IMAP_HOST = "imap.example.org"
    settings.BACKUP_DIR = "/var/backups/biaoshuai"
    built = {job.id for job in scheduler.scheduler_build().get_jobs()}
    assert {"mailbox_fetch", "backup"} <= built


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_for_the_same_slot_run_the_job_once():
    """Two scheduler threads, each with its own database connection, fire every job slot
    at the same moment: each slot runs exactly once and is recorded once."""
    job = scheduler.job_get("api_webhooks_retry")
    calls = []
    lock = threading.Lock()

    def work():
        with lock:
            calls.append(threading.current_thread().name)
        time.sleep(0.2)  # the other node arrives while this one still runs
        return "done"

    slots = [datetime.datetime(2026, 11, 18, 10, minute, tzinfo=SHANGHAI) for minute in range(5)]
    results, errors = {}, []

    def node(name, barrier):
        try:
            for slot in slots:
                barrier.wait(timeout=30)
                results[(name, slot)] = scheduler.job_run(job, slot=slot, call=work)
        except Exception as exc:
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(target=node, args=(n, barrier), name=n, daemon=True) for n in ("a", "b")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert len(calls) == len(slots)
    for slot in slots:
        ran = [results[(n, slot)] for n in ("a", "b") if results[(n, slot)] is not None]
        assert len(ran) == 1
    runs = ScheduledRun.objects.filter(job=job.name)
    assert runs.count() == len(slots)
    assert set(runs.values_list("status", flat=True)) == {ScheduledRun.Status.SUCCEEDED}
    assert all(run.finished_at >= run.started_at and run.output == "done" for run in runs)


@pytest.mark.django_db
def test_a_failing_job_is_recorded_with_its_error():
    job = scheduler.job_get("study_refresh")

    def broken():
        raise RuntimeError("the disk is full")

    slot = datetime.datetime(2026, 11, 18, 1, 10, tzinfo=SHANGHAI)
    run = scheduler.job_run(job, slot=slot, call=broken)
    run.refresh_from_db()
    assert run.status == ScheduledRun.Status.FAILED
    assert run.error.startswith("RuntimeError: the disk is full")
    assert run.finished_at is not None
    # The slot is taken: the job does not run again for it.
    assert scheduler.job_run(job, slot=slot, call=lambda: "again") is None


@pytest.mark.django_db(transaction=True)  # job_fire releases its connection like a request
def test_job_fire_runs_the_real_command_for_the_slot_due_now(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 18, 10, 3, 2, tzinfo=SHANGHAI))
    scheduler.job_fire("api_webhooks_retry")
    scheduler.job_fire("api_webhooks_retry")  # a second node, same minute
    run = ScheduledRun.objects.get(job="api_webhooks_retry")
    assert run.slot == datetime.datetime(2026, 11, 18, 10, 3, tzinfo=SHANGHAI)
    assert run.status == ScheduledRun.Status.SUCCEEDED
    assert run.output.strip() == "attempted 0, delivered 0"


@pytest.mark.django_db
def test_once_runs_a_job_for_the_operator_and_records_it(capsys, settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    call_command("scheduler", "--once", "audit_checkpoint")
    out = capsys.readouterr().out
    assert "Checkpoint written" in out and "audit_checkpoint: done." in out
    run = ScheduledRun.objects.get(job="audit_checkpoint")
    assert run.manual and run.status == ScheduledRun.Status.SUCCEEDED
    assert (tmp_path / "checkpoints.jsonl").exists()


@pytest.mark.django_db
def test_once_reports_a_failing_job(settings):
    settings.IMAP_HOST = ""
    with pytest.raises(CommandError, match="mailbox_fetch failed: .*IMAP_HOST is not set"):
        call_command("scheduler", "--once", "mailbox_fetch")
    assert ScheduledRun.objects.get(job="mailbox_fetch").status == ScheduledRun.Status.FAILED


@pytest.mark.django_db
def test_once_refuses_an_unknown_job():
    with pytest.raises(CommandError, match="No job 'nightly'"):
        call_command("scheduler", "--once", "nightly")


@pytest.mark.django_db
def test_list_shows_every_job_with_its_schedule_and_last_run(capsys, settings):
    settings.IMAP_HOST = ""
    scheduler.job_run(
        scheduler.job_get("study_refresh"),
        slot=datetime.datetime(2026, 11, 18, 1, 10, tzinfo=SHANGHAI),
        call=lambda: "",
    )
    call_command("scheduler", "--list")
    out = capsys.readouterr().out
    for job in scheduler.JOBS:
        assert job.name in out
    assert "off (IMAP_HOST not set)" in out
    assert "last 2026-11-18 01:10 succeeded" in out


@pytest.mark.django_db
def test_prune_removes_old_run_records():
    job = scheduler.job_get("api_webhooks_retry")
    old = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=SHANGHAI)
    recent = datetime.datetime(2026, 11, 17, 10, 0, tzinfo=SHANGHAI)
    scheduler.job_run(job, slot=old, call=lambda: "")
    scheduler.job_run(job, slot=recent, call=lambda: "")
    call_command("scheduler", "--prune")
    assert list(ScheduledRun.objects.values_list("slot", flat=True)) == [recent]
