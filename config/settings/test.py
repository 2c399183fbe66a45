"""Test settings: fast hashing, mail kept in memory, tasks eager unless a test starts a worker."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
SITE_SCHEME = "http"
SITE_PORT = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": mailer("django.core.mail.backends.locmem.EmailBackend")}  # noqa: F405
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
    }
}
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = True
TENANT_POOL_SIZE = 2
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CONN_MAX_AGE = 0
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405

# Hook for tests/tenants/test_worker.py, which starts a real Celery worker with these settings. When
# CELERY_WORKER_TEST_BROKER (a redis:// URL) is set, tasks go through that broker and store their results
# there instead of running eagerly, and mail is written as files into CELERY_WORKER_TEST_MAIL_DIR, where
# the test process reads it. Never set in ordinary test runs.
if os.environ.get("CELERY_WORKER_TEST_BROKER"):
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = os.environ["CELERY_WORKER_TEST_BROKER"]
    CELERY_TASK_ALWAYS_EAGER = False
    # Tasks the worker sends itself (a fan-out's per-gym tasks) stay on the test's own queue.
    CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_WORKER_TEST_QUEUE", "celery")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["CELERY_WORKER_TEST_MAIL_DIR"]},
        }
    }

# Hook for tests/e2e/, which serves the app from a real server process with these settings. When E2E_SMTP_PORT
# is set, mail goes over SMTP to the test's own server on 127.0.0.1:E2E_SMTP_PORT, and SITE_PORT is taken from
# the environment so that emailed links carry the server's port. Never set in ordinary test runs.
if os.environ.get("E2E_SMTP_PORT"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": int(os.environ["E2E_SMTP_PORT"]), "timeout": 10},
        }
    }
    SITE_PORT = os.environ.get("SITE_PORT", "")
    ALLOWED_HOSTS = ["localhost", ".localhost"]

# Static files come straight from the app folders (no collectstatic outside production).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Hook for tests/isolation/ and bench/isolation_load.py, which load a real server with requests for ten gyms and
# check that none sees another's data. When ISOLATION_PROBE is set, apps.core.isolation_probe reports each request's
# search_path and cache view in response headers; ISOLATION_CONN_MAX_AGE gives the server persistent database
# connections as in production (base.py: 60 s) instead of the 0 above; ISOLATION_CACHE_URL (a redis:// URL) puts
# the cache in Redis, shared by the server's processes, with ISOLATION_CACHE_KEY_PREFIX keeping one run's keys
# apart. Never set in ordinary test runs.
if os.environ.get("ISOLATION_PROBE"):
    MIDDLEWARE = ["apps.core.isolation_probe.SearchPathProbeMiddleware", *MIDDLEWARE]  # noqa: F405
if os.environ.get("ISOLATION_CONN_MAX_AGE"):
    CONN_MAX_AGE = int(os.environ["ISOLATION_CONN_MAX_AGE"])
    DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE  # noqa: F405
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
if os.environ.get("ISOLATION_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["ISOLATION_CACHE_URL"],
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "KEY_PREFIX": os.environ.get("ISOLATION_CACHE_KEY_PREFIX", ""),
        }
    }
