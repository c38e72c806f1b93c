"""Writes to the person registry. Views, API and importers call these; each validates,
writes in one transaction and leaves an audit trail."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core import audit, clock, crypto
from fangkong.core.access import invalid, require
from fangkong.core.querysets import can_access
from fangkong.geo.models import Division
from fangkong.people import identity, rules
from fangkong.people.choices import PROTECTED_FIELDS, DocumentType, Sex
from fangkong.people.models import Household, Person

EDITABLE = (
    "name",
    "sex",
    "birth_date",
    "id_number",
    "doc_type",
    "doc_number",
    "phone",
    "address",
    "node_code",
    "household_number",
    "registered_residence",
    "occupation",
    "workplace",
    "tags",
)


class DuplicatePerson(ValidationError):
    """The resident ID already belongs to a person in the registry."""

    def __init__(self, existing: Person):
        self.existing = existing
        super().__init__({"id_number": [_("this resident ID is already registered")]})


def id_elsewhere_message() -> str:
    return _("a person with this resident ID exists elsewhere; ask the town")


def similar_elsewhere_message() -> str:
    return _("a person with the same name and phone exists elsewhere; ask the town")


def within_reach(user: Any, persons: list[Person]) -> tuple[list[Person], bool]:
    """Existence checks answer within the caller's jurisdiction only: the persons the
    caller may view, and whether others exist beyond (to be told without ids)."""
    mine = [p for p in persons if can_access(user, p, "view")]
    return mine, len(mine) < len(persons)


class StaleEdit(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            {"version": [_("someone else changed this record; reload and apply your edit again")]}
        )


@dataclass
class Cleaned:
    values: dict[str, Any] = field(default_factory=dict)
    id_number: str | None = None
    phone: str | None = None
    doc_number: str | None = None
    node: Division | None = None


def _clean(user: Any, data: dict[str, Any], partial: bool = False) -> Cleaned:  # noqa: C901, PLR0915
    """Validate raw input; raise ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    out = Cleaned()
    v = out.values

    def text(name: str, limit: int, required: bool = False) -> None:
        if name not in data:
            if required and not partial:
                errors[name] = [_("this field is required")]
            return
        value = (data.get(name) or "").strip()
        if required and not value:
            errors[name] = [_("this field is required")]
        elif len(value) > limit:
            errors[name] = [_("at most %d characters") % limit]
        else:
            v[name] = identity.normalise_name(value) if name == "name" else value

    text("name", 50, required=True)
    for name, limit in (
        ("address", 200),
        ("registered_residence", 200),
        ("occupation", 60),
        ("workplace", 120),
    ):
        text(name, limit)

    if "tags" in data:
        raw = data.get("tags") or ""
        items = raw if isinstance(raw, list) else str(raw).replace("，", ",").split(",")
        v["tags"] = ",".join(dict.fromkeys(t.strip() for t in items if t.strip()))

    if "sex" in data and data["sex"]:
        if data["sex"] not in Sex.values:
            errors["sex"] = [_("must be one of %s") % ", ".join(Sex.values)]
        else:
            v["sex"] = data["sex"]

    if data.get("birth_date"):
        bd = data["birth_date"]
        if isinstance(bd, str):
            try:
                bd = dt.date.fromisoformat(bd)
            except ValueError:
                errors["birth_date"] = [_("not a date (YYYY-MM-DD)")]
                bd = None
        if bd is not None and (bd > clock.today() or bd.year < 1880):
            errors["birth_date"] = [_("the birth date is impossible")]
        elif bd is not None:
            v["birth_date"] = bd

    ident = identity.parse(
        id_number=data.get("id_number") or "", phone=data.get("phone") or "", today=clock.today()
    )
    for name, reason in ident.errors:
        errors[name] = [reason]
    if ident.resident_id is not None:
        out.id_number = ident.id_number
        if v.get("birth_date") and v["birth_date"] != ident.birth_date:
            errors["birth_date"] = [_("does not match the birth date in the resident ID")]
        v["birth_date"] = ident.birth_date
        v["sex"] = ident.sex
    if ident.phone:
        out.phone = ident.phone

    if "doc_type" in data:
        doc_type = data.get("doc_type") or ""
        if doc_type not in DocumentType.values:
            errors["doc_type"] = [_("unknown document type")]
        else:
            v["doc_type"] = doc_type
            number = (data.get("doc_number") or "").strip().upper()
            if doc_type and not number:
                errors["doc_number"] = [_("give the document number")]
            elif number and not doc_type:
                errors["doc_type"] = [_("say which document the number belongs to")]
            elif number and not (4 <= len(number) <= 30 and number.isalnum()):
                errors["doc_number"] = [_("4 to 30 letters or digits")]
            elif number:
                out.doc_number = number

    if data.get("node_code") or not partial:
        code = (data.get("node_code") or "").strip()
        node = Division.objects.restrict(user, "view").filter(code=code).first() if code else None
        if node is None:
            errors["node_code"] = [
                _("unknown jurisdiction code “%s” (or outside your area)") % code
                if code
                else _("this field is required")
            ]
        elif node.level not in ("village", "grid"):
            errors["node_code"] = [_("choose a village/community or a grid")]
        else:
            out.node = node

    if errors:
        raise ValidationError(errors)
    return out


