from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tincay.accounts.choices import TokenRevokedReason, TokenState
from tincay.accounts.messages import render


class User(AbstractUser):
    """A person. What they may do comes from their memberships (tincay.orgunits.models.Membership)."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Notification(models.Model):
    """An in-app notice (also sent by e-mail) about something that concerns the user.

    A notice is kept as its English message and parameters (``message``, ``params``) so each reader sees it in their
    own language (:func:`tincay.accounts.messages.render`); ``text`` holds the Vietnamese rendering, and is all an
    older notice has.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("text"), max_length=500)
    message = models.CharField(_("message"), max_length=500, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text

    @property
    def shown(self) -> str:
        """The notice in the active language (older notices: the text they were stored with)."""
        return render(self.message, self.params)[:500] if self.message else self.text


class ApiToken(models.Model):
    """A named key a person gives to an integration; the API accepts it as ``Authorization: Token <key>``.

    Only the SHA-256 of the key is stored (the key is shown once, when it is created), with its first characters
    for recognising it in a list. A token stops working at ``expires_at``, when its owner revokes it, and when
    the owner's password changes (``tincay.accounts.tokens``).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("beginning of the key"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("why revoked"), max_length=20, choices=TokenRevokedReason.choices, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="accounts_token_user_live")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="accounts_token_expires_after_created"
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_reason="")
                | models.Q(revoked_at__isnull=False) & ~models.Q(revoked_reason=""),
                name="accounts_token_revoked_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def state(self, now=None) -> str:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    def get_state_display(self) -> str:
        return TokenState(self.state()).label
