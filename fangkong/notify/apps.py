from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "fangkong.notify"
    label = "notify"
    verbose_name = _("Notices and schedule")

    def ready(self) -> None:
        from fangkong.accounts.roles import ALL, grant
        from fangkong.core import sms
        from fangkong.notify import jobs, signals  # noqa: F401  (the schedule, the hooks)
        from fangkong.notify.actions import send_phone_code

        sms.register_delivery(send_phone_code)  # every SMS leaves through the delivery

        grant(ALL, "notify.notice", {"view"})
        grant({"city_hq", "county_hq", "town_hq", "sysadmin"}, "notify.delivery", {"view"})

        # A quarantine site's staff read the notices about their own persons only (#17).
        from fangkong.core.querysets import register_narrowing
        from fangkong.notify.narrowing import site_notices

        register_narrowing("quarantine_site", "notify.notice", site_notices)

        # its part of the daily briefing (core.sections; the briefing imports no app)
        from fangkong.core.sections import register_section
        from fangkong.notify.briefing import section

        register_section("notices", section, 120, listed=False)
