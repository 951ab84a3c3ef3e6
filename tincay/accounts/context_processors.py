from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tincay.accounts.choices import Role
from tincay.accounts.roles import has_role, user_scopes


def navigation(request: Any) -> dict[str, Any]:
    """Menu entries by role (DESIGN.md §1); the pages themselves still check access."""
    user = request.user
    items: list[tuple[str, Any]] = [
        (reverse("portal:index"), _("Public results")),
        (reverse("catalogue:index"), _("Indicator sets")),
    ]
    unread = 0
    if getattr(user, "is_authenticated", False):
        items.append((reverse("assessments:campaigns"), _("Campaigns")))
        unread = user.notifications.filter(read_at__isnull=True).count()
        if user_scopes(user):
            items.append((reverse("improvement:index"), _("Action programmes")))
            items.append((reverse("rollout:index"), _("Rollout")))
            items.append((reverse("orgunits:index"), _("Administrative units")))
            items.append((reverse("reports:documents"), _("Documents")))
            items.append((reverse("feedback:surveys"), _("Surveys")))
        if has_role(user, Role.ADMIN, Role.COORDINATOR):
            items.append((reverse("orgunits:people"), _("Users and roles")))
    path = request.path
    return {
        "nav_items": [(url, label, path.startswith(url)) for url, label in items],
        "demo_mode": settings.DEMO_MODE,
        "unread_notifications": unread,
    }
