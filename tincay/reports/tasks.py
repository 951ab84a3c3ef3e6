"""Background jobs of reports: building a requested document (``generation.generated_file_build``)."""

from __future__ import annotations

from django.tasks import task

from tincay.reports.generation import generated_file_build


@task
def build_generated_file(file_id: int) -> str:
    """Build one queued document; returns its status."""
    return generated_file_build(file_id).status
