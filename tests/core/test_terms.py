"""The words of the 2020 documents win over a homonym of another app (docs/glossary.md).

Django merges every app's catalogue into one; a word such as "Receive" (a warehouse's
入库, a clinic's 接诊) takes the translation of the first app that has it, so words that
mean different things carry a message context."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from fangkong.mobilisation.forms import PlanForm as RosterForm
from fangkong.supervision.forms import FindingForm
from fangkong.supplies.choices import EntryKind as MovementKind


@pytest.mark.parametrize(
    ("context", "word", "term"),
    [
        ("warehouse", "Receive", "入库"),
        ("warehouse", "Issue", "出库"),
        ("warehouse", "Transfer", "调拨"),
        ("finding", "Severity", "严重程度"),
        ("date range", "From", "起"),
        ("case class", "Confirmed", "确诊"),
        ("expert team", "Member", "组员"),
        ("supply priority", "Critical", "特急"),
        ("donation", "Acknowledge", "致谢"),
        ("decision", "Open", "未办结"),
        ("rumour", "Report", "举报"),
        ("finding", "Findings", "发现问题"),
        ("name of a thing", "Name", "名称"),
        ("post kind", "Gate", "小区门岗"),
        ("member at community", "Register", "报到"),
        ("day of observation", "Day", "第几天"),
    ],
)
def test_homonyms_take_the_term_of_their_context(context, word, term):
    with translation.override("zh-hans"):
        assert pgettext(context, word) == term


def test_forms_and_choices_use_the_terms():
    with translation.override("zh-hans"):
        assert str(MovementKind.ISSUE.label) == "出库"
        assert str(FindingForm.base_fields["severity"].label) == "严重程度"
        assert str(RosterForm.base_fields["first_day"].label) == "起"
        assert gettext("Remote address") == "来源地址" != gettext("From")
        # the plain words keep their everyday sense once the homonyms carry a context
        assert gettext("Confirmed") == "已确认" and gettext("Member") == "党员干部"
        assert gettext("Name") == "姓名" and gettext("Day") == "日期"
