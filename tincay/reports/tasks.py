"""Background jobs of reports: building a requested document (``generation.generated_file_build``).

A job may be delivered more than once (Redis redelivers the job of a killed worker, the worker's sweep queues again
a job the queue lost): the build claims the file, so every delivery but one finds it taken and leaves it."""

from __future__ import annotations

from django.tasks import task

from tincay.reports.generation import generated_file_build


@task
def build_generated_file(file_id: int) -> str:
    """Build one queued document; returns its status."""
    return generated_file_build(file_id).status
