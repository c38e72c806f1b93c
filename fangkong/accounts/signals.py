"""API tokens die with the trust they were issued on: a new password, another role or
jurisdiction, or a deactivated account revokes every live token of the account (and
Django already ends the sessions of a changed password)."""

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from fangkong.accounts.models import ApiToken, User


@receiver(pre_save, sender=User)
def _remember(sender: Any, instance: User, **kwargs: Any) -> None:
    if instance.pk is None:
        return
    before = User.objects.filter(pk=instance.pk).values("password", "role", "node_id", "is_active")
    instance._before = before.first()  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def _revoke_on_change(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    from fangkong.accounts.actions import forget_tokens, revoke_all

    forget_tokens()  # cached bearer tokens carry the account as it was (accounts.actions)
    before = getattr(instance, "_before", None)
    instance._before = None  # type: ignore[attr-defined]
    if created or not before:
        return

    if before["is_active"] and not instance.is_active:
        revoke_all(instance, ApiToken.Reason.DEACTIVATED)
    elif before["password"] != instance.password:
        revoke_all(instance, ApiToken.Reason.PASSWORD)
    elif before["role"] != instance.role or before["node_id"] != instance.node_id:
        revoke_all(instance, ApiToken.Reason.ROLE)


@receiver(post_save, sender=ApiToken)
def _forget_saved_token(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    from fangkong.accounts.actions import forget_tokens

    forget_tokens()
