"""Append-only audit events, linked by keyed hashes so that any edit, deletion or rewrite is detectable.

Append-only holds at three levels: the model refuses ``save()`` of an existing event and ``delete()``, the
queryset refuses ``update()`` and ``delete()``, and database triggers refuse UPDATE and DELETE (``guards.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("time"), db_index=True)
    # PROTECT: the actor's id is part of the signed content, so an account with history is deactivated, not deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=100, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The id of the key that signed this event (TINCAY_AUDIT_KEYS); empty for legacy events (plain SHA-256).
    key_id = models.CharField(max_length=32, blank=True, default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class ChangeMark(models.Model):
    """The last change of one scope (``tincay.audit.scopes``): a new random value with every audited write that
    touches it, written under the audit trail's append lock in the write's own transaction, so a mark is never
    ahead of the data nor behind it. Pages compare it, instead of drawing themselves again, to answer 304."""

    scope = models.CharField(max_length=80, primary_key=True)
    mark = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("change mark")
        verbose_name_plural = _("change marks")

    def __str__(self) -> str:
        return f"{self.scope}: {self.mark}"
