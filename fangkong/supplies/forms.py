"""Forms of the supplies pages: they parse input; the actions validate and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.formfields import date_field
from fangkong.core.forms import ActionErrorsMixin
from fangkong.supplies.choices import RequesterKind, Source, Urgency
from fangkong.supplies.models import Batch, Item, Market, Warehouse


class UnitsForm(ActionErrorsMixin, forms.Form):
    """A movement of stock: an item and a number of its units, then what the movement
    names (its fields are the keyword arguments of the ledger action it is posted to)."""

    item = forms.ModelChoiceField(Item.objects.all(), label=_("Item"))
    quantity = forms.IntegerField(label=_("Quantity"))


class ReceiveForm(UnitsForm):
    source = forms.ChoiceField(choices=Source.choices, label=_("Source"))
    batch_code = forms.CharField(label=_("Batch"), required=False, max_length=40)
    expires_on = date_field(label=_("Expires on"), required=False)


class IssueForm(UnitsForm):
    reason = forms.CharField(label=_("Issued to / reason"), required=False, max_length=200)


class TransferForm(UnitsForm):
    destination = forms.ModelChoiceField(Warehouse.objects.none(), label=_("To warehouse"))

    def __init__(self, *args: Any, warehouses: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if warehouses is not None:
            self.fields["destination"].queryset = warehouses  # type: ignore[attr-defined]


class AdjustForm(ActionErrorsMixin, forms.Form):
    batch = forms.ModelChoiceField(Batch.objects.none(), label=_("Batch"))
    delta = forms.IntegerField(label=_("Change (negative to reduce)"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, batches: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if batches is not None:
            self.fields["batch"].queryset = batches  # type: ignore[attr-defined]


class DonationForm(ActionErrorsMixin, forms.Form):
    donor = forms.CharField(label=_("Donor"), max_length=120, required=False)
    contact = forms.CharField(label=_("Donor contact"), max_length=120, required=False)
    item = forms.ModelChoiceField(Item.objects.all(), label=_("Item"))
    quantity = forms.IntegerField(label=_("Quantity"))
    batch_code = forms.CharField(label=_("Batch"), required=False, max_length=40)
    expires_on = date_field(label=_("Expires on"), required=False)


class RequestForm(ActionErrorsMixin, forms.Form):
    requester_kind = forms.ChoiceField(choices=RequesterKind.choices, label=_("Requester"))
    requester_name = forms.CharField(
        label=_("Facility or community"), max_length=100, required=False
    )
    warehouse = forms.ModelChoiceField(Warehouse.objects.none(), label=_("From warehouse"))
    destination = forms.ModelChoiceField(
        Warehouse.objects.none(), label=_("Into warehouse"), required=False
    )
    item = forms.ModelChoiceField(Item.objects.all(), label=_("Item"))
    quantity = forms.IntegerField(label=_("Quantity"))
    urgency = forms.ChoiceField(choices=Urgency.choices, label=_("Urgency"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, sources: Any = None, own: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sources is not None:
            self.fields["warehouse"].queryset = sources  # type: ignore[attr-defined]
        if own is not None:
            self.fields["destination"].queryset = own  # type: ignore[attr-defined]


class QuantityForm(ActionErrorsMixin, forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class PriceForm(ActionErrorsMixin, forms.Form):
    market = forms.ModelChoiceField(Market.objects.none(), label=_("Market"))
    item = forms.ModelChoiceField(
        Item.objects.filter(category__in=["necessity", "protective"]), label=_("Item")
    )
    day = date_field(label=_("Day"))
    price = forms.CharField(label=_("Price (yuan per unit)"), max_length=20)

    def __init__(self, *args: Any, markets: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if markets is not None:
            self.fields["market"].queryset = markets  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("stock", _("Stock count")), ("requests", _("Requests")), ("prices", _("Prices"))],
        label=_("Sheet"),
    )
    file = forms.FileField(label=_("Excel file (.xlsx)"))