def _apply(person: Person, cleaned: Cleaned, data: dict[str, Any]) -> None:
    for key, value in cleaned.values.items():
        setattr(person, key, value)
    if "name" in cleaned.values:
        person.name_initials = rules.pinyin_initials(person.name)
    if cleaned.node is not None:
        person.node = cleaned.node
        person.path = cleaned.node.path
    if cleaned.id_number:
        set_protected(person, "id_number", cleaned.id_number)
    elif "id_number" in data and not data["id_number"]:
        clear_protected(person, "id_number")
    if cleaned.phone:
        set_protected(person, "phone", cleaned.phone)
    elif "phone" in data and not data["phone"]:
        clear_protected(person, "phone")
    if cleaned.doc_number:
        set_protected(person, "doc_number", cleaned.doc_number)
    elif "doc_type" in data and not data.get("doc_type"):
        clear_protected(person, "doc_number")


MASKERS = {"id_number": rules.mask_id, "phone": rules.mask_phone, "doc_number": rules.mask_document}
MASKED_COLUMN = {"id_number": "id_masked", "phone": "phone_masked", "doc_number": "doc_masked"}


def set_protected(person: Person, name: str, value: str) -> None:
    setattr(person, f"{name}_enc", crypto.encrypt(value, f"person.{name}"))
    setattr(person, f"{name}_index", crypto.blind_index(value, f"person.{name}"))
    setattr(person, MASKED_COLUMN[name], MASKERS[name](value))


def clear_protected(person: Person, name: str) -> None:
    setattr(person, f"{name}_enc", None)
    setattr(person, f"{name}_index", None)
    setattr(person, MASKED_COLUMN[name], "")


def _check_duplicate_id(number: str | None, exclude_pk: int | None = None) -> None:
    if not number:
        return
    existing = Person.objects.active().with_resident_id(number).exclude(pk=exclude_pk).first()
    if existing is not None:
        raise DuplicatePerson(existing)


def _household(user: Any, person: Person, data: dict[str, Any]) -> None:
    number = (data.get("household_number") or "").strip()
    if not number:
        return
    household, _created = Household.objects.get_or_create(
        number=number, node=person.node, defaults={"address": person.address or number}
    )
    person.household = household


def similar_by_name_and_phone(name: str, phone: str | None, exclude_pk: int | None = None):
    if not phone:
        return Person.objects.none()
    return Person.objects.active().with_phone(phone).filter(name=name).exclude(pk=exclude_pk)


