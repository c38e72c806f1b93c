from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class OfflineConfig(wiring.Wired):
    name = "fangkong.offline"
    verbose_name = _("Work without a signal")
    audited = {**wiring.placed("SyncReceipt"), "OrphanVisit": wiring.excluding("path", "data")}
    hooks = "register"
