"""Hive's one settings module: everything that differs between machines comes from the environment.

Development defaults are safe: DEBUG is off unless asked for, and a missing SECRET_KEY is an error
outside DEBUG (but for manage.py's schema commands, which sign nothing). `make run` turns DEBUG on
and uses an SQLite file; production sets DATABASE_URL (PostgreSQL) and REDIS_URL. See the
configuration table in README.md.
"""

import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list, env_str
from config.saml import saml_provider

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "dev-only-insecure-key-never-use-in-production-7c1f0d2e9a"
    elif env_bool("HIVE_SECRETLESS_COMMAND", False):
        # Set by manage.py for schema commands only (makemigrations...): nothing is signed with it.
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "taggit",
    "common",
    "profiles",
    "delivery",
    "communities",
    "expertise",
    "moderation",
    # Before feed: its card comes first on a group's page, above the group's posts.
    "wiki",
    "feed",
    "recognition",
    "projects",
    "events",
    "surveys",
    "search",
    "notifications",
    "analytics",
    "digests",
    "provisioning",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says otherwise (sign-in, /healthz).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "analytics.middleware.ActiveDayMiddleware",
    "digests.middleware.LastSeenMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "profiles.context_processors.viewer",
                "profiles.context_processors.sso",
            ],
        },
    },
]

# --- Data ------------------------------------------------------------------------------------
# PostgreSQL is the system of record. With no DATABASE_URL, an SQLite file lets a laptop with only
# Python try Hive (`make run`); the test suite refuses SQLite (tests/conftest.py).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it pays off on long analytic scans, and Hive's queries are short. A plan
    # whose cost crosses jit_above_cost (100,000) spent 300-600 ms compiling to save microseconds, and
    # search's session (search/backends/postgres.py) turns seq scans off, which adds a cost of 10^10
    # to any plan on a table without a usable index: every such query crossed it.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# The test suite runs in several processes at once (pytest-xdist names each: gw0, gw1...). Sharing one
