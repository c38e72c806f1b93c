"""The write door, twin of the read door (`Model.objects.restrict(user, action)`).

Every write asks `require(user, action, obj, node)` before it touches a row:

    require(user, "change", case)                 # role on the model of `case`, and the
                                                  # case lies in the user's subtree
    require(user, "add", Inspection, node=node)   # role on a model; `node` in the subtree
    require(request.user, "view", "clinical.case")  # role only, by model label

It answers in one way, `NotAllowed`, which is Django's `PermissionDenied` (views answer
403, the API answers 403 with the message) and also Python's `PermissionError`, so the
forms that catch either family and show the message keep doing so. The role table and
the subtree are the same ones `restrict` and `can_access` read (`core.querysets`): the
system actor (`is_system`) passes everything; a stored account follows its role and its
node, whatever its `is_superuser` flag.

Beside it, the two other helpers every action needs: `actor(user)` names the acting
account in the audit entries written inside the block, and `invalid(field, message)` is
the validation error that names the field a form shows it under.
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from fangkong.core.querysets import can_access, is_system


class NotAllowed(PermissionDenied, PermissionError):
    """The one "not allowed": the user's role may not do this, or the record lies
    outside the user's subtree."""


Target = models.Model | type[models.Model] | str | None
_NO_NODE: Any = object()  # `node` not given (None given means: a record placed nowhere)


def _label(target: models.Model | type[models.Model] | str) -> str:
    if isinstance(target, str):
        return target.lower()
    return target._meta.label_lower


def may(user: Any, action: str, target: models.Model | type[models.Model] | str) -> bool:
    """The role table alone: may the user's role do `action` on the target's model?
    (The same answer as `core.querysets.allows`, which takes a model class.)"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_system(user):
        return True
    return bool(user.may(_label(target), action))


def within(user: Any, node: Any) -> bool:
    """`node` (a division or its materialised path) lies in the user's subtree."""
    if is_system(user):
        return True
    own = getattr(user, "node", None)
    if node is None:
        return False
    path = node if isinstance(node, str) else node.path
    return own is not None and bool(own.path) and path.startswith(own.path)


def account_of(user: Any) -> Any:
    """The account a record names as its author (`created_by`, `recorded_by`): the user
    when a stored account, None for the system actor (demo, imports without an account)."""
    return user if getattr(user, "pk", None) else None


def common_path(paths: list[str]) -> str:
    """The path of the deepest node containing every one of `paths` ("" when they share
    no node): a record that joins records of several places is seen from there up."""
    split = [[p for p in path.split("/") if p] for path in paths]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common) + "/" if common else ""


def require(
    user: Any,
    action: str,
    obj: Target = None,
    node: Any = _NO_NODE,
    *,
    message: Any = None,
) -> None:
    """Raise `NotAllowed` unless the user may do `action`.

    `obj` names the model the role table is asked about: a record (its subtree is
    checked too, by the model's `scope_path`, as `can_access` does), a model class or a
    model label ("clinical.case"). `node` (a division or a path) must lie in the user's
    subtree; `node=None` (a record placed nowhere) passes for the system actor only.
    `message` replaces the default words of the refusal, where an app has more
    precise ones ("only headquarters may override a health code")."""
    if obj is None and node is _NO_NODE:
        raise TypeError("require() needs a record, a model or a node to check")
    if obj is not None and not may(user, action, obj):
        raise NotAllowed(message or _("your role may not do this"))
    if isinstance(obj, models.Model) and not can_access(user, obj, action):
        raise NotAllowed(message or _("outside your jurisdiction"))
    if node is not _NO_NODE and not within(user, node):
        raise NotAllowed(message or _("outside your jurisdiction"))


# The client of the request running in this thread or task (address, port), set by
# core.lean.RequestAudit for the request's length; none outside a request.
request_client: ContextVar[tuple[str | None, int | None]] = ContextVar(
    "request_client", default=(None, None)
)


@contextlib.contextmanager
def actor(user: Any) -> Iterator[None]:
    """Attribute the audit entries written inside the block to `user` when it is a
    stored, signed-in account; the system actor (or no user) leaves them unattributed,
    which the audit log shows as the platform itself. The client address and port of the
    request running (`request_client`) stay on the entries; outside a request, none."""
    if getattr(user, "pk", None) and getattr(user, "is_authenticated", False):
        address, port = request_client.get()
        with set_actor(user, remote_addr=address, remote_port=port):
            yield
    else:
        yield


def invalid(field: str, message: Any) -> ValidationError:
    """A validation error under `field`, as a form shows it beside the input."""
    return ValidationError({field: [message]})


def written(field: str, text: str, message: Any) -> None:
    """Refuse under `field` when `text` is blank."""
    if not text.strip():
        raise invalid(field, message)


def one_of(field: str, value: Any, choices: Any) -> None:
    """Refuse under `field` unless `value` is one of `choices` (a `TextChoices`)."""
    if value not in choices.values:
        raise invalid(field, _("must be one of %s") % ", ".join(choices.values))


def bounded(values: dict[str, Any], limits: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """The `values` that `limits` names (a rule set's settings as posted), each refused
    under its name outside its (low, high) range; any other value is left out."""
    for field, (low, high) in limits.items():
        if field in values and not low <= values[field] <= high:
            raise invalid(field, _("between %(low)d and %(high)d") % {"low": low, "high": high})
    return {k: v for k, v in values.items() if k in limits}


def save_unique(obj: models.Model, field: str, message: Any) -> Any:
    """Save `obj`; when the database finds it taken (a unique constraint, also one a
    concurrent request won), refuse under `field` instead."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise invalid(field, message) from None
    return obj


def record(user: Any, rows: Any, pk: Any, action: str = "view", **where: Any) -> Any:
    """The record `pk` of the user's area, read through the one door
    (`rows.restrict(user, action)`), else 404, as for a record that does not exist.
    `rows` is the model's manager or a queryset of it (`Case.objects`,
    `Bed.objects.select_related("ward")`); `action` is the role the reader needs;
    `where` narrows further (`case=case`: a sample of this case only)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(rows.restrict(user, action), pk=pk, **where)


def division(user: Any, code: str) -> Any:
    """The division `code` of the user's area — the node an API body or a page names —
    else 404, as for any record outside it."""
    from django.shortcuts import get_object_or_404

    from fangkong.geo.models import Division

    return get_object_or_404(Division.objects.restrict(user), code=code)


def shown_division(user: Any, code: str | None) -> Any:
    """The node a page looks at: the division `code` of the user's area (`division`),
    or with no code the user's own node; the root of the tree for the system actor,
    bound to none. 404 for an account bound to no node, and while no tree is loaded."""
    from django.http import Http404

    from fangkong.geo.models import Division

    if code:
        return division(user, code)
    node = getattr(user, "node", None) or Division.objects.restrict(user).root()
    if node is None:
        raise Http404
    return node


def chosen_division(user: Any, code: str, field: str = "node_code") -> Any:
    """The division `code` that a page's form names, of the user's area; else the form's
    refusal under `field` (where the API's `division` answers 404)."""
    from fangkong.geo.models import Division

    node = Division.objects.restrict(user).filter(code=code).first()
    if node is None:
        raise invalid(field, _("unknown division or outside your jurisdiction"))
    return node
