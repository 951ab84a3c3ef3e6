"""Resident memory of a process that serves the heaviest pages (what one web worker needs)."""

from __future__ import annotations

import os
import resource

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tincay.config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from tincay.assessments.models import Assessment, Campaign  # noqa: E402


def main() -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username="quantri"))
    campaign = Campaign.objects.filter(code__startswith="bench-").order_by("-year", "code").first()
    assessment = Assessment.objects.filter(campaign=campaign).first()
    urls = [
        "/catalogue/tcvn-iso-18091/2020/",
        "/units/31/",
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/indicators/1.7/",
        f"/campaigns/{campaign.code}/",
        "/api/v1/units/?level=commune&limit=5000",
    ]
    for _ in range(5):
        for url in urls:
            assert client.get(url).status_code == 200, url
    print(f"  {'web worker peak memory after the heaviest pages x5':<58} {_peak_mb():7.0f} MB")


def _peak_mb() -> float:
    """Peak resident memory of this process since exec (VmHWM; ru_maxrss would include the parent's peak)."""
    for line in open("/proc/self/status", encoding="ascii"):  # noqa: SIM115
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
