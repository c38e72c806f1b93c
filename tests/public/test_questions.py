import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fangkong.core import clock, otp_codes
from fangkong.core.sms import OutboxGateway
from fangkong.public import actions
from fangkong.public.models import PublicRules, Question
from tests.conftest import HUAYUAN, TASHAN
from tests.public.conftest import DAY0, at

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def _code(phone=PHONE):
    return OutboxGateway.last_to(phone).text.split("是")[1][:6]


def test_verified_phone_question_is_routed_with_the_dated_time_limit(node):
    PublicRules.objects.create(effective_from=DAY0, answer_hours=12)
    with clock.frozen(at(DAY0, 9)):
        otp_codes.send(PHONE)
        q = actions.ask_question(node(TASHAN), "community", "小区什么时候解封？", PHONE, _code())
    assert q.node.code == TASHAN and q.department == "community"
    assert q.due_at == at(DAY0, 21) and q.phone_masked == "138****5678"
    assert PHONE not in str(q.__dict__.get("phone_masked"))
    assert len(q.ticket) == 10 and not q.anonymous


@pytest.mark.parametrize("code", ["", "000000x", "wrong"])
def test_question_with_unverified_phone_is_refused(node, code):
    with clock.frozen(at(DAY0, 9)):
        otp_codes.send(PHONE)
        with pytest.raises(ValidationError) as exc:
            actions.ask_question(node(TASHAN), "health", "哪里可以做核酸检测？", PHONE, code)
    assert "code" in exc.value.message_dict
    assert not Question.objects.exists()


def test_code_expires_and_is_single_use(node):
    with clock.frozen(at(DAY0, 9)):
        otp_codes.send(PHONE)
        code = _code()
    with clock.frozen(at(DAY0, 9, 11)), pytest.raises(ValidationError):
        otp_codes.verify(PHONE, code)
    with clock.frozen(at(DAY0, 10)):
        otp_codes.send(PHONE)
        code = _code()
        otp_codes.verify(PHONE, code)
        with pytest.raises(ValidationError):
            otp_codes.verify(PHONE, code)


def test_anonymous_question_gets_a_ticket(node):
    with clock.frozen(at(DAY0, 9)):
        q = actions.ask_question(node(HUAYUAN), "health", "发热了应该去哪家医院？")
    assert q.anonymous and q.phone_masked == "" and q.ticket.startswith("Q")


def test_overdue_questions_escalate_one_level_at_a_time(node, county_hq, village_staff):
    with clock.frozen(at(DAY0, 9)):
        q = actions.ask_question(node(HUAYUAN), "community", "快递能否送到小区门口？")
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 8)):
        assert actions.escalate_overdue() == 0  # not yet due (24 h)
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 10)):
        assert actions.escalate_overdue() == 1
        assert actions.escalate_overdue() == 0  # fresh limit for the level above
    q.refresh_from_db()
    assert q.escalated_to.code == TASHAN
    assert q.due_at == at(DAY0 + dt.timedelta(days=2), 10)
    with clock.frozen(at(DAY0 + dt.timedelta(days=2), 11)):
        assert actions.escalate_overdue() == 1
    q.refresh_from_db()
    assert q.escalated_to.code == "330602"
    assert (
        Question.objects.restrict(county_hq).overdue(at(DAY0 + dt.timedelta(days=2), 11)).count()
        == 0
    )
    with clock.frozen(at(DAY0 + dt.timedelta(days=2), 12)):
        actions.answer_question(county_hq, q, "可以，请在门口自取。", publish=True)
        assert actions.escalate_overdue() == 0


def test_answer_rating_and_public_search(node, village_staff, zhuji_hq, client):
    with clock.frozen(at(DAY0, 9)):
        q = actions.ask_question(node(HUAYUAN), "transport", "公交什么时候恢复运营？")
        hidden = actions.ask_question(node(HUAYUAN), "transport", "出租车恢复运营吗？")
    with pytest.raises(PermissionDenied):
        actions.answer_question(zhuji_hq, q, "不是我们的辖区", publish=True)
    with clock.frozen(at(DAY0, 12)):
        actions.answer_question(village_staff, q, "2月15日起逐步恢复。", publish=True)
        actions.answer_question(village_staff, hidden, "另行通知。", publish=False)
    page = client.get(reverse("public:answers"), {"q": "公交"}).content.decode()
    assert "2月15日起逐步恢复" in page
    assert "另行通知" not in client.get(reverse("public:answers")).content.decode()
    r = client.post(reverse("public:ticket"), {"ticket": q.ticket, "satisfaction": "4"})
    assert r.status_code == 200
    q.refresh_from_db()
    assert q.satisfaction == 4
    with pytest.raises(ValidationError):
        actions.rate_answer(q.ticket, 9)


def test_public_ask_page_with_code_then_rate_limited(client, node, settings):
    c = client
    assert c.get(reverse("public:ask")).status_code == 200
    with clock.frozen(at(DAY0, 9)):
        assert c.post(reverse("public:send_code"), {"phone": PHONE}).status_code == 200
        r = c.post(
            reverse("public:ask"),
            {
                "node_code": TASHAN,
                "department": "health",
                "text": "家里老人需要买药怎么办？",
                "phone": PHONE,
                "code": _code(),
            },
        )
        assert r.status_code == 200 and "您的问题已收到" in r.content.decode()
        bad = c.post(
            reverse("public:ask"),
            {
                "node_code": TASHAN,
                "department": "health",
                "text": "再问一个问题好吗？",
                "phone": PHONE,
                "code": "123456",
            },
        )
        assert "验证码" in bad.content.decode() and Question.objects.count() == 1
        for _ in range(8):
            c.post(
                reverse("public:ask"), {"node_code": TASHAN, "department": "health", "text": "x"}
            )
        r = c.post(
            reverse("public:ask"), {"node_code": TASHAN, "department": "health", "text": "x"}
        )
    assert r.status_code == 429 and "提交过于频繁" in r.content.decode()
    assert 0 < int(r["Retry-After"]) <= 3600  # the page says when, as the API does
    # Another client is not limited.
    other = c.post(
        reverse("public:report_rumour"), {"text": "喝白酒能预防新冠"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200


def test_staff_question_pages_and_outsider_refused(login, village_staff, zhuji_hq, node):
    with clock.frozen(at(DAY0, 9)):
        q = actions.ask_question(node(HUAYUAN), "health", "社区卫生服务中心开门吗？")
    c = login(village_staff)
    assert q.ticket in c.get(reverse("public:questions")).content.decode()
    r = c.post(reverse("public:question", args=[q.pk]), {"answer": "正常开放。", "publish": "on"})
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.answer == "正常开放。" and q.published
    o = login(zhuji_hq)
    assert o.get(reverse("public:question", args=[q.pk])).status_code == 404
    assert o.post(reverse("public:question", args=[q.pk]), {"answer": "x"}).status_code == 404
    assert q.ticket not in o.get(reverse("public:questions")).content.decode()


def test_escalation_command_for_cron(node):
    from io import StringIO

    from django.core.management import call_command

    with clock.frozen(at(DAY0, 9)):
        actions.ask_question(node(HUAYUAN), "health", "药店几点开门营业？")
    out = StringIO()
    with clock.frozen(at(DAY0 + dt.timedelta(days=2), 9)):
        call_command("public_escalate", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert Question.objects.get().escalated_to.code == TASHAN
