"""The CMS application's configuration."""
from django.apps import AppConfig


class PbcmsConfig(AppConfig):
    name = "pbcms"
    verbose_name = "pyston-bench CMS"
