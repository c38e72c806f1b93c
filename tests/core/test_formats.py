import datetime as dt

from django import forms
from django.utils import translation
from django.utils.formats import date_format


class DatesForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


def test_chinese_date_inputs_carry_iso_values_the_browser_accepts():
    with translation.override("zh-hans"):
        form = DatesForm(
            initial={"day": dt.date(2026, 12, 5), "at": dt.datetime(2026, 12, 5, 8, 30)}
        )
        html = str(form["day"]) + str(form["at"])
        assert 'value="2026-12-05"' in html and 'value="2026-12-05 08:30"' in html
        assert "2026/12/05" not in html
        bound = DatesForm({"day": "2026-12-05", "at": "2026-12-05T08:30"})
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data["day"] == dt.date(2026, 12, 5)


def test_chinese_display_format_stays_chinese():
    with translation.override("zh-hans"):
        assert date_format(dt.date(2020, 1, 23)) == "2020年1月23日"
