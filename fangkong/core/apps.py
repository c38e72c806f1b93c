from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fangkong.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from fangkong.core import logscrub

        logscrub.install()
