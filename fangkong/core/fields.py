"""The links and path columns every domain model declares, written once.

A record points at a user (its author, owner, reviewer), a person, a node or another
record. The house's default for such a link is "never followed backwards"
(`related_name="+"`) and "the target may not be deleted while it is referred to"
(`PROTECT`); an optional link is null and blank, and is cleared when its target goes
(`SET_NULL`). Each factory returns a plain `models.ForeignKey`, so the columns, and the
migrations that describe them, are exactly those the spelled-out declaration made; any
argument may still be given to depart from the default."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock

USER = settings.AUTH_USER_MODEL

PATH_LEN = 160


def path_column(**options: Any) -> Any:
    """A materialised path (a copy of a node's `path`, so a prefix match places the
    record in the tree without a join), never edited by hand."""
    return models.CharField(max_length=PATH_LEN, editable=False, **options)


def path_index(name: str, then: str = "id", then_class: str = "int8_ops") -> Any:
    """The index a list read through `restrict` walks: the materialised path, then `then`
    (the id a keyset page orders by, or a column the list filters on, whose operator
    class is `then_class`). Prefix matches on the path need the pattern operator class on
    PostgreSQL unless the database collation is C; other databases ignore it."""
    return models.Index(
        fields=["path", then], name=name, opclasses=["varchar_pattern_ops", then_class]
    )


def ref_to(to: Any, verbose_name: Any = None, **options: Any) -> Any:
    """A required link to `to`: protected, not followed backwards unless named."""
    options = {"on_delete": models.PROTECT, "related_name": "+", **options}
    if verbose_name is not None:
        options["verbose_name"] = verbose_name
    return models.ForeignKey(to, **options)


def optional_ref(to: Any, verbose_name: Any = None, **options: Any) -> Any:
    """An optional link to `to`: null and blank, cleared when the target is deleted."""
    return ref_to(
        to, verbose_name, **{"on_delete": models.SET_NULL, "null": True, "blank": True, **options}
    )


def user_ref(verbose_name: Any = None, *, required: bool = False, **options: Any) -> Any:
    """The user who did something to the record (entered, reviewed, closed it). Optional
    by default: kept when the account is deleted (the link is cleared, the record stays);
    `required`, a link that protects the account like any required link."""
    if required:
        return ref_to(USER, verbose_name, **options)
    return optional_ref(USER, verbose_name, **options)


def step(
    verbose_name: Any = None, *, now: bool = False, editable: bool = True, **by_options: Any
) -> tuple[Any, Any]:
    """A step in a record's life (issued, recorded, reviewed, decided, closed): when it
    was taken (`verbose_name` names the time) and the user who took it (a `user_ref`,
    `by_options` departing from its defaults). A step taken as the record is written
    (`now`) is timed by the clock (`editable=False`: a time no form may set); any other
    is empty until it is taken. Unpacked in that order: `resolved_at, resolved_by =
    step()`, `created_at, created_by = step(now=True, editable=False, required=True)`."""
    at: Any
    if now:
        at = models.DateTimeField(verbose_name, default=clock.now, editable=editable)
    else:
        at = models.DateTimeField(verbose_name, null=True, blank=True, editable=editable)
    return at, user_ref(**by_options)


def status_of(states: Any, *, default: Any, max_length: int, **options: Any) -> Any:
    """Where a record stands in its life: one of `states` (a `TextChoices`), starting at
    `default`."""
    return models.CharField(
        _("status"), max_length=max_length, choices=states.choices, default=default, **options
    )


def celsius(verbose_name: Any = None, **options: Any) -> Any:
    """A body temperature in °C with one decimal (36.5), as read and as judged."""
    return models.DecimalField(verbose_name, max_digits=3, decimal_places=1, **options)


def sealed(
    verbose_name: Any, *, max_length: int, indexed: bool = False, required: bool = False
) -> tuple[Any, Any, Any]:
    """A personal value kept as the house keeps one (a phone, an identity number): its
    ciphertext (`…_enc`, `core.crypto.encrypt`), a blind index to find the record by the
    value (`…_index`, `indexed` for a database index), and the masked copy lists show
    (`…_masked`, `verbose_name`, `max_length` characters at most). Unpacked in that
    order: `phone_enc, phone_index, phone_masked = sealed(_("mobile phone"), max_length=16)`.
    A `required` value always has its ciphertext and index (not null), and its masked copy
    is never blank."""
    index_options: dict[str, Any] = {"db_index": True} if indexed else {}
    if required:
        return (
            models.BinaryField(editable=False),
            models.CharField(max_length=32, editable=False, **index_options),
            models.CharField(verbose_name, max_length=max_length),
        )
    enc, masked = sealed_unindexed(verbose_name, max_length=max_length)
    return enc, models.CharField(max_length=32, null=True, editable=False, **index_options), masked


def sealed_unindexed(verbose_name: Any, *, max_length: int) -> tuple[Any, Any]:
    """A personal value the record keeps but is never found by (a contact's phone, a
    number a public form gave): `sealed` without the blind index, its ciphertext
    (`…_enc`) and masked copy (`…_masked`), both optional. Unpacked in that order:
    `phone_enc, phone_masked = sealed_unindexed(_("mobile phone"), max_length=16)`."""
    return (
        models.BinaryField(null=True, editable=False),
        models.CharField(verbose_name, max_length=max_length, blank=True),
    )
