"""Background jobs of the audit log."""

from django_tasks import task

from .checkpoints import checkpoint_write


@task()
def audit_checkpoint_task():
    """Append a signed checkpoint of the chain's head (AUDIT_CHECKPOINT_FILE, syslog)."""
    point = checkpoint_write()
    return {"event_id": point["event_id"], "count": point["count"]}
