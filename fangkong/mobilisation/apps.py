from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class MobilisationConfig(wiring.Wired):
    name = "fangkong.mobilisation"
    verbose_name = _("Mobilisation")
    hooks = "register_hooks"
    sections = (wiring.Part("mobilisation", 90),)
