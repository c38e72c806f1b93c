from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core import crypto
from fangkong.core.fields import optional_ref, path_index, ref_to, sealed, user_ref
from fangkong.core.models import DetailPage, NodeScoped, PathScoped, TimeStampedModel
from fangkong.people.choices import DocumentType, Sex
from fangkong.people.querysets import HouseholdQuerySet, PersonQuerySet


class Household(NodeScoped, TimeStampedModel):
    """A household (户): people living at one address in one grid."""

    number = models.CharField(_("household number"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200)
    node = ref_to("geo.Division", related_name="households_here")

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.address


class Person(DetailPage, PathScoped, TimeStampedModel):
    """A person in the registry (人员信息). Identity numbers and phone are encrypted;
    lists use the masked columns, exact lookup the blind indexes."""

    detail_view = "people:detail"

    name = models.CharField(_("name"), max_length=50)
    name_initials = models.CharField(max_length=50, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)

    id_number_enc, id_number_index, id_masked = sealed(_("resident ID"), max_length=24)

    doc_type = models.CharField(
        _("other document"), max_length=20, choices=DocumentType.choices, blank=True
    )
    # The blind indexes are indexed in Meta (a plain index each, see there).
    doc_number_enc, doc_number_index, doc_masked = sealed(_("document number"), max_length=40)

    phone_enc, phone_index, phone_masked = sealed(_("mobile phone"), max_length=16)

    address = models.CharField(_("current address"), max_length=200, blank=True)
    node = ref_to("geo.Division", _("grid / village"), related_name="persons")
    household = optional_ref(Household, _("household"), related_name="members")
    registered_residence = models.CharField(_("registered residence"), max_length=200, blank=True)
    occupation = models.CharField(_("occupation"), max_length=60, blank=True)
    workplace = models.CharField(_("workplace"), max_length=120, blank=True)
    tags = models.CharField(_("tags"), max_length=200, blank=True)

    merged_into = optional_ref(
        "self", _("merged into"), on_delete=models.PROTECT, related_name="absorbed"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = user_ref()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=models.Q(merged_into__isnull=True, id_number_index__isnull=False),
                name="person_unique_resident_id",
            )
        ]
        indexes = [
            path_index("person_path_id"),
            models.Index(fields=["id_number_index"], name="person_id_index"),
            # Blind indexes are looked up by equality only: a plain index each, without
            # the second `_like` (pattern) index `db_index` gives a CharField on PostgreSQL,
            # which every registered person paid for at a random place (issue #21).
            models.Index(fields=["phone_index"], name="person_phone_index"),
            models.Index(fields=["doc_number_index"], name="person_doc_index"),
        ]

    def __str__(self) -> str:
        shown = self.id_masked or self.phone_masked
        return f"{self.name} ({shown})" if shown else self.name

    def reveal(self, field: str) -> str:
        """The decrypted value of a protected field; callers audit via actions.reveal."""
        token = getattr(self, f"{field}_enc")
        return crypto.decrypt(token, f"person.{field}") if token else ""

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def shown_age(self) -> int | None:
        """Age by birth year, as the masking policy allows beside a masked ID
        (`rules.shown_age`); 0 means under 2."""
        from fangkong.core import clock
        from fangkong.people import rules

        return rules.shown_age(self.birth_date, clock.today())

    @property
    def shown_birth_date(self):  # type: ignore[no-untyped-def]
        """The birth date, only for a person without a resident ID (`rules.shown_birth_date`)."""
        from fangkong.people import rules

        return rules.shown_birth_date(self.birth_date, bool(self.id_masked or self.id_number_index))
