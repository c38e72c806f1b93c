"""Stories by date: a resident declares a stay in Wuhan ten days ago and gets red with
the reason and the day it turns green; a family member applies for an elderly parent;
an appeal is decided and the colour changes with history; an overdue appeal escalates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fangkong.core import clock
from fangkong.healthcode.models import CodeChange, HealthCode
from fangkong.people.models import Person
from fangkong.selfservice import actions
from fangkong.selfservice.models import Appeal, Declaration
from tests.conftest import GRID_A, HUAYUAN, OTHER_TOWN_VILLAGE, TASHAN
from tests.idnumbers import rid
from tests.selfservice.conftest import DAY, at, sms_code

PHONE = "13905751234"
WUHAN_STAY = {"code": "4201", "left_on": (DAY - dt.timedelta(days=10)).isoformat()}


def form(**extra):
    data = {
        "relation": "self",
        "name": "王建国",
        "id_number": rid("330602", "1975-04-12"),
        "phone": PHONE,
        "node_code": HUAYUAN,
        "address": "塔山街道花园社区3幢2单元401室",
        "consent": True,
    }
    data.update(extra)
    return data


def test_wuhan_stay_ten_days_ago_is_red_with_reason_and_green_day_on_the_page(client):
    with clock.frozen(at(DAY)):
        town = client.get("/public/code/", {"town": TASHAN})
        assert town.status_code == 200
        assert "花园社区" in town.content.decode()
        post = {
            "town": TASHAN,
            "relation": "self",
            "name": "王建国",
            "id_number": rid("330602", "1975-04-12"),
            "phone": PHONE,
            "node_code": HUAYUAN,
            "address": "塔山街道花园社区3幢2单元401室",
            "stay0_code": "4201",
            "stay0_left_on": "2020-02-10",
            "case_contact": "no",
            "consent": "1",
        }
        sent = client.post("/public/code/", {**post, "send": "1"})
        assert sent.status_code == 200
        assert "验证码已发送" in sent.content.decode() or "code was sent" in sent.content.decode()
        done = client.post("/public/code/", {**post, "code": sms_code(PHONE)})
        assert done.status_code == 302, done.content.decode()[:2000]
        page = client.get(done["Location"]).content.decode()
    assert 'data-colour="red"' in page
    assert "2020-02-10" in page  # the reason names the day of the arrival
    assert "2020年3月4日" in page  # 14 normal reports from today: 20 Feb … 4 Mar
    person = Person.objects.get()
    assert HealthCode.objects.get(person=person).colour == "red"
    d = Declaration.objects.get()
    assert d.green_on == dt.date(2020, 3, 4) and d.new_person and d.relation == "self"
    assert d.stays[0]["name"] == "湖北省武汉市"


def test_same_stay_after_wuhan_reopened_is_not_red(code_for):
    """The list in force on the arrival date decides: Wuhan was lifted after 7 April."""
    day = dt.date(2020, 4, 20)
    with clock.frozen(at(day)):
        stay = {"code": "420106", "left_on": "2020-04-10"}
        out = actions.apply(form(stays=[stay]), code_for(PHONE))
    assert out.colour == "green"
    with clock.frozen(at(day)):
        stay = {"code": "420106", "left_on": "2020-04-07"}
        out = actions.apply(form(stays=[stay]), code_for(PHONE))
    assert out.colour == "red"


def test_existing_person_is_matched_never_duplicated_and_facts_win(make_person, code_for):
    from fangkong.healthcode.actions import override_colour  # noqa: F401
    from fangkong.tracing.models import Contact  # noqa: F401

    number = rid("330602", "1975-04-12")
    existing = make_person("王建国", GRID_A, id_number=number, phone="13905759999")
    from fangkong.healthcode.models import Arrival

    Arrival.objects.create(
        person=existing,
        origin="武汉",
        risk_level="high",
        arrived_on=DAY - dt.timedelta(days=3),
        path=existing.path,
    )
    with clock.frozen(at(DAY)):
        out = actions.apply(form(node_code=OTHER_TOWN_VILLAGE), code_for(PHONE))
    assert Person.objects.count() == 1 and out.person.pk == existing.pk
    assert out.colour == "red"  # the declaration of no stay does not override the arrival
    existing.refresh_from_db()
    assert existing.node.code == GRID_A  # the registry is not changed by a declaration
    d = Declaration.objects.get()
    assert not d.new_person
    text = " ".join(d.contradictions)
    assert "自风险地区抵达" in text and "申报居住在" in text


def test_family_member_applies_for_an_elderly_parent(client, code_for):
    parent_id = rid("330602", "1938-05-02", seq=246)  # born 1938, aged 81
    with clock.frozen(at(DAY)):
        out = actions.apply(
            form(
                relation="child",
                applicant_name="王小明",
                name="王秀英",
                id_number=parent_id,
                symptoms=["cough"],
            ),
            code_for(PHONE),
        )
        assert out.colour == "yellow"
        # 7 normal reports after the day the symptoms were declared: 21 … 27 Feb
        assert out.green_on == DAY + dt.timedelta(days=7)
        from fangkong.healthcode.tokens import personal_token

        token = personal_token(out.person.pk)
        page = client.get(f"/public/code/mine/{token}/").content.decode()
        code_page = client.get(f"/healthcode/me/{token}/").content.decode()
    assert "王小明" in page and "王小明" in code_page  # the relation is shown on the code
    assert out.person.phone_index is None  # the family member's phone is not the parent's
    assert Declaration.objects.get().applicant_name == "王小明"


def test_proxy_refused_for_an_adult_and_bad_input_names_the_field(code_for):
    with clock.frozen(at(DAY)):
        with pytest.raises(ValidationError) as refused:
            actions.apply(form(relation="child", applicant_name="王小明"), code_for(PHONE))
        assert "relation" in refused.value.message_dict
        with pytest.raises(ValidationError) as bad_id:
            actions.apply(form(id_number="330602197504121235"), code_for(PHONE))
        assert "id_number" in bad_id.value.message_dict
        with pytest.raises(ValidationError) as unverified:
            actions.apply(form(), "000000")
        assert set(unverified.value.message_dict) & {"code", "phone"}
        with pytest.raises(ValidationError) as no_consent:
            actions.apply(form(consent=False), code_for(PHONE))
        assert "consent" in no_consent.value.message_dict
    assert Person.objects.count() == 0 and Declaration.objects.count() == 0


def test_appeal_decided_changes_colour_with_history(make_user, code_for, client):
    village = make_user("village_staff", HUAYUAN)
    with clock.frozen(at(DAY)):
        out = actions.apply(form(stays=[WUHAN_STAY]), code_for(PHONE))
        assert out.colour == "red"
        appeal = actions.file_appeal(out.person, "我只在武汉天河机场转机，没有出机场")
        assert appeal.due_at == at(DAY) + dt.timedelta(hours=24)
    with clock.frozen(at(DAY, 15)):
        client.force_login(village)
        r = client.post(
            f"/selfservice/appeals/{appeal.pk}/",
            {"decision": "upheld", "colour": "yellow", "reason": "核实航班记录，仅机场转机"},
        )
        assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "upheld" and appeal.colour_after == "yellow"
    assert appeal.decided_by == village and "机场转机" in appeal.decision_reason
    history = list(CodeChange.objects.filter(person=out.person).order_by("at", "pk"))
    assert [h.to_colour for h in history] == ["red", "yellow"]
    assert appeal.number in history[-1].reasons[0]


def test_overdue_appeal_escalates_to_the_town(make_user, code_for, auth):
    town = make_user("town_hq", TASHAN)
    with clock.frozen(at(DAY)):
        out = actions.apply(form(stays=[WUHAN_STAY]), code_for(PHONE))
        appeal = actions.file_appeal(out.person, "我没有去过武汉，填错了")
    headers = auth(town)
    with clock.frozen(at(DAY, 20)):
        r = clientless_get("/api/v1/selfservice/appeals?escalated=true", headers)["items"]
        assert r == []
    with clock.frozen(at(DAY + dt.timedelta(days=1), 10)):
        r = clientless_get("/api/v1/selfservice/appeals?escalated=true", headers)["items"]
        assert [a["number"] for a in r] == [appeal.number] and r[0]["overdue"]
    assert Appeal.objects.get().status == "pending"


def clientless_get(url, headers):
    from django.test import Client

    resp = Client().get(url, **headers)
    assert resp.status_code == 200, resp.content
    return resp.json()