@transaction.atomic
def register_person(
    user: Any, data: dict[str, Any], confirm_similar: bool = False
) -> tuple[Person, list[Person]]:
    """Create a person. Same ID → DuplicatePerson; same name + phone → returned as
    `similar` without saving unless `confirm_similar`."""
    cleaned = _clean(user, data)
    _check_duplicate_id(cleaned.id_number)
    similar = list(similar_by_name_and_phone(cleaned.values["name"], cleaned.phone)[:5])
    if similar and not confirm_similar:
        return Person(name=cleaned.values["name"]), similar
    person = Person(created_by=user if getattr(user, "pk", None) else None)
    _apply(person, cleaned, data)
    _household(user, person, data)
    person.save()
    return person, similar


@transaction.atomic
def update_person(user: Any, person: Person, data: dict[str, Any], version: int | None) -> Person:
    cleaned = _clean(user, data, partial=True)
    _check_duplicate_id(cleaned.id_number, exclude_pk=person.pk)
    fresh = Person.objects.select_for_update().get(pk=person.pk)
    if version is not None and fresh.version != version:
        raise StaleEdit()
    _apply(fresh, cleaned, data)
    _household(user, fresh, data)
    fresh.version += 1
    fresh.save()
    return fresh


def reveal(user: Any, person: Person, field_name: str, request: Any = None) -> str:
    """The full value of a protected field, for a user allowed to reveal; audited."""
    if field_name not in PROTECTED_FIELDS:
        raise ValueError(field_name)
    require(user, "reveal", person, message=_("you may not see the full value"))
    audit.record_access(user, person, f"reveal:{field_name}", request)
    return person.reveal(field_name)


def may_call(user: Any, person: Person) -> bool:
    """Whether a call button is shown: the person has a phone and `user` may reveal it
    (the reveal itself, `reveal(user, person, "phone")`, is audited when it is used)."""
    return bool(person.phone_masked) and can_access(user, person, "reveal")


def record_view(user: Any, person: Person, request: Any = None) -> None:
    audit.record_access(user, person, "view", request)


MERGE_FILLABLE = (
    "sex",
    "birth_date",
    "address",
    "registered_residence",
    "occupation",
    "workplace",
    "household",
    "doc_type",
)


@transaction.atomic
def merge_persons(user: Any, survivor: Person, absorbed: Person) -> Person:
    """Combine two records of one person. The survivor keeps its values and takes the
    absorbed record's where its own are empty; the absorbed record stays, marked as
    merged, with its history, and its relations point to the survivor."""
    if survivor.pk == absorbed.pk:
        raise invalid("absorbed", _("a record cannot be merged into itself"))
    if absorbed.merged_into_id or survivor.merged_into_id:
        raise invalid("absorbed", _("a merged record cannot be merged again"))
    for p in (survivor, absorbed):
        require(user, "merge", p, message=_("you may not merge these records"))
    if (
        survivor.id_number_index
        and absorbed.id_number_index
        and survivor.id_number_index != absorbed.id_number_index
    ):
        raise invalid("absorbed", _("the two records carry different resident IDs"))
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    absorbed = Person.objects.select_for_update().get(pk=absorbed.pk)
    for name in MERGE_FILLABLE:
        if not getattr(survivor, name) and getattr(absorbed, name):
            setattr(survivor, name, getattr(absorbed, name))
    for name in PROTECTED_FIELDS:
        if not getattr(survivor, f"{name}_enc") and getattr(absorbed, f"{name}_enc"):
            for suffix in ("_enc", "_index"):
                setattr(survivor, name + suffix, getattr(absorbed, name + suffix))
            col = MASKED_COLUMN[name]
            setattr(survivor, col, getattr(absorbed, col))
    survivor.tags = ",".join(dict.fromkeys(survivor.tag_list + absorbed.tag_list))
    absorbed.merged_into = survivor
    absorbed.version += 1
    absorbed.save()
    survivor.version += 1
    survivor.save()
    Person.objects.filter(merged_into=absorbed).update(merged_into=survivor)
    from fangkong.people import signals

    signals.person_merged.send(sender=Person, survivor=survivor, absorbed=absorbed, user=user)
    return survivor
