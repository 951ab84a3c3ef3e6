"""``manage.py check --deploy`` findings about how this instance is run (registered by ``OpsConfig.ready``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def security_contact(app_configs, **kwargs) -> list[Warning]:
    if getattr(settings, "TINCAY_SECURITY_CONTACT", None):
        return []
    return [
        Warning(
            "TINCAY_SECURITY_CONTACT is not set, so /.well-known/security.txt is not served.",
            hint="Set it to where vulnerabilities should be reported, e.g. mailto:security@haiphong.gov.vn.",
            id="tincay.W001",
        )
    ]
