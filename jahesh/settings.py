"""Settings for Jahesh, read from the environment.

JAHESH_ENV is `development` (default: SQLite in ./var, a generated secret key, DEBUG on) or
`production` (every secret required, secure cookies, `check --deploy` clean). See README.md,
section "Production", for every variable.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from jahesh.core.env import (
    ImproperEnvironment,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("JAHESH_VAR_DIR") or BASE_DIR / "var")

JAHESH_ENV = env_choice("JAHESH_ENV", "development", {"development", "production", "test"})
PRODUCTION = JAHESH_ENV == "production"
DEBUG = env_bool("DEBUG", default=JAHESH_ENV == "development")


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperEnvironment("SECRET_KEY is required when JAHESH_ENV=production.")
    # Development: generate once and keep it, so sessions survive a restart.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

if PRODUCTION:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperEnvironment("ALLOWED_HOSTS is required when JAHESH_ENV=production.")
else:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "jahesh.core",
    "jahesh.organisation",
    "jahesh.audit",
    "jahesh.plan",
    "jahesh.macrotable",
    "jahesh.progress",
    "jahesh.evaluation",
    "jahesh.dashboards",
    "jahesh.notifications",
    "jahesh.workdays",
    "jahesh.units",
    "jahesh.cases",
    "jahesh.visits",
    "jahesh.meetings",
    "jahesh.demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jahesh.core.middleware.IdleSessionMiddleware",
    "jahesh.core.middleware.PersianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jahesh.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

FORM_RENDERER = "jahesh.core.renderers.JaheshFormRenderer"
ROOT_URLCONF = env_str("JAHESH_URLCONF") or "jahesh.urls"
WSGI_APPLICATION = "jahesh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jahesh" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jahesh.core.context_processors.jahesh",
                "jahesh.notifications.context_processors.notifications",
            ],
            "builtins": ["jahesh.core.templatetags.jahesh"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'jahesh.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions avoid "database is locked" when two writers meet; WAL lets
    # readers go on while one writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and login -----------------------------------------------------------------------
AUTH_USER_MODEL = "organisation.Person"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username+address pair before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins are counted per username *and* address together: one person mistyping does
# not lock an office that shares one NAT address, and one address cannot guess many passwords.
AXES_FAILURE_LIMIT = env_int("JAHESH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("JAHESH_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions end after this much inactivity (the IdleSessionMiddleware slides the expiry).
SESSION_COOKIE_AGE = env_int("JAHESH_SESSION_IDLE_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Language, calendar, time ---------------------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "jahesh" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Tehran"
LANGUAGE_COOKIE_NAME = "jahesh_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm (package-lock.json pins them); only the files pages use
# are exposed, under /static/vendor/.
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/vazirmatn", NODE_MODULES / "vazirmatn"),
    ("vendor/jalalidatepicker", NODE_MODULES / "@majidh1" / "jalalidatepicker" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # WhiteNoise warns about a missing STATIC_ROOT; in development it stays empty.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"

# --- Background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if JAHESH_ENV == "test"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST") or ""
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "jahesh@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people reach Jahesh at (https://jahesh.example.ir), for links in e-mails; without
# it, e-mails carry no link.
SITE_URL = (env_str("JAHESH_SITE_URL") or "").rstrip("/")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# --- The public obstacle form (jahesh/cases/antiabuse.py says what each limit guards) ---------
JAHESH_PUBLIC_PER_HOUR = env_int("JAHESH_PUBLIC_PER_HOUR", 5)
JAHESH_PUBLIC_PER_DAY = env_int("JAHESH_PUBLIC_PER_DAY", 20)
JAHESH_PUBLIC_TRACK_FAILURES_PER_HOUR = env_int("JAHESH_PUBLIC_TRACK_FAILURES_PER_HOUR", 10)
JAHESH_PUBLIC_CHECK_FAILURES_PER_HOUR = env_int("JAHESH_PUBLIC_CHECK_FAILURES_PER_HOUR", 10)
JAHESH_PUBLIC_MIN_SECONDS = env_int("JAHESH_PUBLIC_MIN_SECONDS", 3)
JAHESH_PUBLIC_CHECK_MAX_AGE = env_int("JAHESH_PUBLIC_CHECK_MAX_AGE", 2 * 60 * 60)
JAHESH_PUBLIC_FILE_MAX_MB = env_int("JAHESH_PUBLIC_FILE_MAX_MB", 5)
JAHESH_PUBLIC_TOTAL_MAX_MB = env_int("JAHESH_PUBLIC_TOTAL_MAX_MB", 10)
JAHESH_PUBLIC_MAX_FILES = env_int("JAHESH_PUBLIC_MAX_FILES", 5)
# The request header that holds the visitor's address; behind a reverse proxy, the one it sets
# (e.g. HTTP_X_REAL_IP), or every visitor shares the proxy's address and its limits.
JAHESH_PUBLIC_CLIENT_ADDRESS_HEADER = env_str("JAHESH_PUBLIC_CLIENT_ADDRESS_HEADER") or "REMOTE_ADDR"

# --- Meetings ------------------------------------------------------------------------------
# Working days an agency has to object to a resolution once it is notified (a body may set its
# own).
JAHESH_OBJECTION_DAYS = env_int("JAHESH_OBJECTION_DAYS", 15)

# --- Security -------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

if PRODUCTION:
    # JAHESH_HTTPS=0 is for an intranet served over plain HTTP: the cookies cannot be marked
    # secure there, so the matching deploy checks are silenced on purpose, not by accident.
    HTTPS = env_bool("JAHESH_HTTPS", default=True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
    SECURE_SSL_REDIRECT = HTTPS and env_bool("JAHESH_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("JAHESH_HSTS_SECONDS", 31536000) if HTTPS else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
    SECURE_HSTS_PRELOAD = HTTPS
    if env_bool("JAHESH_BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
    if not HTTPS:
        SILENCED_SYSTEM_CHECKS = [
            "security.W004",  # HSTS
            "security.W008",  # SSL redirect
            "security.W012",  # secure session cookie
            "security.W016",  # secure CSRF cookie
        ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "WARNING"},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Tests ----------------------------------------------------------------------------------
if JAHESH_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
