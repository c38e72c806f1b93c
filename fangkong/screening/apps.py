from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class ScreeningConfig(wiring.Wired):
    name = "fangkong.screening"
    verbose_name = _("Screening")
    audited = {
        "ScreeningTask": wiring.excluding(*wiring.STAMPED_FIELDS, "version"),
        **wiring.stamped("AddressAlias", "ExceptionItem"),
        "geo.GridAddressKey": wiring.excluding("created_at", "path"),
        **wiring.placed("Visit"),
        "DeclarationReview": wiring.excluding("path", "row_enc"),
    }
    hooks = "register"
    sections = (wiring.Part("screening", 60),)
    demo_step = "demo:run"
