"""Settings for Rapport, read from the environment with development defaults.

See the README for every variable. With DEBUG off the process refuses to start
unless a real SECRET_KEY and ALLOWED_HOSTS are given.
"""

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from engagement.env import env_bool, env_int, env_list, env_str, local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

# The demo that `make run` serves on this machine (the `serve` command sets it):
# no debug pages, plain HTTP on the loopback address, static files from WhiteNoise
# without a collectstatic step, and a secret key kept in a file beside the database.
LOCAL_DEMO = env_bool("LOCAL_DEMO", False)
DEBUG = env_bool("DEBUG", not LOCAL_DEMO)

_DEV_SECRET_KEY = "django-insecure-rapport-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY") or (
    local_secret_key(BASE_DIR / ".secret_key") if LOCAL_DEMO else _DEV_SECRET_KEY
)
if not DEBUG and (
    SECRET_KEY == _DEV_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure-")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "DEBUG is off, so SECRET_KEY must be set to a random value of at least 50 characters "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG or LOCAL_DEMO else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DEBUG is off, so ALLOWED_HOSTS must name the host(s) served.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_q",
    "django_tables2",
    "django_filters",
    "axes",
    "csp",
    "django_htmx",
    "engagement",
    "scheduling",
    "meetings",
    "feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "engagement.middleware.PersonTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "engagement.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'rapport.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write to the same file; a busy timeout keeps
    # one from failing while the other holds the write lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # A rollback journal, not a write-ahead log: the log keeps every commit's
            # pages (an answer beside its receipt) long after the ballot box has
            # rewritten them, while a rollback journal is deleted at each commit.
            # secure_delete zeroes deleted rows, so rewritten anonymous answers
            # (feedback.ballots) leave no copy in the file's free pages.
            "init_command": (
                "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "engagement.Person"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account and address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "engagement.auth.UsernameOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "engagement:home"
LOGOUT_REDIRECT_URL = "login"
# Password reset and invitation links stay valid this long (an invitation may wait
# over a weekend); each link works once, as Django's token generator makes it.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_DAYS", 7) * 24 * 3600

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for
# one account from one address, that pair is refused until the cool-off has
# passed. Per pair, so that someone guessing cannot lock everyone else out.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A username and its e-mail address count as one account.
AXES_USERNAME_CALLABLE = "engagement.auth.throttled_username"
AXES_LOCKOUT_CALLABLE = "engagement.accounts.locked_out_response"
# The client's address: REMOTE_ADDR, or behind PROXY_COUNT proxies (1 by default)
# the entry they wrote into X-Forwarded-For, counted from the right; whatever a
# client writes before it is the client's word alone (engagement.auth.client_address).
BEHIND_PROXY = env_bool("BEHIND_TLS_PROXY", False)
PROXY_COUNT = env_int("PROXY_COUNT", 1)
AXES_CLIENT_IP_CALLABLE = "engagement.auth.client_address"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE {TIME_ZONE!r} is not an IANA time zone such as Europe/Berlin."
    ) from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.js from the installed plotly package (feedback dashboards).
    "feedback.staticfiles.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or LOCAL_DEMO
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# The demo serves static files straight from the apps and static/, as collected.
WHITENOISE_USE_FINDERS = LOCAL_DEMO

# E-mail: the console in development; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rapport <rapport@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: django-q2 on Redis when REDIS_URL is set, else on the ORM.
REDIS_URL = env_str("REDIS_URL")
Q_CLUSTER = {
    "name": "rapport",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 600,
    "retry": 900,
    "max_attempts": 3,
    "catch_up": False,
    "label": "Background tasks",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

DJANGO_TABLES2_TEMPLATE = "snippets/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

# Production hardening; every one of these can be relaxed through the
# environment for a deployment behind a proxy that terminates TLS elsewhere.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# The local demo is plain HTTP on 127.0.0.1, so it keeps the development defaults.
_HTTPS = not (DEBUG or LOCAL_DEMO)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every script and stylesheet is a static file
# of this host (charts read their figures from <script type="application/json">).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django_q": {"level": env_str("Q_LOG_LEVEL", "WARNING")}},
}

RAPPORT_DEMO_PASSWORD = "demo"
# How far ahead the planner turns schedules into sessions and due dates.
RAPPORT_PLANNING_HORIZON_WEEKS = env_int("PLANNING_HORIZON_WEEKS", 8)
# The address people use to reach the app: links in e-mails and calendars.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
