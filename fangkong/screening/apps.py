from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class ScreeningConfig(wiring.Wired):
    name = "fangkong.screening"
    verbose_name = _("Screening")
    hooks = "register"
    sections = (wiring.Part("screening", 60),)
