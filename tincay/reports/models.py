"""Open-data snapshots: the published results of a campaign, frozen as CSV and JSON with their SHA-256."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FrozenError(RuntimeError):
    pass


class Snapshot(models.Model):
    campaign = models.ForeignKey("assessments.Campaign", on_delete=models.PROTECT, related_name="snapshots")
    created_at = models.DateTimeField(_("created at"))
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField(default=0)
    csv_text = models.TextField()
    json_text = models.TextField()
    csv_sha256 = models.CharField(max_length=64)
    json_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("open-data snapshot")
        verbose_name_plural = _("open-data snapshots")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise FrozenError("a published snapshot never changes")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenError("a published snapshot is never deleted")
