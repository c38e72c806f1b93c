import contextlib
import datetime as dt
import re
import zlib

import pytest
from django.urls import reverse

from fangkong.briefing.compute import compute
from fangkong.briefing.models import Briefing
from fangkong.core import clock
from tests.briefing.conftest import DAY0, at

pytestmark = pytest.mark.django_db
API = "/api/v1/briefing"


@pytest.fixture
def briefed(add_case, node):
    with clock.frozen(at(DAY0, 9)):
        for h in (1, 2, 3):
            add_case(at(DAY0 - dt.timedelta(days=h), 10))
        return compute(node("330602"), DAY0)


def test_page_shows_the_stored_briefing(login, briefed, make_user):
    user = make_user("county_hq", "330602")
    r = login(user).get(reverse("briefing:detail", args=["330602", str(DAY0)]))
    body = r.content.decode()
    assert r.status_code == 200
    assert "echarts.min.js" in body and 'id="charts"' in body
    assert "越城区" in body and "Rt" in body
    assert login(user).get(reverse("briefing:today")).status_code == 302


def test_page_without_briefing_offers_to_compute(
    login, make_user, django_capture_on_commit_callbacks
):
    user = make_user("county_hq", "330602")
    c = login(user)
    url = reverse("briefing:detail", args=["330602", str(DAY0)])
    assert "Compute now" in c.get(url).content.decode() or "立即计算" in c.get(url).content.decode()
    with clock.frozen(at(DAY0, 9)), django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("briefing:compute", args=["330602", str(DAY0)]))
    assert r.status_code == 302
    assert Briefing.objects.get(node__code="330602", day=DAY0).status == "done"


def _pdf_text(data: bytes) -> bytes:
    """The PDF with its Flate streams inflated, to look for the embedded font's name."""
    out = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        with contextlib.suppress(zlib.error):
            out.append(zlib.decompress(m.group(1)))
    return b"".join(out)


def test_pdf_in_chinese(login, briefed, make_user, cjk_fonts):
    r = login(make_user("county_hq", "330602")).get(
        reverse("briefing:pdf", args=["330602", str(DAY0)])
    )
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and b"NotoSansCJK" in _pdf_text(r.content)


