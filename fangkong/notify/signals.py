"""Hooks: a new directive fans out after its transaction commits; owners of the things
notices are about (a notice follows a reassigned task); one-tap actions by kind."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from fangkong.notify.actions import ACTS, OWNERS
from fangkong.notify.models import Notice


@receiver(post_save, sender="command.Directive", dispatch_uid="notify-directive-issued")
def _directive_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    from fangkong.notify.tasks import directive_issued

    pk = instance.pk
    transaction.on_commit(lambda: directive_issued.enqueue(pk))


def _acknowledge(user: Any, notice: Notice) -> None:
    from fangkong.command import actions
    from fangkong.command.models import DirectiveReceipt

    receipt = DirectiveReceipt.objects.select_related("node").get(pk=notice.subject_id or 0)
    if receipt.acknowledged_at is None:
        actions.acknowledge(user, receipt)


ACTS["directive"] = _acknowledge
ACTS["directive_reminder"] = _acknowledge


def _rectification_owner(pk: int) -> Any:
    from fangkong.supervision.models import Rectification

    r = Rectification.objects.filter(pk=pk).select_related("owner_user__node").first()
    return r.owner_user if r is not None else None


def _difficulty_owner(pk: int) -> Any:
    from fangkong.care.models import Difficulty

    d = Difficulty.objects.filter(pk=pk).select_related("owner__node").first()
    return d.owner if d is not None else None


def _case_doctor(pk: int) -> Any:
    from fangkong.clinical.models import Case

    c = Case.objects.filter(pk=pk).select_related("visit__responsible_doctor__node").first()
    return c.visit.responsible_doctor if c is not None and c.visit is not None else None


def _visit_node(pk: int) -> Any:
    from fangkong.screening.models import ScreeningTask

    t = ScreeningTask.objects.filter(pk=pk).select_related("node").first()
    return t.node if t is not None else None


OWNERS["screening.screeningtask"] = _visit_node
OWNERS["supervision.rectification"] = _rectification_owner
OWNERS["care.difficulty"] = _difficulty_owner
OWNERS["clinical.case"] = _case_doctor
