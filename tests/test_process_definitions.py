"""The systemd units run exactly the commands of deploy/Procfile (which the scale-out test starts), so what the
tests exercise is what an administrator installs; the example environment file names every setting the units need
and nothing the settings do not read."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from loadtest.stack import procfile

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNITS = {"web": "tincay-web@.service", "worker": "tincay-worker@.service", "clock": "tincay-clock.service"}


def test_each_unit_runs_its_procfile_line():
    kinds = procfile()
    assert sorted(kinds) == sorted(UNITS)
    for kind, unit in UNITS.items():
        text = (DEPLOY / "systemd" / unit).read_text()
        start = re.search(r"^ExecStart=(.+)$", text, re.M).group(1)
        command = [part.removeprefix("/srv/tincay/") for part in shlex.split(start)]
        assert command == kinds[kind], unit
        assert "EnvironmentFile=/etc/tincay/tincay.env" in text and "Restart=always" in text


def test_the_example_environment_names_only_settings_that_exist():
    settings_text = "".join(
        path.read_text()
        for path in [DEPLOY.parent / "tincay/config/settings.py", DEPLOY.parent / "tincay/config/gunicorn.py"]
    )
    names = [
        line.split("=", 1)[0]
        for line in (DEPLOY / "systemd/tincay.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert "TINCAY_ENV" in names and "DATABASE_URL" in names and "REDIS_URL" in names
    missing = [name for name in names if f'"{name}"' not in settings_text]
    assert missing == []
