from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EpiConfig(AppConfig):
    name = "fangkong.epi"
    label = "epi"
    verbose_name = _("Epidemiological analysis")
