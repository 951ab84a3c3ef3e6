"""The production settings plus one URL, ``/_load/ceiling/``: a minimal Django view (no template, no query) served
through the same middleware, gunicorn, workers and threads as the product's pages. Its throughput is the
framework's ceiling on this machine, the yardstick the load figures are given against."""

from tincay.config.settings import *  # noqa: F403 - the product's settings, unchanged but for the URLs

ROOT_URLCONF = "loadtest.urls"
