from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class RetentionConfig(wiring.Wired):
    name = "fangkong.retention"
    verbose_name = _("Data retention")
    permissions = False
    audited = wiring.plain("RetentionRules")
