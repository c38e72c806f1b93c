from django.apps import AppConfig
from django.utils.translation import gettext_noop

# Django adds the label suffix ("：") unless a label ends in one of these characters; the
# Chinese catalogue adds the full-width ones, so "是哪一位居民？" gets no "：" after it.
LABEL_ENDINGS = gettext_noop(":?.!")


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
