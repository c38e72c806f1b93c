"""Requests as files (JSON and XLSX in the same schema) where no link exists, the pages
and the API, and the refusal of another jurisdiction."""

import datetime as dt
import io
import json

import pytest

from tests.conftest import GRID_A, GRID_Z, ZHUJI
from tests.exchange.conftest import sign_as

pytestmark = pytest.mark.django_db
API = "/api/v1/exchange"


def outgoing(user, partner, **data):
    from fangkong.exchange import actions

    return actions.new_request(
        user,
        partner,
        {
            "name": "孙丽",
            "phone": "13805712345",
            "address": "杭州市上城区清波街道劳动路8号",
            "reason": "close_contact",
            "ask": "observe",
            "exposure": "2020-02-02 同一餐馆",
            **data,
        },
    )


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_file_carries_signed_messages_in_the_same_schema(hangzhou, county_user, fmt):
    from fangkong.exchange import actions, schema, signing
    from fangkong.exchange.models import HandoverRequest

    req = outgoing(county_user, hangzhou)
    content, count = actions.export_file(county_user, hangzhou, fmt)
    assert count == 1
    assert b"13805712345" not in content or fmt == "json"  # XLSX is zipped; JSON is plain
    [env] = schema.from_file(content, f"x.{fmt}")
    assert signing.verify(env, signing.public_key_b64())
    assert env["message"]["body"]["phone"] == "13805712345"
    assert env["message"]["id"] == str(req.message_id)
    req.refresh_from_db()
    assert req.state == "open" and req.channel == "file"
    # Nothing is waiting any more: a second file is empty.
    assert actions.export_file(county_user, hangzhou, fmt)[1] == 0
    assert HandoverRequest.objects.count() == 1


def test_partner_file_is_taken_in(hangzhou, hangzhou_key, request_message, city_hq):
    from fangkong.exchange import actions, schema
    from fangkong.exchange.models import HandoverRequest

    good = sign_as(hangzhou_key, request_message())
    forged = sign_as(hangzhou_key, request_message(name="赵六"))
    forged["message"]["body"]["phone"] = "13900000000"
    content = schema.to_xlsx([good, forged])
    result = actions.import_file(city_hq, content, "协查-杭州.xlsx")
    assert result["accepted"] == [good["message"]["id"]]
    assert result["refused"][0]["reason"] == "bad signature"
    req = HandoverRequest.objects.get()
    assert req.channel == "file" and req.name == "周建国"


def test_a_waiting_message_is_signed_when_it_leaves(hangzhou, county_user):
    from fangkong.core import clock
    from fangkong.exchange import actions
    from fangkong.exchange.models import Message

    outgoing(county_user, hangzhou)
    later = clock.now() + dt.timedelta(hours=5)
    with clock.frozen(later):
        env = actions._envelope(Message.objects.get())
    assert dt.datetime.fromisoformat(env["message"]["sent_at"]) == later


