"""Development: DEBUG on, plain HTTP, mail printed and kept as files under .data/mail."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "1") not in {"0", "false", "False"}
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-not-for-production"  # noqa: F405
SITE_SCHEME = os.environ.get("SITE_SCHEME", "http")
SITE_PORT = os.environ.get("SITE_PORT", "8000")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_SCHEME
MAILERS = {"default": mailer(os.environ.get("EMAIL_BACKEND", "apps.core.mail.ConsoleAndFileEmailBackend"))}  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Static files come straight from the app folders (no collectstatic outside production).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
