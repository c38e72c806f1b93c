"""API shapes the apps share: the two fields every dated rule set has (its model's
base is `core.models.DatedRuleSet`); an app's rule-set schemas add their settings."""

import datetime as dt

from ninja import Field, Schema


class RuleSetOut(Schema):
    """A stored dated rule set: the day it takes effect and its source or note."""

    effective_from: dt.date
    note: str


class RuleSetIn(Schema):
    """A dated rule set posted by headquarters: the day it takes effect, an optional
    source or note."""

    effective_from: dt.date
    note: str = Field("", max_length=200)