# Redis, each keeps its cache keys and its Celery queues under a prefix of its own, so that one
# process's cleaning (tests/conftest.py) or worker never touches another's. Empty everywhere else.
REDIS_KEY_PREFIX = f"hive-test-{env_str('PYTEST_XDIST_WORKER')}" if env_str("PYTEST_XDIST_WORKER") else ""
if REDIS_URL:
    CACHES = {
        "default": {
            # Falls back to process memory while Redis is unreachable (common/cache.py).
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Sign-in ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "profiles.User"
# Django's and allauth's password backends, each refusing passwords in SSO-only mode (profiles/backends.py).
AUTHENTICATION_BACKENDS = [
    "profiles.backends.CompanyModelBackend",
    "profiles.backends.CompanyAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "feed:home"

# Only addresses at these domains may sign up (password or SSO). Empty means nobody may sign up.
HIVE_SIGNUP_DOMAINS = [d.lower().lstrip("@") for d in env_list("HIVE_SIGNUP_DOMAINS", "example.com")]
HIVE_COMPANY_NAME = env_str("HIVE_COMPANY_NAME", "Hive")
# The sentence model that finds look-alike projects in other words: "auto", "off" or a directory
# (common/sentence_embeddings.py).
HIVE_SEMANTIC_MODEL = env_str("HIVE_SEMANTIC_MODEL", "auto")

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("HIVE_EMAIL_VERIFICATION", "optional")
ACCOUNT_ADAPTER = "profiles.adapters.CompanyAccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
SOCIALACCOUNT_ADAPTER = "profiles.adapters.CompanySocialAccountAdapter"
# A provider account is found by its subject (`sub`); it joins an existing account by email only when
# the provider and Hive have both verified that email (profiles/sso.py, profiles/adapters.py).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_FORMS = {"signup": "profiles.forms.SsoSignupForm"}
# Security notices by email: a sign-in method connected (templates/socialaccount/email/), a password or
# address changed. They go to the account's primary address whatever the person's notification choices.
ACCOUNT_EMAIL_NOTIFICATIONS = True

# One optional OpenID Connect provider (Microsoft Entra ID, Okta, Google Workspace...).
OIDC_CLIENT_ID = env_str("HIVE_OIDC_CLIENT_ID")
HIVE_OIDC_EMAIL_AUTHORITATIVE = env_bool("HIVE_OIDC_EMAIL_AUTHORITATIVE", False)
# Signing out of Hive after an SSO sign-in also ends the provider's session (RP-initiated logout).
HIVE_OIDC_RP_LOGOUT = env_bool("HIVE_OIDC_RP_LOGOUT", True)
# SSO-only: no password sign-in, sign-up or reset, except for the named break-glass administrators
# (who sign in at /accounts/login/?break_glass=1 or /admin/), for when the provider is down.
HIVE_SSO_ONLY = env_bool("HIVE_SSO_ONLY", False)
HIVE_SSO_BREAK_GLASS_EMAILS = [e.lower() for e in env_list("HIVE_SSO_BREAK_GLASS_EMAILS", "")]
# One optional SAML 2.0 identity provider (ADFS, Okta, Entra ID...): config/saml.py.
# Signing out of Hive after a SAML sign-in also signs out at the IdP (SP-initiated single logout), when
# the IdP has a logout URL.
HIVE_SAML_SINGLE_LOGOUT = env_bool("HIVE_SAML_SINGLE_LOGOUT", True)
HIVE_SAML_IDP_ENTITY_ID = env_str("HIVE_SAML_IDP_ENTITY_ID")
if HIVE_SSO_ONLY and not (OIDC_CLIENT_ID or HIVE_SAML_IDP_ENTITY_ID):
    raise ImproperlyConfigured(
        "HIVE_SSO_ONLY needs single sign-on: set HIVE_OIDC_CLIENT_ID or HIVE_SAML_IDP_ENTITY_ID."
    )
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, Any]] = {}
if OIDC_CLIENT_ID:
    _oidc_server = env_str("HIVE_OIDC_SERVER_URL")
    if not _oidc_server:
        raise ImproperlyConfigured("HIVE_OIDC_SERVER_URL must be set with HIVE_OIDC_CLIENT_ID.")
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env_str("HIVE_OIDC_PROVIDER_ID", "sso"),
                "name": env_str("HIVE_OIDC_NAME", "Company SSO"),
                "client_id": OIDC_CLIENT_ID,
                "secret": env_str("HIVE_OIDC_CLIENT_SECRET"),
                "settings": {
                    "server_url": _oidc_server,
                    # Providers that send no `email_verified` (Entra ID) but whose addresses the
                    # company's admins manage: their emails at the company's domains count as verified.
                    "verified_email": HIVE_SIGNUP_DOMAINS if HIVE_OIDC_EMAIL_AUTHORITATIVE else False,
                },
            }
        ],
    }

if HIVE_SAML_IDP_ENTITY_ID:
    if not (env_str("HIVE_SAML_IDP_METADATA_URL") or env_str("HIVE_SAML_IDP_SSO_URL")):
        raise ImproperlyConfigured(
            "HIVE_SAML_IDP_ENTITY_ID needs HIVE_SAML_IDP_METADATA_URL, or HIVE_SAML_IDP_SSO_URL with "
            "HIVE_SAML_IDP_X509CERT."
        )
    SOCIALACCOUNT_PROVIDERS["saml"] = saml_provider(
        organization=env_str("HIVE_SAML_ORGANIZATION", "company"),
        name=env_str("HIVE_SAML_NAME", "Company SSO (SAML)"),
        idp_entity_id=HIVE_SAML_IDP_ENTITY_ID,
        idp_metadata_url=env_str("HIVE_SAML_IDP_METADATA_URL"),
        idp_sso_url=env_str("HIVE_SAML_IDP_SSO_URL"),
        idp_slo_url=env_str("HIVE_SAML_IDP_SLO_URL"),
        idp_x509cert=env_str("HIVE_SAML_IDP_X509CERT"),
        sp_entity_id=env_str("HIVE_SAML_SP_ENTITY_ID"),
        sp_x509cert=env_str("HIVE_SAML_SP_X509CERT"),
        sp_private_key=env_str("HIVE_SAML_SP_PRIVATE_KEY"),
        uid_attribute=env_str("HIVE_SAML_UID_ATTRIBUTE"),
        verified_email=HIVE_SIGNUP_DOMAINS if env_bool("HIVE_SAML_EMAIL_AUTHORITATIVE", False) else False,
    )

