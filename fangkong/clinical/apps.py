from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class ClinicalConfig(wiring.Wired):
    name = "fangkong.clinical"
    verbose_name = _("Clinical pathway")
    hooks = "register_hooks"
    sections = (wiring.Part("cases", 30),)
