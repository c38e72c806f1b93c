from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "fangkong.notify"
    label = "notify"
    verbose_name = _("Notices and schedule")

    def ready(self) -> None:
        from fangkong.accounts.roles import ALL, grant
        from fangkong.notify import jobs, signals  # noqa: F401  (the schedule, the hooks)

        grant(ALL, "notify.notice", {"view"})
        grant({"city_hq", "county_hq", "town_hq", "sysadmin"}, "notify.delivery", {"view"})
