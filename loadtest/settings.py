"""The production settings plus two URLs: ``/_load/ceiling/``, a minimal Django view (no template, no query) served
through the same middleware, gunicorn, workers and threads as the product's pages: its throughput is the
framework's ceiling on this machine, the yardstick the load figures are given against; and ``/_load/signed-in/``,
the same after reading the session and loading the person, which every signed-in page does first."""

from tincay.config.settings import *  # noqa: F403 - the product's settings, unchanged but for the URLs

ROOT_URLCONF = "loadtest.urls"
