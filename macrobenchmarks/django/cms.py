"""A CMS front end on Django 3.2: a page tree rendered as nested menus and breadcrumbs, news articles with
categories and pagination, template inheritance and includes, the ORM on SQLite, session and auth middleware
with a signed-in editor. The application itself is the `pbcms` package next to this file.

Served by macrobenchmarks/pb_server.py: setup(data_dir) runs the migrations and seeds the site (not timed),
create_app(data_dir) returns the WSGI application.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
EDITOR_SESSION_KEY = "pbbencheditorsession0000000000001"


def configure(data_dir):
    from django.conf import settings

    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="pyston-bench django cms (not a secret)",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF="pbcms.urls",
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "pbcms",
        ],
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3",
                               "NAME": os.path.join(os.path.abspath(data_dir), "cms.sqlite3")}},
        TEMPLATES=[{
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": True,
            "OPTIONS": {"context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pbcms.context_processors.site",
            ]},
        }],
        # Cheap hashing: the benchmark measures the web stack, not PBKDF2.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        USE_TZ=True,
        TIME_ZONE="UTC",
        USE_I18N=False,
        LOGIN_URL="/accounts/login/",
        SESSION_ENGINE="django.contrib.sessions.backends.db",
    )
    import django

    django.setup()


def setup(data_dir):
    path = os.path.join(data_dir, "cms.sqlite3")
    if os.path.exists(path):
        os.remove(path)
    configure(data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from pbcms.seed import seed_site

    seed_site(EDITOR_SESSION_KEY)


def create_app(data_dir):
    configure(data_dir)
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
