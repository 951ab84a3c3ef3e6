"""``collectstatic`` with the production storage succeeds on a fresh clone: every file gets a hashed name (browsers
keep it a year) and a compressed copy, url() references inside stylesheets point at hashed names, and the vendored
libraries stay byte for byte as published (their source-map comments, naming maps we do not ship, are left alone)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "tincay" / "static" / "vendor"


def test_collectstatic_with_the_manifest_storage(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("TINCAY_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        TINCAY_ENV="production",
        TINCAY_SINGLE_PROCESS="1",
        TINCAY_SECRET_KEY="k" * 60,
        TINCAY_ALLOWED_HOSTS="x.gov.vn",
        TINCAY_AUDIT_KEYS="k2026:" + "s" * 43,
        TINCAY_DATA_DIR=str(tmp_path / "data"),
        TINCAY_STATIC_ROOT=str(tmp_path / "static"),
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    css = manifest["vendor/bootstrap-5.3.8/bootstrap.min.css"]
    assert css != "vendor/bootstrap-5.3.8/bootstrap.min.css" and css.endswith(".css")
    assert (tmp_path / "static" / (css + ".gz")).exists()
    # the vendored file is served as published, its source-map comment untouched
    assert (tmp_path / "static" / css).read_bytes() == (VENDOR / "bootstrap-5.3.8" / "bootstrap.min.css").read_bytes()
    assert not [name for name in manifest if name.startswith("vendor/") and name.endswith(".map")]  # none shipped
