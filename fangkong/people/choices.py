from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNKNOWN = "U", _("Unknown")


class DocumentType(models.TextChoices):
    NONE = "", _("None")
    PASSPORT = "passport", _("Passport")
    HK_MACAU = "hk_macau", _("Hong Kong / Macau permit")
    TAIWAN = "taiwan", _("Taiwan permit")
    FOREIGN_RESIDENT = "foreign_resident", _("Foreign permanent resident ID")
    OTHER = "other", _("Other document")


# Fields whose full value is personal data and shown only on reveal.
PROTECTED_FIELDS = ("id_number", "phone", "doc_number")
