"""Open-data snapshots (the published results of a campaign and its closed surveys' aggregates, frozen as CSV and
JSON with their SHA-256), the documents and exports generated on request (kept with who asked and when, downloaded
through a permission check), and the imports of spreadsheets (a dry run remembered with the file's SHA-256, then the
real import)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
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
    # the campaign's closed citizens' surveys, aggregates only (``reports/open_data_surveys.py``); also in the JSON.
    # Empty in snapshots frozen before surveys were published, and when the campaign had no closed survey.
    surveys = models.PositiveIntegerField(default=0)
    surveys_csv_text = models.TextField(blank=True, default="")
    surveys_csv_sha256 = models.CharField(max_length=64, blank=True, default="")

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


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class GeneratedFile(models.Model):
    """One document or export asked for by a user: built in the worker, kept in file storage, downloaded only
    through ``access.get_generated_file_for_user``. ``kind`` names the builder (``documents.KINDS``)."""

    kind = models.CharField(_("kind"), max_length=40)
    fmt = models.CharField(_("format"), max_length=5)
    language = models.CharField(_("language"), max_length=5, default="vi")
    campaign = models.ForeignKey(
        "assessments.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="generated_files"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment", null=True, blank=True, on_delete=models.CASCADE, related_name="generated_files"
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)  # the running build's claim (``generation``)
    finished_at = models.DateTimeField(null=True, blank=True)
    # when its job was last handed to the queue (None: never, the queue was down), and how many builds started:
    # what the sweep reads to queue again a job the queue lost (``generation.generated_files_requeue``)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="generated/%Y/%m/", max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.kind}.{self.fmt} #{self.pk}"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked, ready to import")
    REFUSED = "refused", _("Checked, has errors")
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """One spreadsheet import: the dry run's report (every row) and the file's SHA-256; the real import runs from the
    same stored file and refuses a file that differs from the one checked."""

    kind = models.CharField(_("kind"), max_length=40)
    campaign = models.ForeignKey(
        "assessments.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="import_runs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    report = models.JSONField(_("report"), default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    rows_written = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} #{self.pk}"


class DocumentTemplate(models.Model):
    """A Word template an administrator put in place of a built-in document, per kind and language; rendered in a
    sandbox (``templating``). Without one, the built-in layout is used."""

    kind = models.CharField(_("kind"), max_length=40)
    language = models.CharField(_("language"), max_length=5)
    file = models.FileField(upload_to="templates/", max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [models.UniqueConstraint(fields=["kind", "language"], name="one_template_per_kind_language")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.language})"
