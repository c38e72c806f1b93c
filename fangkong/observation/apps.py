from django.utils.translation import gettext_lazy as _

from fangkong.core import wiring


class ObservationConfig(wiring.Wired):
    name = "fangkong.observation"
    verbose_name = _("Medical observation")
    audited = {
        "ObservationPeriod": {
            "exclude_fields": [
                "created_at",
                "updated_at",
                "last_checkin_at",
                "last_temperature",
                "symptomatic",
                "certificate_code",
            ]
        },
        "ObservationRules": {},
        "QuarantineSite": {"exclude_fields": ["created_at", "updated_at", "path"]},
        "Placement": wiring.PLACED,
        "Referral": wiring.PLACED,
    }
    hooks = "register_hooks"
    sections = (wiring.Part("observation", 70),)
