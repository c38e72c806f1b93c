from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class CareConfig(wiring.Wired):
    name = "fangkong.care"
    verbose_name = _("Care and advanced deeds")
    hooks = "register_hooks"
