"""WSGI entry point (served by gunicorn in `fgc serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fgc.config.settings.dev")

application = get_wsgi_application()
