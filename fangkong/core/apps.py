from django.apps import AppConfig
from django.utils.translation import gettext_noop

# Django adds the label suffix ("：") unless a label ends in one of these characters; the
# Chinese catalogue adds the full-width ones, so "是哪一位居民？" gets no "：" after it.
LABEL_ENDINGS = gettext_noop(":?.!")

# Strings of Django's own that its Chinese catalogue does not translate yet: ours does
# (an app's catalogue is read over Django's). Django 6.1's label of a select's empty
# choice showed "- Select an option -" in the Chinese UI.
DJANGO_UNTRANSLATED = (gettext_noop("- Select an option -"),)


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
        _forget_rule_sets_on_write()


def _forget_rule_sets_on_write() -> None:
    """Every dated rule set written or deleted empties the per-process copy of the sets
    in force (DatedRuleSet.in_force)."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from fangkong.core.models import DatedRuleSet, forget_rule_sets

    for model in apps.get_models():
        if issubclass(model, DatedRuleSet):
            uid = f"forget-rule-sets-{model._meta.label}"
            post_save.connect(forget_rule_sets, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(forget_rule_sets, sender=model, dispatch_uid=uid + "-delete")