# --- Email -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Hive <hive@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in emails (digest, unsubscribe) start with this.
HIVE_BASE_URL = env_str("HIVE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Celery ----------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Without a broker, `make run` runs tasks in-process so the demo needs nothing but Python.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues a task while Redis is down gives up within about a second, not kombu's
# default of several: the task waits in the outbox (common/outbox.py) and the request goes on.
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "socket_connect_timeout": 1,
}
if REDIS_KEY_PREFIX:
    # Every broker key (queues, bindings, control channels) under the process's prefix.
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"{REDIS_KEY_PREFIX}:celery:"
CELERY_TIMEZONE = env_str("HIVE_TIME_ZONE", "UTC")
# Two Hives (or two test processes) sharing one Redis keep their tasks apart with their own queue.
CELERY_TASK_DEFAULT_QUEUE = env_str("HIVE_CELERY_QUEUE", "celery")
CELERY_BEAT_SCHEDULE = {
    # Yesterday's adoption figures, once the day is over everywhere in the company's time zone.
    "analytics-nightly-rollup": {
        "task": "analytics.rollup_yesterday",
        "schedule": crontab(hour=0, minute=30),
    },
    # Bulk email a dead worker, a lost task or a mail server outage left owed: queued again once
    # their lease runs out (HIVE_DELIVERY_LEASE_SECONDS).
    "delivery-sweep": {"task": "delivery.sweep", "schedule": crontab(minute="*")},
    # Each person's digest (daily, or weekly on their weekday) of what they missed up to midnight.
    "digests-daily": {"task": "digests.send_daily", "schedule": crontab(hour=7, minute=0)},
    # Scheduled posts whose time has come (each claimed once: feed/scheduling.py).
    "feed-scheduled-posts-publish": {"task": "feed.scheduled_posts_publish", "schedule": 60.0},
    # The one reminder of a must-read announcement to whoever has not acknowledged it.
    "feed-acknowledgement-reminders": {
        "task": "feed.acknowledgement_reminders",
        "schedule": crontab(hour=10, minute=0),
    },
    "analytics-weekly-report": {
        "task": "analytics.weekly_report_last_week",
        "schedule": crontab(day_of_week="mon", hour=8, minute=0),
    },
    # Skills' and interests' people counts, corrected for people who left or came back since.
    "expertise-people-counts-recount": {
        "task": "expertise.people_counts_recount",
        "schedule": crontab(minute=20),
    },
    # Unused points allowance expires and the new period's is granted (idempotent: daily, for newcomers too).
    "recognition-allowance-reset": {
        "task": "recognition.allowance_reset",
        "schedule": crontab(hour=0, minute=10),
    },
    # Badges earned from posts and best answers (kudos award theirs after each kudos); idempotent.
    "recognition-badges-award": {
        "task": "recognition.badges_award",
        "schedule": crontab(hour=2, minute=15),
    },
    # The leaderboard's tallies and the profiles' kudos counts checked against the kudos, without locking;
    # it corrects only what went around recognition's services (and logs a warning when it does).
    "recognition-counts-repair": {
        "task": "recognition.counts_repair",
        "schedule": crontab(hour=2, minute=45),
    },
    # Today's birthdays (for people who shared theirs) and work anniversaries, in the feed each morning.
    "recognition-celebrations-post": {
        "task": "recognition.celebrations_post",
        "schedule": crontab(hour=7, minute=5),
    },
    # Zero-result search counts older than HIVE_ZERO_RESULT_DAYS.
    "search-zero-results-prune": {
        "task": "search.zero_results_prune",
        "schedule": crontab(hour=3, minute=10),
    },
    # Watchers of wiki pages told of the edits that settled since (wiki/watches.py batches them).
    "wiki-edits-notify": {"task": "wiki.edits_notify", "schedule": 60.0},
    # Tasks whose changes committed while the broker was unreachable (common/outbox.py).
    "common-outbox-relay": {"task": "common.outbox_relay", "schedule": 60.0},
    # Sentence vectors of projects that came in without one (bulk loads, a failed task, a new model).
    "projects-embeddings-backfill": {
        "task": "projects.embeddings_backfill",
        "schedule": crontab(minute=40),
    },
    # The same for every kind registered with common.retrieval (questions, groups, skills).
    "common-text-vectors-backfill": {
        "task": "common.text_vectors_backfill",
        "schedule": crontab(minute=45),
    },
}
HIVE_DIGEST_BATCH_SIZE = env_int("HIVE_DIGEST_BATCH_SIZE", 500)
# Searches that found nothing: how many days of counts are kept, and different queries a day at most.
HIVE_ZERO_RESULT_DAYS = env_int("HIVE_ZERO_RESULT_DAYS", 180)
HIVE_ZERO_RESULT_MAX_PER_DAY = env_int("HIVE_ZERO_RESULT_MAX_PER_DAY", 5000)
# The digest's one-click unsubscribe link stops working after this many days (a forwarded old
# digest should not turn someone's mail off); the settings page always works.
HIVE_UNSUBSCRIBE_LINK_DAYS = env_int("HIVE_UNSUBSCRIBE_LINK_DAYS", 60)
# Bulk email (delivery/): how long a worker may hold a message before another takes it back (longer
# than one SMTP exchange, EMAIL_TIMEOUT), the first backoff after a transient SMTP failure (doubling
# each time), and how many tries before a message is recorded as failed.
HIVE_DELIVERY_LEASE_SECONDS = env_int("HIVE_DELIVERY_LEASE_SECONDS", 300)
HIVE_DELIVERY_RETRY_SECONDS = env_int("HIVE_DELIVERY_RETRY_SECONDS", 30)
HIVE_DELIVERY_MAX_ATTEMPTS = env_int("HIVE_DELIVERY_MAX_ATTEMPTS", 8)
# A batch's claims are renewed this often (at most a third of the lease), which also catches people
# deactivated while their batch is being sent.
HIVE_DELIVERY_RENEW_SECONDS = env_int("HIVE_DELIVERY_RENEW_SECONDS", 2)

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("HIVE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security (production unless DEBUG) ------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# The header only makes the site eligible: submitting it to the browsers' list stays a manual step.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # allauth limits failed sign-ins per client address. Behind a proxy every request comes from
    # the proxy, so without this one typo-prone afternoon would lock the whole company out; the
    # address is read from the right of X-Forwarded-For, past the proxies we run, never the
    # client-written left end.
    ALLAUTH_TRUSTED_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 1)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The load balancer probes /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("HIVE_LOG_LEVEL", "INFO")},
}

