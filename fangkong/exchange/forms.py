"""Forms of the exchange pages; the actions validate what needs the database."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.core.formfields import date_field, datetime_field, text_box
from fangkong.core.forms import ActionErrorsMixin
from fangkong.exchange.choices import Answer, Ask, Reason


class RequestForm(ActionErrorsMixin, forms.Form):
    """An outgoing request (协查函): who, why, exposure, what is asked, deadline."""

    partner = forms.ChoiceField(label=_("City asked"), choices=())
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("Resident ID"),
        max_length=18,
        required=False,
        help_text=_("Left empty: taken from the registry when the person is known."),
    )
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address in that city"), max_length=200)
    residence_code = forms.CharField(
        label=_("Address code"),
        max_length=12,
        required=False,
        help_text=_("Optional: the county or town code if known; the city code otherwise."),
    )
    reason = forms.ChoiceField(label=_("Why"), choices=Reason.choices)
    exposure_date = date_field(label=_("Last exposure or arrival"), required=False)
    exposure = text_box(rows=3, label=_("Exposure details"), max_length=300, required=False)
    ask = forms.ChoiceField(label=_("What is asked"), choices=Ask.choices)
    deadline = datetime_field(
        label=_("Answer due"),
        required=False,
        help_text=_("Empty: the time the rules in force allow."),
    )
    contact = forms.CharField(label=_("Our contact (name, phone)"), max_length=100, required=False)

    def __init__(self, *args: Any, partners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = partners  # type: ignore[attr-defined]


class AnswerForm(ActionErrorsMixin, forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices)
    note = forms.CharField(label=_("Details"), max_length=300, required=False)


class PartnerForm(ActionErrorsMixin, forms.Form):
    code = forms.CharField(label=_("City code"), max_length=6)
    name = forms.CharField(label=pgettext_lazy("name of a thing", "Name"), max_length=60)
    url = forms.CharField(label=_("Exchange endpoint"), max_length=200, required=False)
    public_key = forms.CharField(
        label=_("The partner city's public key"),
        help_text=_(
            "Copy it as it stands from “our public key” on the partner city's own page of "
            "partner cities."
        ),
        max_length=64,
    )


class FileForm(ActionErrorsMixin, forms.Form):
    file = forms.FileField(label=_("File (JSON or XLSX)"))


class ReceiptForm(ActionErrorsMixin, forms.Form):
    file = forms.FileField(label=_("Receipt (CSV)"))


class AckForm(ActionErrorsMixin, forms.Form):
    card = forms.CharField(widget=forms.HiddenInput)
    seq = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=999)
    national_id = forms.CharField(label=_("Card id of the national system"), max_length=40)
