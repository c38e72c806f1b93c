from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class ObservationConfig(wiring.Wired):
    name = "fangkong.observation"
    verbose_name = _("Medical observation")
    audited = {
        "ObservationPeriod": wiring.excluding(
            "created_at",
            "updated_at",
            "last_checkin_at",
            "last_temperature",
            "symptomatic",
            "certificate_code",
        ),
        **wiring.plain("ObservationRules"),
        **wiring.stamped("QuarantineSite"),
        **wiring.placed("Placement", "Referral"),
    }
    hooks = "register_hooks"
    sections = (wiring.Part("observation", 70),)