def test_bad_input_names_the_field(hangzhou, county_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        outgoing(county_user, hangzhou, id_number="330602195203081234", phone="")
    assert "id_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        outgoing(county_user, hangzhou, residence_code="420102")
    assert "residence_code" in exc.value.message_dict


def test_pages_work_and_other_jurisdiction_is_404(
    client, hangzhou, hangzhou_key, request_message, make_user, county_user
):
    from fangkong.exchange import actions
    from fangkong.exchange.models import HandoverRequest

    actions.receive([sign_as(hangzhou_key, request_message())], "http")
    req = HandoverRequest.objects.get()
    worker = make_user("grid_worker", req.node.code)
    client.force_login(worker)
    page = client.get("/exchange/")
    assert page.status_code == 200 and "周建国" in page.content.decode()
    detail = client.get(f"/exchange/{req.pk}/")
    assert detail.status_code == 200
    assert req.reveal("id_number") not in detail.content.decode()
    shown = client.post(f"/exchange/{req.pk}/", {"verb": "reveal", "field": "id_number"})
    assert req.reveal("id_number") in shown.content.decode()
    done = client.post(
        f"/exchange/{req.pk}/", {"verb": "answer", "answer": "found", "note": "已找到"}
    )
    assert done.status_code == 302
    req.refresh_from_db()
    assert req.answer == "found"

    zhuji = make_user("grid_worker", GRID_Z)
    client.force_login(zhuji)
    assert client.get(f"/exchange/{req.pk}/").status_code == 404
    assert "周建国" not in client.get("/exchange/").content.decode()


def test_new_request_from_a_tracing_contact(client, hangzhou, county_user, make_person):
    from fangkong.exchange.models import HandoverRequest
    from fangkong.geo.models import Division
    from fangkong.tracing.models import Contact, TracingRules
    from tests.idnumbers import rid

    person = make_person("吴芳", id_number=rid("330102", "1970-01-09", 224), node_code=GRID_A)
    contact = Contact.objects.create(
        person=person,
        name="吴芳",
        address="杭州市上城区清波街道劳动路3号",
        setting="household",
        first_exposure=dt.date(2020, 2, 1),
        last_exposure=dt.date(2020, 2, 2),
        category="close",
        rules=TracingRules.in_force_stored(),
        node=Division.objects.get(code=GRID_A),
        path=Division.objects.get(code=GRID_A).path,
    )
    client.force_login(county_user)
    form = client.get(f"/exchange/new/?contact={contact.pk}")
    assert form.status_code == 200 and "吴芳" in form.content.decode()
    assert person.reveal("id_number") not in form.content.decode()
    posted = client.post(
        f"/exchange/new/?contact={contact.pk}",
        {
            "partner": "330100",
            "name": "吴芳",
            "address": "杭州市上城区清波街道劳动路3号",
            "reason": "close_contact",
            "ask": "observe",
            "exposure_date": "2020-02-02",
            "exposure": "同住",
        },
    )
    assert posted.status_code == 302, posted.context["form"].errors
    req = HandoverRequest.objects.get()
    assert req.contact_id == contact.pk and req.person == person
    assert req.reveal("id_number") == person.reveal("id_number")  # taken from the registry
    zhuji = county_user.__class__.objects.create_user(
        username="zj",
        password="pw-for-tests-1",
        role="county_hq",
        node=Division.objects.get(code=ZHUJI),
    )
    client.force_login(zhuji)
    assert client.get(f"/exchange/new/?contact={contact.pk}").status_code == 404


def test_api_lists_answers_and_refuses_other_area(
    client, hangzhou, hangzhou_key, request_message, make_user
):
    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock
    from fangkong.exchange import actions
    from fangkong.exchange.models import HandoverRequest

    def token(user):
        raw = ApiToken.new_raw()
        ApiToken.objects.create(
            user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(hours=1)
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    actions.receive([sign_as(hangzhou_key, request_message())], "http")
    req = HandoverRequest.objects.get()
    worker = make_user("grid_worker", req.node.code)
    answer = client.get(f"{API}/requests?direction=in", **token(worker)).json()
    listed = answer["items"]
    assert answer["count"] == 1
    assert [r["id"] for r in listed] == [req.pk] and listed[0]["escalated_to"] is None
    bad = client.post(
        f"{API}/requests/{req.pk}/answer",
        json.dumps({"answer": "maybe"}),
        content_type="application/json",
        **token(worker),
    )
    assert bad.status_code == 422 and "answer" in bad.content.decode()
    zhuji = make_user("grid_worker", GRID_Z)
    assert client.get(f"{API}/requests/{req.pk}", **token(zhuji)).status_code == 404
    ok = client.post(
        f"{API}/requests/{req.pk}/answer",
        json.dumps({"answer": "not_found", "note": "查无此人"}),
        content_type="application/json",
        **token(worker),
    )
    assert ok.status_code == 200 and ok.json()["answer"] == "not_found"
    upload = client.post(
        f"{API}/files",
        {"file": io.BytesIO(b"not json")},
        **token(make_user("city_hq", "3306")),
    )
    assert upload.status_code == 422 and "file" in upload.content.decode()


def test_inbox_refuses_garbage_and_unknown_partner(client, hangzhou, request_message):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from fangkong.exchange.models import HandoverRequest, Refusal

    assert client.post("/exchange/inbox/", "x", content_type="application/json").status_code == 400
    stranger = Ed25519PrivateKey.generate()
    msg = request_message()
    msg["from"] = "420100"
    doc = {"schema": "fangkong.exchange/1", "messages": [sign_as(stranger, msg)]}
    resp = client.post("/exchange/inbox/", json.dumps(doc), content_type="application/json")
    assert resp.status_code == 403 and resp.json()["refused"][0]["reason"] == "unknown partner"
    assert HandoverRequest.objects.count() == 0 and Refusal.objects.count() == 1
    assert client.get("/exchange/inbox/").status_code == 405


def test_report_card_page_and_api(client, make_user):
    cdc = make_user("cdc", "3306")
    client.force_login(cdc)
    assert client.get("/exchange/cards/").status_code == 200
    assert client.get("/exchange/cards/export.csv").status_code == 200
    assert client.get("/exchange/cards/export.pdf").status_code == 404
    worker = make_user("grid_worker", GRID_A)
    client.force_login(worker)
    assert client.get("/exchange/cards/").status_code == 403


def test_partners_page_registers_a_partner(client, city_hq):
    from fangkong.exchange.models import Partner

    client.force_login(city_hq)
    page = client.get("/exchange/partners/")
    assert page.status_code == 200 and "330600" in page.content.decode()
    bad = client.post("/exchange/partners/", {"code": "4201", "name": "武汉市", "public_key": "x"})
    assert bad.status_code == 200 and Partner.objects.count() == 0
    assert "code" in bad.context["form"].errors and "public_key" in bad.context["form"].errors


def test_partners_page_speaks_chinese_to_the_official_registering_a_partner(client, city_hq):
    """The key field names what to paste and where to find it, not the algorithm: no
    Latin word on the page but the keys themselves (data, like a name)."""
    from fangkong.exchange import signing
    from tests import kit
    from tests.core.test_list_pages import visible
    from tests.ui.text import explain, untranslated

    partner = kit.partner("420100")
    client.force_login(city_hq)
    bad = client.post(
        "/exchange/partners/", {"code": "420100", "name": "武汉市", "public_key": "x"}
    )
    html = bad.content.decode()
    assert "对方城市公钥" in html and "不是有效的公钥" in html and "Ed25519" not in html
    text = visible(html).replace(signing.public_key_b64(), "").replace(partner.public_key, "")
    assert untranslated(text) == [], explain(text)
    r = client.post(
        f"{API}/partners",
        {"code": "420200", "name": "宜昌市", "public_key": "x"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        **kit.bearer(city_hq),
    )
    assert r.status_code == 422 and "不是有效的公钥" in r.json()["detail"][0]["msg"]


def test_partners_page_and_api_page_every_partner_with_the_total(client, city_hq, monkeypatch):
    """The partner cities are paged with their total (`ppage`), beside the refusals."""
    from fangkong.core import listing as lists
    from fangkong.exchange.models import Partner
    from tests import kit
    from tests.core.test_list_pages import partner_city, total

    for i in range(lists.PER_PAGE + 3):
        partner_city(city_hq, i)
    rows = Partner.objects.count()
    client.force_login(city_hq)
    first = client.get("/exchange/partners/").content.decode()
    assert total(first) == rows > lists.PER_PAGE and "ppage=2" in first
    second = client.get("/exchange/partners/", {"ppage": 2}).content.decode()
    table = second.split("</table>", 1)[0]
    assert table.count("<tr>") - 1 == rows - lists.PER_PAGE  # the header row aside
    assert f"42{rows - 1:02d}00" in table and "420000" not in table
    h = kit.bearer(city_hq)
    page1 = client.get(f"{API}/partners", **h).json()
    page2 = client.get(f"{API}/partners", {"page": 2}, **h).json()
    assert page1["count"] == page2["count"] == rows
    codes = [p["code"] for p in page1["items"] + page2["items"]]
    assert len(codes) == len(set(codes)) == rows


def test_contact_and_screening_pages_offer_the_hand_over(client, county_user, make_person):
    from fangkong.geo.models import Division
    from fangkong.screening.choices import Placement
    from fangkong.screening.models import ScreeningSubject, ScreeningTask
    from fangkong.tracing.models import Contact, TracingRules

    grid = Division.objects.get(code=GRID_A)
    person = make_person("郑洁", node_code=GRID_A, phone="13712345678")
    contact = Contact.objects.create(
        person=person,
        name="郑洁",
        setting="household",
        first_exposure=dt.date(2020, 2, 1),
        last_exposure=dt.date(2020, 2, 2),
        category="close",
        rules=TracingRules.in_force_stored(),
        node=grid,
        path=grid.path,
    )
    subject = ScreeningSubject.objects.create(
        person=person, name="郑洁", node=grid, path=grid.path, placement=Placement.ADDRESS
    )
    task = ScreeningTask.objects.create(
        subject=subject, node=grid, path=grid.path, due_at=dt.datetime(2020, 2, 3, tzinfo=dt.UTC)
    )
    client.force_login(county_user)
    page = client.get(f"/tracing/contacts/{contact.pk}/").content.decode()
    assert f"/exchange/new/?contact={contact.pk}" in page
    page = client.get(f"/screening/tasks/{task.pk}/").content.decode()
    assert f"/exchange/new/?subject={subject.pk}" in page
    form = client.get(f"/exchange/new/?subject={subject.pk}")
    assert form.status_code == 200 and "郑洁" in form.content.decode()


def test_api_creates_a_request_from_a_screening_subject(client, hangzhou, county_user, make_person):
    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock
    from fangkong.exchange.models import HandoverRequest
    from fangkong.geo.models import Division
    from fangkong.screening.choices import Placement
    from fangkong.screening.models import ScreeningSubject
    from tests.idnumbers import rid

    grid = Division.objects.get(code=GRID_A)
    person = make_person("冯刚", id_number=rid("330102", "1948-11-30", 115), node_code=GRID_A)
    subject = ScreeningSubject.objects.create(
        person=person,
        name="冯刚",
        address="杭州市上城区清波街道劳动路6号",
        origin="武汉",
        key_area=True,
        node=grid,
        path=grid.path,
        placement=Placement.ADDRESS,
    )
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=county_user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(hours=1)
    )
    resp = client.post(
        f"{API}/requests",
        {"partner_code": "330100", "subject_id": subject.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["reason"] == "arrival" and body["ask"] == "screen" and body["state"] == "waiting"
    req = HandoverRequest.objects.get()
    assert req.reveal("id_number") == person.reveal("id_number") and req.person == person
    other = client.post(
        f"{API}/requests",
        {"partner_code": "330100", "subject_id": subject.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert other.status_code == 201  # a second hand-over of the same person is allowed
    zhuji = county_user.__class__.objects.create_user(
        username="zj2",
        password="pw-for-tests-1",
        role="county_hq",
        node=Division.objects.get(code=ZHUJI),
    )
    raw2 = ApiToken.new_raw()
    ApiToken.objects.create(
        user=zhuji, digest=ApiToken.hash(raw2), expires_at=clock.now() + dt.timedelta(hours=1)
    )
    refused = client.post(
        f"{API}/requests",
        {"partner_code": "330100", "subject_id": subject.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw2}",
    )
    assert refused.status_code == 404
    # A request placed in the screening queue (as a received one is) shows the latest three
    # visits on its page and says how many the record holds.
    from fangkong.screening.models import ScreeningTask

    HandoverRequest.objects.filter(pk=req.pk).update(subject=subject)

    for day in range(1, 6):
        ScreeningTask.objects.create(
            subject=subject,
            node=grid,
            path=grid.path,
            due_at=dt.datetime(2020, 2, day, tzinfo=dt.UTC),
        )
    client.force_login(county_user)
    page = client.get(f"/exchange/{req.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert len(page.context["tasks"]) == 3 and page.context["tasks_total"] == 5
    html = page.content.decode()
    assert 'id="earlier-tasks"' in html and "5" in html.split('id="earlier-tasks"')[1][:80]
    assert f"/people/{person.pk}/" in html


def test_request_page_shows_only_the_visits_in_the_users_area(client):
    """A hand-over of Zhuji about a person screened in Yuecheng too: Zhuji's
    headquarters see Zhuji's visit on the page, never Yuecheng's."""
    from fangkong.exchange.models import HandoverRequest
    from fangkong.screening.models import ScreeningTask
    from tests import kit

    theirs = kit.screening_task(1, GRID_A)
    subject, zhuji = theirs.subject, kit.division(GRID_Z)
    ours = ScreeningTask.objects.create(
        subject=subject, node=zhuji, path=zhuji.path, due_at=theirs.due_at
    )
    req = kit.handover_request(code=ZHUJI)
    HandoverRequest.objects.filter(pk=req.pk).update(subject=subject)
    client.force_login(kit.account("county_hq", ZHUJI))
    page = client.get(f"/exchange/{req.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert page.context["tasks"] == [ours] and page.context["tasks_total"] == 1
    html = page.content.decode()
    assert f"/screening/tasks/{ours.pk}/" in html
    assert f"/screening/tasks/{theirs.pk}/" not in html