def test_page_and_pdf_show_the_onset_curve_and_the_sources(
    login, add_case, node, make_user, cjk_fonts
):
    from fangkong.briefing import pdf

    with clock.frozen(at(DAY0, 9)):
        for h, source in ((1, "local"), (2, "outside_province"), (3, "local")):
            add_case(
                at(DAY0 - dt.timedelta(days=h), 10),
                onset_date=DAY0 - dt.timedelta(days=h + 2),
                source=source,
            )
        b = compute(node("330602"), DAY0)
    user = make_user("county_hq", "330602")
    c = login(user)
    body = c.get(reverse("briefing:detail", args=["330602", str(DAY0)])).content.decode()
    assert 'id="sources"' in body and 'id="onset-note"' in body
    # three cases: no credible Rt window, shown as "insufficient data", not as a point
    assert 'id="rt-insufficient"' in body
    assert '"onset_local"' in body and '"truncated_from"' in body  # the chart's data
    svg = pdf.curve_svg(b.data["curve"])
    assert "<polyline" in svg and 'fill="#eeeeee"' in svg and 'fill="#fc8d59"' in svg
    r = c.get(reverse("briefing:pdf", args=["330602", str(DAY0)]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_outsider_is_refused_on_pages_and_api(login, briefed, make_user, client, auth):
    outsider = make_user("county_hq", "330681")
    c = login(outsider)
    for name in ("detail", "pdf"):
        assert c.get(reverse(f"briefing:{name}", args=["330602", str(DAY0)])).status_code == 404
    with clock.frozen(at(DAY0, 9)):
        assert c.post(reverse("briefing:compute", args=["330602", str(DAY0)])).status_code == 404
    h = auth(outsider)
    assert client.get(f"{API}/briefings/330602/{DAY0}", **h).status_code == 404
    with clock.frozen(at(DAY0, 9)):
        assert client.post(f"{API}/briefings/330602/{DAY0}/compute", **h).status_code == 404
    assert client.get(f"{API}/briefings", **h).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/briefings?node=330602", **h).status_code == 404


def test_api_reads_and_computes(
    client, auth, briefed, make_user, city_hq, django_capture_on_commit_callbacks
):  # noqa: F811
    h = auth(make_user("county_hq", "330602"))
    r = client.get(f"{API}/briefings/330602/{DAY0}", **h)
    assert r.status_code == 200 and r.json()["data"]["cases"]["confirmed"]["cumulative"] == 3
    assert [b["day"] for b in client.get(f"{API}/briefings?node=330602", **h).json()["items"]] == [
        str(DAY0)
    ]
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 7)):
        r = client.post(f"{API}/briefings/330602/{DAY0 + dt.timedelta(days=1)}/compute", **h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "day"]
    with (
        clock.frozen(at(DAY0 + dt.timedelta(days=1), 9)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        r = client.post(f"{API}/briefings/330602/{DAY0 + dt.timedelta(days=1)}/compute", **h)
    assert r.status_code == 202
    hc = auth(city_hq)
    assert client.get(f"{API}/rules", **hc).json()["items"][0]["cutoff"] == "08:00:00"
    r = client.post(
        f"{API}/rules",
        {"effective_from": "2020-03-01", "cutoff": "20:00:00"},
        content_type="application/json",
        **hc,
    )
    assert r.status_code == 201
    r = client.post(
        f"{API}/rules", {"effective_from": "2020-03-01"}, content_type="application/json", **h
    )
    assert r.status_code == 403


def test_the_response_level_is_shown_in_words_on_page_pdf_and_api(
    login, briefed, make_user, client, auth, cjk_fonts
):
    """The briefing stores the command app's code ("I") and shows the words the command
    app gives it (一级响应), asked through the section registry: the briefing does not
    import the command app's choices."""
    from django.utils import translation

    from fangkong.briefing import pdf
    from fangkong.briefing.present import context_for

    assert briefed.data["response_level"] == "I"
    user = make_user("county_hq", "330602")
    body = login(user).get(reverse("briefing:detail", args=["330602", str(DAY0)])).content
    assert "响应级别 一级响应" in body.decode() and "响应级别 I " not in body.decode()
    with translation.override("zh-hans"):
        html = pdf.render_to_string("briefing/pdf.html", context_for(briefed.node, DAY0, briefed))
    assert "响应级别 一级响应" in html
    r = client.get(f"{API}/briefings/330602/{DAY0}", **auth(user), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.json()["data"]["response_level"] == "I"  # the code stays for machines
    assert r.json()["response_level_label"] == "一级响应"


def test_the_briefing_page_has_no_english_word_for_a_leader_on_a_phone(
    login, add_case, node, make_user
):
    """The interval, the method, the window's days, the rule set's basis, the risk map's
    colours and the charts' legends all read in Chinese (the tour met "95% CrI", "7 d",
    "platform defaults" and a legend entry "low")."""
    from tests.core.test_list_pages import visible
    from tests.ui.text import explain, untranslated

    with clock.frozen(at(DAY0, 9)):
        for h in range(1, 15):
            for _ in range(2):
                add_case(at(DAY0 - dt.timedelta(days=h), 10), onset_date=DAY0 - dt.timedelta(h + 2))
        compute(node("330602"), DAY0)
    r = login(make_user("county_hq", "330602")).get(
        reverse("briefing:detail", args=["330602", str(DAY0)])
    )
    html = r.content.decode()
    # a citation of an English paper is marked as English on purpose (lang="en")
    text = visible(re.sub(r'<cite lang="en">.*?</cite>', "", html))
    assert untranslated(text) == [], explain(text)
    assert "可信区间" in text and "浙江五色图（2020-02-09 起按累计确诊）" in text
    charts = html.split('id="charts"', 1)[1].split("</script>", 1)[0]
    for key in ('"rt_band"', '"rt_low"', '"onset"'):
        assert key in charts  # the legends' words go to the script with the figures
    assert 'class="colour-chip"' in html  # the colour as a chip beside its word


def test_a_briefing_stored_with_the_english_defaults_shows_them_in_words():
    from django.utils import translation

    from fangkong.briefing.present import five_colour_source, serial_interval

    old = {
        "params": {"risk_sources": {"five_colour": ["2020-02-12", "platform defaults"]}},
        "epi": {"rt": {"si": "6.3 ± 4.2 d"}},
    }
    with translation.override("zh-hans"):
        assert five_colour_source(old) == "平台默认设置（假设）"
        assert five_colour_source({}) == "平台默认设置（假设）"
    assert serial_interval(old) == "6.3 ± 4.2"


def test_the_next_day_is_offered_only_once_its_cut_off_has_passed(login, briefed, make_user):
    """Today's briefing before tomorrow's 08:00 has no link to tomorrow (there is no
    briefing of it yet); yesterday's links to today."""
    from fangkong.briefing.compute import cutoff_for

    user = make_user("county_hq", "330602")
    c = login(user)
    tomorrow, today = DAY0 + dt.timedelta(days=1), DAY0
    with clock.frozen(cutoff_for(tomorrow) - dt.timedelta(minutes=1)):
        body = c.get(reverse("briefing:detail", args=["330602", str(today)])).content.decode()
        earlier = c.get(
            reverse("briefing:detail", args=["330602", str(today - dt.timedelta(days=1))])
        )
    assert reverse("briefing:detail", args=["330602", str(tomorrow)]) not in body
    assert reverse("briefing:detail", args=["330602", str(today - dt.timedelta(days=1))]) in body
    assert reverse("briefing:detail", args=["330602", str(today)]) in earlier.content.decode()
    with clock.frozen(cutoff_for(tomorrow)):
        body = c.get(reverse("briefing:detail", args=["330602", str(today)])).content.decode()
    assert reverse("briefing:detail", args=["330602", str(tomorrow)]) in body