# --- Hive ------------------------------------------------------------------------------------
HIVE_POST_MAX_LENGTH = 5000
# The newcomer path (feed/newcomers.py): the checklist on Home and the tips, for this many days from a
# person's start date (or sign-up). 0 turns it off.
HIVE_NEWCOMER_DAYS = env_int("HIVE_NEWCOMER_DAYS", 30)
HIVE_COMMENT_MAX_LENGTH = 2000
HIVE_PAGE_SIZE = 20
# Multiplies every rate limit (moderation/ratelimit.py); the test suite raises it so no test trips one.
HIVE_RATE_LIMIT_FACTOR = env_int("HIVE_RATE_LIMIT_FACTOR", 1)
# The rollup's (day, department) constraint treats "no department" as a value; SQLite (demo only)
# cannot express that, and rollup_fill replaces a day's rows in one transaction anyway.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# --- Uploads ---------------------------------------------------------------------------------
# Profile photos. Served by Hive itself to signed-in people only (profiles/views.py: media).
MEDIA_ROOT = Path(env_str("HIVE_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
HIVE_PHOTO_MAX_BYTES = env_int("HIVE_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
HIVE_POST_IMAGE_MAX_BYTES = env_int("HIVE_POST_IMAGE_MAX_BYTES", 10 * 1024 * 1024)

# --- Moderation: flags and the review queue (moderation/) ------------------------------------
# Flags one person may raise in 24 hours: enough for anyone reporting in good faith, not a weapon.
HIVE_FLAGS_PER_DAY = env_int("HIVE_FLAGS_PER_DAY", 20)
# When the weights of a piece's flags add up to this, it is hidden from everyone but its author and
# moderators until a moderator decides (a flag weighs 0 to 2 by its flagger's record: 1 with none).
# 0 turns hiding off.
HIVE_FLAG_HIDE_WEIGHT = env_float("HIVE_FLAG_HIDE_WEIGHT", 3.0)
