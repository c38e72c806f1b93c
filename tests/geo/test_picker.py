"""The jurisdiction picker: a division found by the name people use, with its path; the
form field takes a name, a path or a code and never asks for a code."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fangkong.geo import picker
from fangkong.geo.models import Division
from tests.conftest import GRID_B, HUAYUAN, TASHAN


def test_huayuan_finds_the_community_with_its_path(db):
    found, total = picker.search("花园")
    assert total >= 3  # 花园社区, 龙洲花园社区, 润沁花园社区居委会, 花园村委会 …
    by_code = {f.code: f for f in found}
    assert by_code[HUAYUAN].path_label == "越城区 › 塔山街道 › 花园社区"
    assert found[0].code == HUAYUAN or found[0].name.startswith("花园")


def test_the_registered_committee_name_is_found_by_its_everyday_form(db):
    found, _total = picker.search("润沁花园社区")
    assert [f.name for f in found] == ["润沁花园社区居委会"]


def test_several_words_narrow_by_the_path(db):
    found, total = picker.search("花园 第2网格")
    assert total == 1 and found[0].code == GRID_B
    assert found[0].path_label == "越城区 › 塔山街道 › 花园社区 › 第2网格"


def test_a_user_searches_only_their_own_subtree(db, make_user):
    shengzhou = make_user("county_hq", "330683")
    found, _total = picker.search("花园", Division.objects.restrict(shengzhou, "view"))
    assert found and all(f.path_label.startswith("嵊州市") for f in found)
    assert HUAYUAN not in {f.code for f in found}


@pytest.mark.parametrize(
    "typed",
    ["花园社区", "越城区 › 塔山街道 › 花园社区", HUAYUAN],
)
def test_the_field_takes_a_name_a_path_or_a_code(db, typed):
    field = picker.JurisdictionField(levels=("village",))
    assert field.clean(typed) == HUAYUAN


def test_an_ambiguous_name_offers_the_choices_with_paths(db):
    field = picker.JurisdictionField(levels=("village",))
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as err:
            field.clean("塔山")
        assert "请在下面选择" in " ".join(err.value.messages)
    labels = [c.path_label for c in field.widget.choices]
    assert "越城区 › 塔山街道 › 塔山社区" in labels
    assert "越城区 › 塔山街道 › 塔山村委会" in labels
    assert any(label.startswith("新昌县") for label in labels)  # another 塔山村委会


def test_an_unknown_name_is_refused_in_words(db):
    field = picker.JurisdictionField()
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as err:
            field.clean("不存在的村")
        assert "没有名为" in " ".join(err.value.messages)


def test_suggestions_answer_json_for_the_script(client, make_user):
    client.force_login(make_user("town_hq", TASHAN))
    data = client.get("/geo/pick/", {"q": "花园", "scope": "mine"}).json()
    assert data["count"] == 1  # inside 塔山街道 only 花园社区 (龙洲花园 is in another town)
    assert data["items"][0] == {
        "code": HUAYUAN,
        "name": "花园社区",
        "path": "越城区 › 塔山街道 › 花园社区",
    }


def test_suggestions_and_api_search_keep_to_one_subtree(client, make_user):
    from tests.api.test_auth_and_persons import token_for

    county = make_user("county_hq", "330602")
    client.force_login(county)
    ask = {"q": "第1网格", "levels": "grid", "scope": "mine"}
    assert client.get("/geo/pick/", ask).json()["count"] >= 2
    mine = client.get("/geo/pick/", {**ask, "under": TASHAN}).json()
    assert mine["count"] >= 1 and all(i["code"].startswith(TASHAN) for i in mine["items"])
    assert client.get("/geo/pick/", {**ask, "under": "999999"}).json()["count"] == 0
    headers = token_for(client, county)
    r = client.get("/api/v1/jurisdictions/search", {**ask, "under": TASHAN}, **headers).json()
    assert r["count"] == mine["count"] and r["items"][0]["code"] == mine["items"][0]["code"]
    # under narrows the caller's scope, never widens it: Zhuji stays out of Yuecheng's
    other = client.get("/api/v1/jurisdictions/search", {**ask, "under": "330681"}, **headers)
    assert other.json()["count"] == 0


def test_api_search(client, make_user):
    from tests.api.test_auth_and_persons import token_for

    headers = token_for(client, make_user("county_hq", "330602"))
    r = client.get("/api/v1/jurisdictions/search", {"q": "花园", "levels": "village"}, **headers)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == len(body["items"]) >= 3
    assert {
        "code": HUAYUAN,
        "name": "花园社区",
        "level": "village",
        "path_label": "越城区 › 塔山街道 › 花园社区",
    } in body["items"]
    assert all(i["path_label"].startswith("越城区") for i in body["items"])


def test_a_directive_is_addressed_by_names(db):
    field = picker.JurisdictionListField(levels=("town",))
    assert field.clean("塔山街道、府山街道，塔山街道") == [TASHAN, "330602002"]
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as err:
            field.clean("塔山街道、无名镇")
        assert "没有名为“无名镇”的辖区" in " ".join(err.value.messages)
