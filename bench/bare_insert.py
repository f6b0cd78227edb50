"""A bare Django app for bench/api_push.py: POST /insert inserts one row, nothing else.

Served by the same gunicorn, settings and database as the push, so the push is measured
against the cheapest write Django can do there: no middleware, no authentication, one
INSERT (a `core_sharedcounter` row that expires at once and is purged with the others).
The view is in bench/bare_insert_urls.py.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bare_insert_urls"  # the project's URLs (apps reverse some) + /insert
settings.MIDDLEWARE = []

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
