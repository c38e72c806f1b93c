from django.db import models
from django.utils.translation import gettext_lazy as _


class Relation(models.TextChoices):
    """Who applies: the person, or a family member for them (代领)."""

    SELF = "self", _("myself")
    CHILD = "child", _("their son or daughter")
    PARENT = "parent", _("their father or mother")
    SPOUSE = "spouse", _("their husband or wife")
    GRANDCHILD = "grandchild", _("their grandchild")
    GRANDPARENT = "grandparent", _("their grandparent")
    OTHER = "other", _("another family member")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    UPHELD = "upheld", _("upheld: colour changed")
    REJECTED = "rejected", _("rejected: colour kept")
