"""The WSGI application (gunicorn: ``tincay.config.wsgi``).

The URLconf, and with it every view module, is imported here, when gunicorn's master loads the application
(``preload_app``, ``tincay/config/gunicorn.py``), instead of during the first request a worker serves: every worker
is a fork that answers its first page at full speed instead of making one person wait for a thousand imports
(seconds). The fingerprint of the deployed code that the pages' ETags carry (``tincay.accounts.freshness``) is
worked out here too, once."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tincay.config.settings")
application = get_wsgi_application()

from tincay.accounts import freshness  # noqa: E402 - after the settings are loaded

get_resolver().url_patterns  # noqa: B018 - imports the views now (see above)
freshness.code_fingerprint()  # the pages' ETags name the deployed code: read once here, not on a first revisit
