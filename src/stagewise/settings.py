"""Stagewise settings: one module, every value from the environment.

STAGEWISE_ENVIRONMENT=production demands real secrets and turns on every transport protection;
development (the default) works out of the box on an embedded SQLite database.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from stagewise.environment import (
    env_bool,
    env_choice,
    env_email_address,
    env_int,
    env_list,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent

ENVIRONMENT = env_choice(
    "STAGEWISE_ENVIRONMENT", "development", {"development", "test", "production"}
)
PRODUCTION = ENVIRONMENT == "production"

# Demo mode lets staff sign in without two-factor authentication; every page then says so.
DEMO_MODE = env_bool("STAGEWISE_DEMO_MODE", default=False)
if DEMO_MODE and PRODUCTION:
    raise ImproperlyConfigured(
        "STAGEWISE_DEMO_MODE is refused when STAGEWISE_ENVIRONMENT=production: demo mode lets "
        "staff sign in without two-factor authentication. Remove STAGEWISE_DEMO_MODE."
    )
STAFF_TWO_FACTOR_REQUIRED = not DEMO_MODE

# Debug pages show settings and whatever a request carried (a password-reset link, say) to
# anyone who can reach the server, so a demo, which strangers may use, never has them.
DEBUG = env_bool("STAGEWISE_DEBUG", default=ENVIRONMENT == "development" and not DEMO_MODE)
if DEBUG and (DEMO_MODE or PRODUCTION):
    raise ImproperlyConfigured(
        "STAGEWISE_DEBUG=true is refused in demo mode and in production: debug pages show "
        "settings and password-reset links to anyone. Remove STAGEWISE_DEBUG."
    )
if PRODUCTION:
    SECRET_KEY = env_str("STAGEWISE_SECRET_KEY")
    ALLOWED_HOSTS = env_list("STAGEWISE_ALLOWED_HOSTS", [])
    DATABASE_URL = env_str("DATABASE_URL")
else:
    SECRET_KEY = env_str(
        "STAGEWISE_SECRET_KEY", "development-only-key-never-used-in-production-0123456789"
    )
    ALLOWED_HOSTS = env_list(
        "STAGEWISE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
    )
    DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'stagewise.sqlite3'}")
# Keys retired by a rotation: sessions, password-reset links and other signatures made with them
# stay valid until they expire, while everything new is signed with SECRET_KEY
# (docs/howto/rotate-secrets.md). Comma-separated.
SECRET_KEY_FALLBACKS = env_list("STAGEWISE_SECRET_KEY_FALLBACKS", [])

# Email (password resets). Production must name its SMTP server; elsewhere, without one, messages
# are printed on the console, so a development machine or a demo never tries a server that is not
# there. Tests use Django's in-memory outbox.
_email_host = env_str("STAGEWISE_EMAIL_HOST", "")
if PRODUCTION and not _email_host:
    raise ImproperlyConfigured(
        "Set STAGEWISE_EMAIL_HOST to the SMTP server that sends password-reset emails "
        "(with STAGEWISE_EMAIL_PORT, STAGEWISE_EMAIL_USER and STAGEWISE_EMAIL_PASSWORD as needed)."
    )
if _email_host:
    _email_user = env_str("STAGEWISE_EMAIL_USER", "")
    _email_password = env_str("STAGEWISE_EMAIL_PASSWORD", "")
    if bool(_email_user) != bool(_email_password):
        raise ImproperlyConfigured(
            "Set both STAGEWISE_EMAIL_USER and STAGEWISE_EMAIL_PASSWORD, or neither."
        )
    # starttls: upgrade a plain connection (usually port 587); tls: TLS from the start (465).
    _email_security = env_choice(
        "STAGEWISE_EMAIL_SECURITY", "starttls", {"starttls", "tls", "none"}
    )
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("STAGEWISE_EMAIL_PORT", 587, minimum=1, maximum=65535),
                "username": _email_user,
                "password": _email_password,
                "use_tls": _email_security == "starttls",
                "use_ssl": _email_security == "tls",
                "timeout": env_int("STAGEWISE_EMAIL_TIMEOUT_SECONDS", 10, minimum=1),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "stagewise.accounts.mail.ReadableConsoleBackend"}}
DEFAULT_FROM_EMAIL = env_email_address(
    "STAGEWISE_DEFAULT_FROM_EMAIL", None if PRODUCTION else "Stagewise <stagewise@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people reach Stagewise at, for links in emails sent by tasks (no request to ask).
# In production it defaults to https:// and the first allowed host.
_first_host = next((host for host in ALLOWED_HOSTS if "*" not in host), "")
SITE_URL = env_str(
    "STAGEWISE_SITE_URL",
    (f"https://{_first_host.lstrip('.')}" if _first_host else "")
    if PRODUCTION
    else "http://127.0.0.1:8000",
).rstrip("/")

# Background tasks (the daily deadline sweep) on Django's tasks framework. The database queue
# (django-tasks-db) is worked by `stagewise db_worker`; tests run each task as it is enqueued.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
_task_backend = env_choice(
    "STAGEWISE_TASKS_BACKEND",
    "immediate" if ENVIRONMENT == "test" else "database",
    set(_TASK_BACKENDS),
)
TASKS = {
    "default": {"BACKEND": _TASK_BACKENDS[_task_backend], "QUEUES": ["default"]},
    # Storing finalised plans' PDFs (ADR 0034): the same queue in production. In tests the
    # task is recorded, not run, so that every journey that signs a plan off does not render
    # four PDFs; the tests of stored PDFs run it themselves.
    "printing": {
        "BACKEND": "django.tasks.backends.dummy.DummyBackend"
        if ENVIRONMENT == "test"
        else _TASK_BACKENDS[_task_backend],
        "QUEUES": ["default"],
    },
    # Webhook deliveries (ADR 0054), retried later with run_after, which the immediate backend
    # cannot do: in tests they are recorded, and the tests run the delivery themselves.
    "webhooks": {
        "BACKEND": "django.tasks.backends.dummy.DummyBackend"
        if ENVIRONMENT == "test"
        else _TASK_BACKENDS[_task_backend],
        "QUEUES": ["default"],
    },
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "django_htmx",
    "django_tasks_db",
    "stagewise.organisations",
    "stagewise.statutory",
    "stagewise.accounts",
    "stagewise.audit",
    "stagewise.learners",
    "stagewise.planning",
    "stagewise.coordination",
    "stagewise.families",
    # Belongs with the family portal (families app); kept apart while that app is being built.
    "stagewise.disagreements",
    "stagewise.measurement",
    "stagewise.notifications",
    "stagewise.data_protection",
    "stagewise.actionplans",
    "stagewise.moderation",
    "stagewise.transfers",
    "stagewise.submissions",
    "stagewise.roll_imports",
    "stagewise.api",
    "stagewise.webhooks",
    "stagewise.synthetic",
]

MIDDLEWARE = [
    # First: a load balancer's probe is answered before host checks, the HTTPS redirect, sessions
    # and the audit (docs/adr/0030-production-build-and-operations.md).
    "stagewise.health.HealthCheckMiddleware",
    "stagewise.request_logging.RequestLogContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stagewise.accounts.middleware.SlidingSessionExpiryMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "stagewise.accounts.middleware.NoStoreForSignedInMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "stagewise.accounts.middleware.PreferredLanguageMiddleware",
    "stagewise.accounts.middleware.ActorMiddleware",
    "stagewise.accounts.middleware.StaffTwoFactorMiddleware",
    "stagewise.audit.middleware.AuditContextMiddleware",
    # Before the write's transaction, so that a refused write still counts (ADR 0051).
    "stagewise.api.middleware.ApiRateLimitMiddleware",
    # Inside the audit's, so that refusals are written even when a form's transaction is rolled
    # back; after sessions, authentication and messages, which it uses (ADR 0041).
    "stagewise.submissions.middleware.OneSavePerSubmissionMiddleware",
    "stagewise.accounts.middleware.CanonicalRecordIdMiddleware",
]

ROOT_URLCONF = "stagewise.urls"
WSGI_APPLICATION = "stagewise.wsgi.application"
ASGI_APPLICATION = "stagewise.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stagewise.accounts.context_processors.stagewise",
            ],
            # {% submission_key %} in every POST form, beside {% csrf_token %} (ADR 0041).
            # {{ field|select_options }}: a select's options in one pass (ADR 0044).
            "builtins": ["stagewise.submissions.templatetags.submissions", "stagewise.form_tags"],
        },
    },
]

# Widgets render with the project's templates, so the GOV.UK date input can be ours.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Connections are kept for a minute between requests; each request first checks the one it
# inherits, so a worker whose connection died (a database restart or failover) reconnects instead
# of failing its next request (bench/bench_load.py --restart-postgresql-at).
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
# The learner lists' indexes carry the enrolment's dates in their leaves on PostgreSQL (INCLUDE,
# for index-only scans, ADR 0050); SQLite builds the same indexes on their keys alone, which is
# what its warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people at once on the embedded database: readers never wait for a writer (WAL); a
    # writer waits its turn for up to 20 seconds rather than failing; and a transaction takes the
    # write lock when it begins, because one that read first and then wants to write fails at once
    # with "database is locked" if another wrote in between, however long it would wait.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
elif ENVIRONMENT == "test" and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A test's data is thrown away: its commits (the browser journeys commit every request) need
    # not wait for the write-ahead log to reach the disk. Never set outside tests.
    DATABASES["default"]["OPTIONS"] = {"options": "-c synchronous_commit=off"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache is shared by every app server, so rate limits hold across processes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "stagewise_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENVIRONMENT == "test":
    # Hashing dominates test time; the algorithm is not what the tests check.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "stagewise.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Five wrong passwords (or two-factor codes) for one account in five minutes lock that account's
# sign-in for a while. Failures are not counted per address: a whole school signs in through one
# address, and a limit there would refuse a teacher's correct password because colleagues
# mistyped theirs. Guessing one password across many accounts meets the password rules (twelve
# characters, no common passwords) and, for staff, two-factor authentication. The per-address
# limit on all sign-in attempts is a flood guard, far above what a school sends.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/300s/key", "login": "600/m/ip"}
# A password-reset request gets the same page whether or not the address has an account, and an
# address without one gets no email (accounts are made by administrators, never by sign-up).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# A reset link works once, for an hour (the email and the expired-link page say so).
PASSWORD_RESET_TIMEOUT = 60 * 60
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Stagewise"
MFA_RECOVERY_CODE_COUNT = 10

SESSION_IDLE_MINUTES = env_int("STAGEWISE_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# How long before a plan's review the family and the child are asked for their views (ADR 0018).
REVIEW_VIEWS_LEAD_DAYS = env_int("STAGEWISE_REVIEW_VIEWS_LEAD_DAYS", 28, minimum=1)
# How long before the time limit to take a disagreement further closes the family is reminded
# (ADR 0017).
DISAGREEMENT_ROUTE_LEAD_DAYS = env_int(
    "STAGEWISE_DISAGREEMENT_ROUTE_LEAD_DAYS", 14, minimum=1, maximum=366
)
# How many days, from the day a learner moves school, the school they left may still read what
# its own staff wrote about them (ADR 0020); 0 turns that access off.
SENDING_SCHOOL_ACCESS_DAYS = env_int(
    "STAGEWISE_SENDING_SCHOOL_ACCESS_DAYS", 90, minimum=0, maximum=3660
)
# The secret that authorities' private keys for signing record transfer documents are encrypted
# with in the database (ADR 0053). In production, unset means record transfer is not set up:
# exporting says so; elsewhere a fixed development value.
TRANSFER_SIGNING_SECRET = env_str(
    "STAGEWISE_TRANSFER_SIGNING_SECRET",
    "" if PRODUCTION else "development-only-transfer-signing-secret",
)
# Webhooks (ADR 0054) go only to https addresses on the public internet: never to this network's
# own machines (a cloud's metadata service, a database), which an administrator's typing could
# otherwise reach. A test or a demo allows http and local addresses, to a receiver on the same
# machine; production refuses the setting.
WEBHOOKS_ALLOW_LOCAL = env_bool("STAGEWISE_WEBHOOKS_ALLOW_LOCAL", default=False)
if WEBHOOKS_ALLOW_LOCAL and PRODUCTION:
    raise ImproperlyConfigured(
        "STAGEWISE_WEBHOOKS_ALLOW_LOCAL is refused when STAGEWISE_ENVIRONMENT=production: it "
        "lets webhooks reach this network's own machines. Remove STAGEWISE_WEBHOOKS_ALLOW_LOCAL."
    )
# The expiry counts from the last request (inactivity), refreshed at most once a minute by
# accounts.middleware.SlidingSessionExpiryMiddleware rather than written on every request.
SESSION_SAVE_EVERY_REQUEST = False
# Sessions in the database, as Django keeps them, except that a session that cannot be written
# because the database is unreachable is reported as that (503), not as a session deleted by
# another request (400): ADR 0041.
SESSION_ENGINE = "stagewise.accounts.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LANGUAGE_COOKIE_NAME = "stagewise_language"
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STAGEWISE_STATIC_ROOT", str(PROJECT_DIR / "var" / "static")))
if not STATIC_ROOT.is_absolute():
    raise ImproperlyConfigured(
        f"STAGEWISE_STATIC_ROOT must be an absolute path such as /srv/stagewise/static, not "
        f"{str(STATIC_ROOT)!r}."
    )
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    # GOV.UK Frontend's stylesheet without the GOV.UK-only typeface, its script and HTMX: only the
    # files the pages load, copied from node_modules by scripts/build_frontend.py.
    ("frontend", PROJECT_DIR / "var" / "frontend"),
]
# Outside production, whitenoise serves straight from the source folders: no collectstatic step.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Pages name only the hashed files, so the unhashed copies are neither kept nor compressed: half
# the work (brotli is slow) and half the disk.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# Uploaded files (attachments to requests for assistance) go through Django's storage API and are
# served only by access-checked views, never from a public address (so there is no MEDIA_URL to
# serve). Local disk by default; S3-compatible object storage when a bucket is named, for app
# servers that share no disk (docs/adr/0012-attachments-in-object-storage.md); in memory for tests,
# so that no test leaves files behind. Memory is refused in production: files would vanish.
MEDIA_ROOT = Path(env_str("STAGEWISE_MEDIA_ROOT", str(PROJECT_DIR / "var" / "media")))
if not MEDIA_ROOT.is_absolute():
    raise ImproperlyConfigured(
        f"STAGEWISE_MEDIA_ROOT must be an absolute path such as /srv/stagewise/media, not "
        f"{str(MEDIA_ROOT)!r}."
    )
# Files on local disk are readable by the server's user and group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
_s3_bucket = env_str("STAGEWISE_S3_BUCKET", "")
_file_storage = env_choice(
    "STAGEWISE_FILE_STORAGE",
    "s3" if _s3_bucket else ("memory" if ENVIRONMENT == "test" else "local"),
    {"local", "s3", "memory"},
)
_S3_SETTINGS = (
    "STAGEWISE_S3_ENDPOINT_URL",
    "STAGEWISE_S3_REGION",
    "STAGEWISE_S3_ACCESS_KEY_ID",
    "STAGEWISE_S3_SECRET_ACCESS_KEY",
    "STAGEWISE_S3_PREFIX",
)
if _file_storage == "memory" and PRODUCTION:
    raise ImproperlyConfigured(
        "STAGEWISE_FILE_STORAGE=memory is refused in production: uploaded files would be lost "
        "when the server restarts. Use local or s3."
    )
if _file_storage == "s3":
    if not _s3_bucket:
        raise ImproperlyConfigured(
            "STAGEWISE_FILE_STORAGE=s3 needs STAGEWISE_S3_BUCKET, the bucket to keep files in."
        )
    _s3_access_key = env_str("STAGEWISE_S3_ACCESS_KEY_ID", "")
    _s3_secret_key = env_str("STAGEWISE_S3_SECRET_ACCESS_KEY", "")
    if bool(_s3_access_key) != bool(_s3_secret_key):
        raise ImproperlyConfigured(
            "Set both STAGEWISE_S3_ACCESS_KEY_ID and STAGEWISE_S3_SECRET_ACCESS_KEY, or neither "
            "(then the server's own credentials are used: an instance role, say)."
        )
    _s3_endpoint = env_str("STAGEWISE_S3_ENDPOINT_URL", "")
    if _s3_endpoint and not _s3_endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "STAGEWISE_S3_ENDPOINT_URL must be an address such as "
            f"'https://objects.example.org', not {_s3_endpoint!r}."
        )
    if PRODUCTION and _s3_endpoint.startswith("http://"):
        raise ImproperlyConfigured(
            "STAGEWISE_S3_ENDPOINT_URL must use https:// in production: files about learners "
            "never travel unencrypted."
        )
    _default_storage: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3_bucket,
            "endpoint_url": _s3_endpoint or None,
            "region_name": env_str("STAGEWISE_S3_REGION", "") or None,
            "access_key": _s3_access_key or None,
            "secret_key": _s3_secret_key or None,
            "location": env_str("STAGEWISE_S3_PREFIX", "").strip("/"),
            # Private objects, read only through Stagewise; never a URL handed to a browser.
            "default_acl": None,
            "querystring_auth": True,
            # Names are random, so an existing object is never silently replaced.
            "file_overwrite": False,
        },
    }
else:
    _stray = [name for name in ("STAGEWISE_S3_BUCKET", *_S3_SETTINGS) if env_str(name, "")]
    if _stray:
        raise ImproperlyConfigured(
            f"{', '.join(_stray)} set, but STAGEWISE_FILE_STORAGE={_file_storage}: set "
            "STAGEWISE_S3_BUCKET to keep files in object storage, or remove them."
        )
    _default_storage = {
        "BACKEND": "django.core.files.storage.InMemoryStorage"
        if _file_storage == "memory"
        else "django.core.files.storage.FileSystemStorage"
    }
# The largest attachment accepted, in megabytes.
ATTACHMENT_MAX_MB = env_int("STAGEWISE_ATTACHMENT_MAX_MB", 10, minimum=1, maximum=100)

STORAGES = {
    "default": _default_storage,
    # Stored PDFs of finalised plans (ADR 0034): as private as attachments, in the same store,
    # read only through the access-checked PDF view.
    "printed_plans": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# No inline script or style anywhere: everything is served from our own origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("STAGEWISE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("STAGEWISE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("STAGEWISE_CSRF_TRUSTED_ORIGINS", [])

# Application logs carry request lines and errors, never learner data: no SQL, no form values,
# no query strings. Production writes one JSON object a line (time, level, logger, message, request
# id, path) for a log collector; elsewhere plain lines are easier to read.
_log_format = env_choice(
    "STAGEWISE_LOG_FORMAT", "json" if PRODUCTION else "plain", {"json", "plain"}
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_query_strings": {"()": "stagewise.logging_filters.RedactQueryStrings"},
        "request_context": {"()": "stagewise.request_logging.AddRequestContext"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "stagewise.logging_filters.JsonLinesFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": _log_format,
            "filters": ["redact_query_strings", "request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("STAGEWISE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING", "propagate": True},
        # WeasyPrint reports each rendering step at INFO; only its problems are worth a line.
        "weasyprint.progress": {"level": "WARNING", "propagate": True},
        # runserver's request lines go through the same redaction as everything else.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

LEARNER_LIST_PAGE_SIZE = 25

# The API (ADR 0051): requests each token may make in a minute (a fixed window), and the most
# rows a list page may ask for.
API_REQUESTS_PER_MINUTE = env_int("STAGEWISE_API_REQUESTS_PER_MINUTE", 120, minimum=1)
API_MOST_PER_PAGE = 100

# Error pages in the person's language and the service's layout.
CSRF_FAILURE_VIEW = "stagewise.accounts.error_views.csrf_failure"
# A form bigger than this (not counting uploaded files) gets a page saying what to do.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
