from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class ScreeningConfig(wiring.Wired):
    name = "fangkong.screening"
    verbose_name = _("Screening")
    audited = {
        "ScreeningTask": {"exclude_fields": [*wiring.STAMPED["exclude_fields"], "version"]},
        "AddressAlias": wiring.STAMPED,
        "geo.GridAddressKey": {"exclude_fields": ["created_at", "path"]},
        "Visit": wiring.PLACED,
        "ExceptionItem": wiring.STAMPED,
        "DeclarationReview": {"exclude_fields": ["path", "row_enc"]},
    }
    hooks = "register"
    sections = (wiring.Part("screening", 60),)
    demo_step = "demo:run"
