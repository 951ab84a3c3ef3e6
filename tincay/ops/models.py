"""What operations keep in the database: the lease of each periodic job's daily run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunState(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class PeriodicRun(models.Model):
    """One day's run of one periodic job. The unique (job, day) pair is the lease: of several clocks that find the
    job due, the one whose insert succeeds runs it. A run whose holder died is taken over once its lease expires;
    a failed run is tried again, up to ``services.ATTEMPTS`` times."""

    job = models.CharField(_("job"), max_length=64)
    day = models.DateField(_("day"))
    state = models.CharField(_("state"), max_length=16, choices=RunState.choices, default=RunState.RUNNING)
    holder = models.CharField(_("holder"), max_length=200)  # host:pid of the clock that runs it
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    started_at = models.DateTimeField(_("started at"))
    lease_until = models.DateTimeField(_("lease until"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ("-day", "job")
        constraints = [models.UniqueConstraint(fields=("job", "day"), name="ops_periodic_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day:%Y-%m-%d} ({self.state})"
