"""A Chinese question label ends in "？" and gets no suffix after it."""

from django import forms
from django.utils import translation


class Form(forms.Form):
    question = forms.CharField(label="是哪一位居民？")
    name = forms.CharField(label="姓名")


def test_no_suffix_after_full_width_question_mark():
    with translation.override("zh-hans"):
        form = Form()
        assert form["question"].label_tag().endswith("是哪一位居民？</label>")
        assert "姓名</label>" not in form["name"].label_tag()  # others keep their suffix
