from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fangkong.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from fangkong.core import (
            logscrub,
            lookups,  # noqa: F401  (registers `__any`)
        )

        logscrub.install()
        from fangkong.core import security

        security.check_keys()
        security.private_files()
        security.cap_image_pixels()
