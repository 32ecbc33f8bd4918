"""Settings shared by every environment. Anything secret or machine-specific comes from
the environment (see README: "Configuration")."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "editorial",
    "home",
    "taxonomy",
    "members",
    "practices",
    "search",
    "forums",
    "api",
    "newsletters",
    "pagecache",
    # Before django_tasks_db: its `db_worker` command resumes interrupted sends first.
    "delivery",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    # Accounts: sign-up, email verification, sign-in, password reset, email change.
    "allauth",
    "allauth.account",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_ratelimit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.SiteCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last: a cached page goes out through every middleware above, as a fresh one does.
    "pagecache.middleware.PageCacheMiddleware",
    # Wagtail's routing remembered per content generation (with CONTENT_MEMO).
    "pagecache.routing.RememberedRoutesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "wagtail.contrib.settings.context_processors.settings",
                "newsletters.context_processors.feeds",
                "forums.context_processors.notifications",
                "pagecache.context_processors.csrf",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default so that `make run` needs nothing installed;
# production sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

# Django's cache: Redis (shared by every process) when REDIS_URL is set, else each process's
# own memory. Public pages are cached for anonymous visitors for PAGE_CACHE_SECONDS
# (pagecache/); any change to what they show is visible at once, in every process that
# shares the cache. With the per-process cache, a change made by another process (a
# management command) shows in this one's cached pages when they expire.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            # Django's Redis cache, its client kept for the process (config/cache.py).
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering fails a request in a second, never holds a worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # The pages this process served lately, checked against the shared generation (pagecache).
    "pages_local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages-local",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600" if REDIS_URL else "60"))
# What every page reads from the content and seldom changes (theme labels, the header's
# sections) is remembered per process until the content changes (pagecache/memo.py); with
# each process's own cache, for at most CONTENT_MEMO_SECONDS.
CONTENT_MEMO = env_bool("CONTENT_MEMO", True)
CONTENT_MEMO_SECONDS = int(os.environ.get("CONTENT_MEMO_SECONDS", "60"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts (django-allauth): the site's sign-in, sign-up and password pages; the admin keeps
# its own sign-in. URL names, so that they follow the visitor's language prefix.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "forums:index"
LOGOUT_REDIRECT_URL = "forums:index"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# One address per account, changed by confirming the new one.
ACCOUNT_CHANGE_EMAIL = True
# Tells the person when their password or address changed.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Practice Commons] "
# A field people do not see; a bot that fills it in is not signed up.
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_FORMS = {
    "login": "members.account_forms.SignInForm",
    "signup": "members.account_forms.SignupForm",
}
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the UI and the content share one list. English is the default locale.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("mk", "Македонски"),
    ("ro", "Română"),
    ("pl", "Polski"),
    ("ka", "ქართული"),
    ("tr", "Türkçe"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# site/locale-allauth: allauth's strings in the languages allauth does not ship (Macedonian).
LOCALE_PATHS = [BASE_DIR / "site" / "locale", BASE_DIR / "site" / "locale-allauth"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Content-Security-Policy (django-csp 4): the site's own files only, nothing inline; the admin
# gets 'unsafe-inline' for scripts and styles (config/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

# Email: everything sent through Django's mail API goes into the delivery ledger
# (delivery.backends); the task worker sends it with DELIVERY_SMTP_BACKEND, an SMTP backend,
# to the host below with the credentials from the environment.
EMAIL_BACKEND = "delivery.backends.LedgerBackend"
DELIVERY_SMTP_BACKEND = os.environ.get(
    "DELIVERY_SMTP_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Practice Commons <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The delivery pipeline (delivery/): messages per SMTP connection, attempts of a message
# that meets temporary errors and the first retry's delay in seconds (doubling after each),
# the longest one sending task runs before it hands the worker over, and the soft bounces
# that suppress an address.
# The key of the suppression list's address hashes (delivery.models.address_hash): an
# erased address stays suppressed only while it is unchanged. Empty: the SECRET_KEY (set this
# before rotating the SECRET_KEY).
DELIVERY_SUPPRESSION_KEY = os.environ.get("DELIVERY_SUPPRESSION_KEY", "")
DELIVERY_BATCH_SIZE = int(os.environ.get("DELIVERY_BATCH_SIZE", "100"))
DELIVERY_MAX_ATTEMPTS = int(os.environ.get("DELIVERY_MAX_ATTEMPTS", "5"))
DELIVERY_RETRY_DELAY = int(os.environ.get("DELIVERY_RETRY_DELAY", "300"))
DELIVERY_TASK_SECONDS = int(os.environ.get("DELIVERY_TASK_SECONDS", "60"))
DELIVERY_SOFT_BOUNCE_LIMIT = int(os.environ.get("DELIVERY_SOFT_BOUNCE_LIMIT", "3"))
# Messages one sender (by network address or email address) may send through practices'
# contact forms in an hour.
CONTACT_MESSAGES_PER_HOUR = int(os.environ.get("CONTACT_MESSAGES_PER_HOUR", "5"))
# Reverse proxies in front of the site, each appending to X-Forwarded-For (production: 1).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Newsletters: links in emails are absolute, on this address.
NEWSLETTERS_BASE_URL = os.environ.get(
    "NEWSLETTERS_BASE_URL", os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
)
# How long the link in a confirmation email works, in seconds.
NEWSLETTERS_CONFIRMATION_MAX_AGE = int(
    os.environ.get("NEWSLETTERS_CONFIRMATION_MAX_AGE", str(3 * 24 * 3600))
)
# The mailto: of List-Unsubscribe; mail to it is read by `process_bounces`' mailbox.
NEWSLETTERS_UNSUBSCRIBE_EMAIL = os.environ.get(
    "NEWSLETTERS_UNSUBSCRIBE_EMAIL", "unsubscribe@localhost"
)
# Subscription requests (django-ratelimit rates: "N/s|m|h|d") per email address and per
# network address; more get the form back with a message and status 429.
NEWSLETTERS_SUBSCRIBE_RATE_PER_EMAIL = os.environ.get("NEWSLETTERS_SUBSCRIBE_RATE_PER_EMAIL", "3/h")
NEWSLETTERS_SUBSCRIBE_RATE_PER_NETWORK = os.environ.get(
    "NEWSLETTERS_SUBSCRIBE_RATE_PER_NETWORK", "20/h"
)
# The version of the consent wording on the subscription forms: change it with the wording.
NEWSLETTERS_CONSENT_WORDING_VERSION = "2026-12-01"
# django-ratelimit counts in Django's cache and reads the client's address as the contact
# form does (behind TRUSTED_PROXY_COUNT proxies). Several web processes need a shared cache
# (CACHES) for the limits to be shared.
RATELIMIT_IP_META_KEY = "editorial.client.client_address"
# Rate limits (django-ratelimit) count in a table of the database, which every web process
# shares (`manage.py createcachetable` creates it; `make migrate` runs it).
CACHES["ratelimit"] = {
    "BACKEND": "home.ratelimit_cache.AtomicDatabaseCache",
    "LOCATION": "ratelimit_cache",
}
# django-ratelimit names the caches it knows; this one is Django's database cache with an
# atomic increment (home/ratelimit_cache.py), which it cannot know.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
RATELIMIT_USE_CACHE = "ratelimit"

# Forums: how posting is limited and moderated (see forums/antispam.py and forums/trust.py).
FORUMS = {
    # An author edits their post for this many minutes after posting; moderators always.
    "EDIT_WINDOW_MINUTES": int(os.environ.get("FORUMS_EDIT_WINDOW_MINUTES", "30")),
    # Flags from this many distinct members hide a post until a moderator reviews it.
    "FLAGS_TO_HIDE": int(os.environ.get("FORUMS_FLAGS_TO_HIDE", "3")),
    # Posts (threads and replies) one member, and one network address, may send.
    "POST_RATE_PER_MEMBER": os.environ.get("FORUMS_POST_RATE_PER_MEMBER", "10/10m"),
    "POST_RATE_PER_ADDRESS": os.environ.get("FORUMS_POST_RATE_PER_ADDRESS", "30/10m"),
    # A new member (not yet trusted) may post this many times a day, with this many links.
    "NEW_MEMBER_POSTS_PER_DAY": int(os.environ.get("FORUMS_NEW_MEMBER_POSTS_PER_DAY", "10")),
    "NEW_MEMBER_LINKS_PER_POST": int(os.environ.get("FORUMS_NEW_MEMBER_LINKS_PER_POST", "2")),
    # Trust, as Discourse's first trust level: an account this old with this many posts
    # that stand (visible, never hidden by flags).
    "TRUST_MIN_ACCOUNT_DAYS": int(os.environ.get("FORUMS_TRUST_MIN_ACCOUNT_DAYS", "3")),
    "TRUST_MIN_POSTS": int(os.environ.get("FORUMS_TRUST_MIN_POSTS", "5")),
    # A post with more links than this waits for a moderator, whoever wrote it.
    "HOLD_LINKS_OVER": int(os.environ.get("FORUMS_HOLD_LINKS_OVER", "5")),
    # The same message from the same member within this many hours is refused.
    "DUPLICATE_WINDOW_HOURS": int(os.environ.get("FORUMS_DUPLICATE_WINDOW_HOURS", "24")),
}

# Background work: django-tasks with its database backend, drained by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Wagtail
WAGTAIL_SITE_NAME = "Practice Commons"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# The admin's own search stays on Wagtail's database backend; the public search is `search/`.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars are uploaded or the default: no editor's email hash goes to a third party, and the
# admin's images stay within the Content-Security-Policy's img-src 'self'.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Search: one backend, an import path and its arguments (see search/backends/__init__.py).
# The database backend is the default; ELASTICSEARCH_URL turns Elasticsearch on, with the
# database behind it: after BREAKER FAILURES failures or timeouts in a row the database
# answers for COOL_OFF seconds without asking the engine, then one search probes it.
SEARCH_BACKEND = {"BACKEND": "search.backends.database.DatabaseBackend", "OPTIONS": {}}
if os.environ.get("ELASTICSEARCH_URL"):
    SEARCH_BACKEND = {
        "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
        "OPTIONS": {
            "url": os.environ["ELASTICSEARCH_URL"],
            "index_prefix": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "practice-commons"),
            "timeout": float(os.environ.get("ELASTICSEARCH_TIMEOUT", "5")),
        },
        "BREAKER": {
            "FAILURES": int(os.environ.get("SEARCH_BREAKER_FAILURES", "3")),
            "COOL_OFF": float(os.environ.get("SEARCH_BREAKER_COOL_OFF", "30")),
        },
    }
# Seconds a search made while rendering another page (related items) may take; past it the
# page renders without what it would have shown.
SEARCH_PAGE_BUDGET = float(os.environ.get("SEARCH_PAGE_BUDGET", "0.3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "search": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The Elasticsearch client logs each failed request with its traceback; the search
        # app's circuit breaker says once that the engine is down, and once that it is back.
        "elastic_transport": {"level": "ERROR"},
    },
}

# The read API (api/): public, read-only, JSON only; its OpenAPI schema is generated by
# drf-spectacular and served at /api/schema/.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.CleanJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Practice Commons API",
    "DESCRIPTION": (
        "Read-only access to the library's published practices, guides, organisations and "
        "forum threads. Lists take the search page's filters and are paged with next and "
        "previous links."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema lists the themes of the database, which `check --deploy` runs without; the
    # tests generate it and check live responses against it (tests/api/).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "PREPROCESSING_HOOKS": ["api.schema.only_the_read_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.filter_values",
    ],
    # Swagger UI from the installed drf-spectacular-sidecar, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
