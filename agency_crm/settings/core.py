"""Gonggam settings, the core part (see agency_crm/settings/__init__.py for the others).

Every variable is documented in README.md ("Settings"). Bad values fail loudly at start-up:
django-environ raises on values it cannot parse, and the checks below raise ImproperlyConfigured.
"""

from decimal import Decimal, InvalidOperation
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is a convenience for development; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Embedded defaults (SQLite, filesystem broker, mail files) live here.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Public base URL used in links inside emails (proposal and feedback links, notifications).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
AGENCY_NAME = env.str("AGENCY_NAME", default="Gonggam Demo Agency")

# Scoped inquiries (inquiries app): default hourly rate and currency of estimates (overridable per
# inquiry), the team's capacity used to turn hours into calendar weeks, and how long a proposal
# link stays valid.
try:
    AGENCY_HOURLY_RATE = Decimal(env.str("AGENCY_HOURLY_RATE", default="120000"))
    TEAM_CAPACITY_HOURS_PER_WEEK = Decimal(env.str("TEAM_CAPACITY_HOURS_PER_WEEK", default="80"))
except InvalidOperation as exc:
    raise ImproperlyConfigured("AGENCY_HOURLY_RATE and TEAM_CAPACITY_HOURS_PER_WEEK must be numbers.") from exc
AGENCY_CURRENCY = env.str("AGENCY_CURRENCY", default="KRW").upper()
PROPOSAL_LINK_MAX_AGE_DAYS = env.int("PROPOSAL_LINK_MAX_AGE_DAYS", default=30)
if not AGENCY_HOURLY_RATE.is_finite() or AGENCY_HOURLY_RATE <= 0:
    raise ImproperlyConfigured("AGENCY_HOURLY_RATE must be a positive number.")
if not TEAM_CAPACITY_HOURS_PER_WEEK.is_finite() or TEAM_CAPACITY_HOURS_PER_WEEK <= 0:
    raise ImproperlyConfigured("TEAM_CAPACITY_HOURS_PER_WEEK must be a positive number.")
if PROPOSAL_LINK_MAX_AGE_DAYS < 1:
    raise ImproperlyConfigured("PROPOSAL_LINK_MAX_AGE_DAYS must be at least 1.")
if len(AGENCY_CURRENCY) != 3 or not AGENCY_CURRENCY.isalpha():
    raise ImproperlyConfigured("AGENCY_CURRENCY must be a three-letter ISO 4217 code, e.g. KRW or USD.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Only active on PostgreSQL connections (full-text search, trigram indexes).
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "axes",
    # Two-factor sign-in with an authenticator app (TOTP) and recovery codes (agency_crm.team).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Rate limits of the public contact form and magic-link requests (the app adds its checks).
    "django_ratelimit",
    # Ships Bootstrap 5's compiled CSS/JS as static files (no CDN).
    "bootstrap",
    "agency_crm",
    "clients",
    "inquiries",
    "followups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "agency_crm.headers.PolicyHeadersMiddleware",  # Content-Security-Policy and Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 413 before the body is read, in the user's layout: its process_view runs before CSRF's reads
    # the form, and after the URL is resolved (a view may allow larger files: agency_crm.limits).
    "agency_crm.limits.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in person's language and name order (their /settings/), over the browser's.
    "agency_crm.preferences.middleware.PersonalPreferencesMiddleware",
    # Every view needs a login unless decorated with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # When the agency requires two-factor sign-in, a person without an authenticator is sent to
    # set one up (a flag the login put in the session: no query per request).
    "agency_crm.team.middleware.TwoFactorSetupMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Bare 405 and 429 responses get the app's error page.
    "agency_crm.errors.ErrorPageMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "agency_crm.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agency_crm.context_processors.navigation",
            ],
            # person_name, moment and fact in every template, without {% load %}.
            "builtins": ["agency_crm.templatetags.people_tags"],
        },
    },
    {
        # The layout and the pages staff load all day (the inbox, a conversation) in Jinja2:
        # see agency_crm/jinja_templates.py. Always asked for by name with `using="jinja2"`.
        "NAME": "jinja2",
        "BACKEND": "agency_crm.jinja_templates.Backend",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "agency_crm.jinja_templates.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agency_crm.context_processors.navigation",
            ],
            # Each library's filters, by the names Django templates know them by.
            "filter_libraries": [
                "agency_crm.templatetags.people_tags",
                "agency_crm.templatetags.customer_links",
                "followups.templatetags.followups_tags",
            ],
            # Each library's inclusion and simple tags, as their functions: the conversation page
            # shows the panels of the rooms above conversations, which its view may not import.
            "tag_libraries": [
                "followups.templatetags.presence_tags",
                "followups.templatetags.answers_tags",
                "followups.templatetags.mailin_tags",
                "followups.templatetags.webform_tags",
            ],
        },
    },
]

# Widgets render through Django's Jinja2 widget templates where Django has one (agency_crm/jinja_templates.py).
FORM_RENDERER = "agency_crm.jinja_templates.FormRenderer"

WSGI_APPLICATION = "agency_crm.wsgi.application"

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if not DEBUG else 0)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, worker and beat share one SQLite file in `make run`. WAL lets readers go on
    # while one process writes; IMMEDIATE transactions take the write lock when they begin, so a
    # transaction that read first never fails at once with "database is locked" when it comes to
    # write (SQLite cannot wait for a lock a reader wants to upgrade); and every lock is waited
    # for up to 20 s (the busy timeout) instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # The dashboard's covering index (followups.ResponseWait, wait_answered_facts_idx) includes
    # columns only PostgreSQL can hold; SQLite gets the same index without them, which is fine.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # django-axes first so locked-out logins are refused before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection: lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("AXES_FAILURE_LIMIT must be at least 1.")

