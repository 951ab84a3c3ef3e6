"""The WSGI application (gunicorn: ``tincay.config.wsgi``).

The URLconf, and with it every view module, is imported here, while the worker boots, instead of during the first
request it serves: a fresh worker (a deploy, a restart, gunicorn replacing a worker) answers its first page at full
speed instead of making one person wait for a thousand imports (seconds)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tincay.config.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports the views now (see above)
