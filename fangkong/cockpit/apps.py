from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class CockpitConfig(wiring.Wired):
    name = "fangkong.cockpit"
    verbose_name = _("Cockpits")
    permissions = False
    hooks = "register_cockpits"
