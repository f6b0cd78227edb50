"""Background jobs of the core: large exports."""

from django_tasks import task


@task()
def export_run(job_id):
    """Write an export job's file (see core/exports.py)."""
    from .exports import export_job_run

    job = export_job_run(job_id)
    return {"state": job.state, "rows": job.rows_done}
