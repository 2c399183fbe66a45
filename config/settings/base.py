"""Settings shared by every environment. Configuration comes from environment variables only."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / ".data"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")

# Gyms live at <slug>.<BASE_DOMAIN>; the platform itself answers on BASE_DOMAIN.
BASE_DOMAIN = os.environ.get("BASE_DOMAIN", "localhost")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [BASE_DOMAIN, f".{BASE_DOMAIN}"]
SITE_SCHEME = os.environ.get("SITE_SCHEME", "https")
SITE_PORT = os.environ.get("SITE_PORT", "")

SHARED_APPS = [
    "tenants",  # before django_tenants: its migrate_schemas replaces django-tenants' one
    "django_tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "apps.accounts",
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "apps.core",
    "apps.accounts",
    "apps.audit",
    "apps.trainers",
    "apps.clients",
    "apps.training",
    "apps.assessments",
    "apps.clientfile",
    "apps.analytics",
    "apps.reports",
    "apps.team",
    "apps.api",
    "apps.demo",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Organization"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
# One SET search_path per request instead of one per cursor; set_tenant() resets it.
TENANT_LIMIT_SET_CALLS = True
# Schema every new gym is built from (see tenants/schema_factory.py).
TENANT_TEMPLATE_SCHEMA = "tenant_template"
TENANT_POOL_SIZE = int(os.environ.get("TENANT_POOL_SIZE", "3"))
# Seconds a web process trusts its in-memory host -> organization mapping.
TENANT_HOST_CACHE_SECONDS = int(os.environ.get("TENANT_HOST_CACHE_SECONDS", "30"))

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tenants.middleware.OrganizationMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "apps.trainers.middleware.ActorMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "apps.core.context_processors.organization",
                "apps.trainers.context_processors.actor",
            ],
        },
    },
]

# Django's widget templates, with inputs, selects and labels rendered in Python (same HTML; issue 16).
FORM_RENDERER = "apps.core.form_renderer.FastDjangoTemplates"

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/gym"),
        engine="django_tenants.postgresql_backend",
        # Connection reuse: opening one per request caps a page at ~110 req/s here.
        # Safe because every request sets its own search_path (TenantMainMiddleware).
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: email login on each gym's host, invitation-only sign-up.
ACCOUNT_ADAPTER = "apps.team.account_adapter.GymAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("LOGIN_FAILED_RATE_LIMIT", "5/5m/ip,5/5m/key"),
    "reset_password": "5/h/ip,3/h/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# allauth.usersessions lists a user's sessions, so deactivating a trainer can end every one of them.
USERSESSIONS_TRACK_ACTIVITY = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_SCHEME

# Host-only cookies: a session of one gym means nothing on another gym's host.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_FUNCTION": "django_tenants.cache.make_key",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "django_tenants.cache.make_key",
        }
    }

# Celery through tenant-schemas-celery: a task runs in the schema it was sent from.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker process is replaced after this many tasks, so that memory grown by rendering PDFs (WeasyPrint, fonts) is
# given back; the reports' tasks also have their own time limits (apps/reports/tasks.py).
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_TASKS_PER_CHILD", "100"))
# Started by `celery beat` (`make worker` runs one inside the worker). Hourly, at a quarter past, so every gym
# passes its own midnight within the hour whatever its time zone.
# How often the organization's long-period analytics are rebuilt (their page shows the time of the last build).
ANALYTICS_SNAPSHOT_MINUTES = int(os.environ.get("ANALYTICS_SNAPSHOT_MINUTES", "5"))
CELERY_BEAT_SCHEDULE = {
    "expire-packages": {
        "task": "apps.training.tasks.expire_packages_everywhere",
        "schedule": crontab(minute=15),
    },
    # Report exports (ZIPs of PDFs) are deleted seven days after they were made.
    "expire-report-exports": {
        "task": "apps.reports.tasks.expire_report_exports_everywhere",
        "schedule": crontab(minute=45),
    },
    # Issue 15: clients' session reminders, due ``Organization.reminder_hours`` before each session.
    "send-session-reminders": {
        "task": "apps.training.tasks.send_reminders_everywhere",
        "schedule": crontab(minute="*/5"),
    },
    # The organization's analytics for its long periods, kept ready (apps/analytics/snapshots.py).
    "refresh-gym-analytics": {
        "task": "apps.analytics.tasks.refresh_gym_analytics_everywhere",
        "schedule": crontab(minute=f"*/{ANALYTICS_SNAPSHOT_MINUTES}"),
    },
}


def mailer(backend):
    """A MAILERS entry for ``backend`` with the options that backend takes, from the environment."""
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
            "timeout": 20,
        }
    elif backend.endswith(("filebased.EmailBackend", "ConsoleAndFileEmailBackend")):
        options = {"file_path": str(os.environ.get("EMAIL_FILE_PATH", DATA_DIR / "mail"))}
    return {"BACKEND": backend, "OPTIONS": options}


MAILERS = {"default": mailer(os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"))}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Gym Platform <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the public landing page sends gyms that want to join the platform ("Contact us").
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "hello@localhost")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Our date formats per language (config/formats/<lang>/formats.py) before Django's own.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"

SILENCED_SYSTEM_CHECKS = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step at INFO ("Step 1 - Fetching and parsing HTML"...): warnings only.
    "loggers": {"django.db.backends": {"level": "INFO"}, "weasyprint": {"level": "WARNING"}},
}

# Invitation limits applied when an organization does not set its own.
INVITATION_DEFAULT_EXPIRY_DAYS = 7
INVITATION_DEFAULT_PENDING_LIMIT = 50
INVITATION_DEFAULT_DAILY_LIMIT = 100

# --- REST API (apps/api, docs/api.md) ----------------------------------------------------------------------------
API_MAX_BODY_BYTES = 1024 * 1024
API_THROTTLE_RATES = {
    "read": os.environ.get("API_THROTTLE_READ", "600/min"),
    "write": os.environ.get("API_THROTTLE_WRITE", "120/min"),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.api.authentication.ApiKeyAuthentication",
        "apps.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.api.permissions.ActorRequired"],
    "DEFAULT_THROTTLE_CLASSES": ["apps.api.throttling.GymRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "apps.api.pagination.StableCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gym Platform API",
    "DESCRIPTION": (
        "Everything a gym does, for programs. Each gym has its own host: `https://<gym>.<domain>/api/v1/`. "
        "Authenticate with a personal API key (`Authorization: Bearer gk_…`), created on Profile → API keys. "
        "Errors share one shape: `{code, message, fields}`. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.api.schema.add_links",
    ],
}
