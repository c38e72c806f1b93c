from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class OfflineConfig(wiring.Wired):
    name = "fangkong.offline"
    verbose_name = _("Work without a signal")
    audited = {"SyncReceipt": wiring.PLACED, "OrphanVisit": {"exclude_fields": ["path", "data"]}}
    hooks = "register"