# The team (agency_crm.team): how long an invitation link works, and how many sign-in codes one
# account may try (django-ratelimit's "count/period", across addresses) on top of django-axes,
# which counts every wrong code as a failed login of that username and address.
TEAM_INVITATION_MAX_AGE_DAYS = env.int("TEAM_INVITATION_MAX_AGE_DAYS", default=7)
TWO_FACTOR_CODE_RATE = env.str("TWO_FACTOR_CODE_RATE", default="5/m")
if TEAM_INVITATION_MAX_AGE_DAYS < 1:
    raise ImproperlyConfigured("TEAM_INVITATION_MAX_AGE_DAYS must be at least 1.")
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = AGENCY_NAME

# --- Internationalisation -------------------------------------------------------------------
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
# Dates per language: 2026년 12월 3일 (목) 오후 1:00 / Thu 3 Dec 2026, 13:00 (agency_crm/formats).
FORMAT_MODULE_PATH = ["agency_crm.formats"]
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}.")
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Seoul")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known time zone.") from exc
# The response clock (followups): defaults of the business calendar managers edit in the admin.
BUSINESS_TIME_ZONE = env.str("BUSINESS_TIME_ZONE", default=TIME_ZONE)
BUSINESS_COUNTRY = env.str("BUSINESS_COUNTRY", default="KR").upper()
try:
    zoneinfo.ZoneInfo(BUSINESS_TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"BUSINESS_TIME_ZONE {BUSINESS_TIME_ZONE!r} is not a known time zone.") from exc
# Post-sale care (followups): how long a feedback link works, how long a customer may change a
# rating, and after how many business days a handled check-in without an outcome is overdue.
FEEDBACK_LINK_MAX_AGE_DAYS = env.int("FEEDBACK_LINK_MAX_AGE_DAYS", default=30)
FEEDBACK_CHANGE_WINDOW_MINUTES = env.int("FEEDBACK_CHANGE_WINDOW_MINUTES", default=30)
CHECKIN_OVERDUE_AFTER_DAYS = env.int("CHECKIN_OVERDUE_AFTER_DAYS", default=2)
if FEEDBACK_LINK_MAX_AGE_DAYS < 1 or FEEDBACK_CHANGE_WINDOW_MINUTES < 0 or CHECKIN_OVERDUE_AFTER_DAYS < 0:
    raise ImproperlyConfigured(
        "FEEDBACK_LINK_MAX_AGE_DAYS must be at least 1; FEEDBACK_CHANGE_WINDOW_MINUTES and "
        "CHECKIN_OVERDUE_AFTER_DAYS must not be negative."
    )
# Manager dashboard (followups): how often beat computes the long periods' response figures.
DASHBOARD_PRECOMPUTE_SECONDS = env.int("DASHBOARD_PRECOMPUTE_SECONDS", default=300)
if DASHBOARD_PRECOMPUTE_SECONDS < 30:
    raise ImproperlyConfigured("DASHBOARD_PRECOMPUTE_SECONDS must be at least 30.")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    # kombu's filesystem transport: producers and consumers share one folder.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Broadcast/control messages (e.g. `celery inspect`) stay under var/ too.
        "control_folder": str(_broker_dir / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task whose worker died is redelivered after this long (must exceed the longest
        # task and ETA we use).
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
# Only JSON crosses the broker: tasks take ids, never pickled model instances.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Acknowledge after the task ran, and requeue when the worker process is killed, so a crash
# never loses work; every task is written to be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One task at a time per process: long tasks do not hold back prefetched short ones.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A stuck SMTP/IMAP call must not hang a worker forever.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
# The database is the source of truth; task results are not needed.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Managers see (and can pause) periodic tasks in the admin.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic task of every app, in one place. The DatabaseScheduler copies these into the
# database at start-up, where managers can see them in the admin. Each task is idempotent.
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "agency_crm.tasks.worker_heartbeat", "schedule": 60.0},
    # Delivers outbox rows left pending (broker outage, dead worker, retry due).
    "outbox-sweep": {"task": "agency_crm.outbox.tasks.sweep_outbox", "schedule": 60.0},
    # Reminders and escalation: remind every crossed level, then send the batched emails.
    "reminders-tick": {
        "task": "followups.tasks_reminders.reminders_tick",
        "schedule": env.float("REMINDERS_TICK_SECONDS", default=60.0),
    },
    # A customer accepted a proposal: tell the inquiry's owner (inquiries cannot call followups).
    "proposals-accepted-notify": {
        "task": "followups.tasks_proposals.proposals_accepted_notify",
        "schedule": 60.0,
    },
    # The 12-, 26- and 52-week dashboards' response figures, computed ahead of time.
    "dashboard-precompute": {
        "task": "followups.tasks_dashboard.dashboard_precompute",
        "schedule": float(DASHBOARD_PRECOMPUTE_SECONDS),
    },
    # Post-sale care: due check-ins, delivered inquiries, maintenance plans, feedback requests.
    "care-daily": {"task": "followups.tasks_care.care_daily", "schedule": crontab(minute=15)},
    # Last week's review goes out at the first business opening of the week (the task waits for it).
    "care-weekly-review": {"task": "followups.tasks_care.weekly_review", "schedule": crontab(minute=0)},
}
# The web app must not hang when the broker is down: give up publishing quickly.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}

# --- Security -------------------------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"plain_forbidden": {"()": "agency_crm.errors.PlainForbiddenLog"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # A 403 is a one-line warning, not a traceback.
        "django.request": {"filters": ["plain_forbidden"]},
    },
}
from .http_policy import *  # noqa: E402, F403  (cookies, CSP, Referrer- and Permissions-Policy, request sizes)
