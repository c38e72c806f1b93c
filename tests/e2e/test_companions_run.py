import pytest

from fangkong.analytics.companions import simulate
from fangkong.companions.models import CandidateExposure
from tests.conftest import YUECHENG, ZHUJI
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_cdc_runs_detection_confirms_a_candidate_and_outsider_is_refused(
    live_server, desktop, make_user, settings, tmp_path
):
    settings.FANGKONG_COMPANIONS_DIR = tmp_path
    simulate.simulate(
        tmp_path / "city", simulate.CityParams(persons=1500, days=4, seed=2, index_cases=4)
    )
    who = sorted({t["infector"] for t in simulate.read_truth(tmp_path / "city")})[0]
    make_user("county_hq", YUECHENG, username="hq")
    make_user("county_hq", ZHUJI, username="zj")

    sign_in(desktop, live_server.url, "hq")
    desktop.goto(f"{live_server.url}/companions/")
    desktop.select_option("#id_dataset", "city")
    desktop.fill("#id_cases", str(who))
    desktop.click("form.card button.btn")
    desktop.wait_for_url(f"{live_server.url}/companions/runs/*/")
    run_url = desktop.url
    assert desktop.locator("tr[id^=candidate-]").count() > 0
    first = desktop.locator("tr[id^=candidate-]").first
    row_id = first.get_attribute("id")
    first.locator("input[name=note]").fill("同班同学")
    first.locator("button[value=confirmed]").click()
    desktop.wait_for_selector(f"#{row_id} >> text=同班同学")
    assert desktop.locator(f"#{row_id} button").count() == 0
    candidate = CandidateExposure.objects.get(pk=int(row_id.split("-")[1]))
    assert candidate.decision == "confirmed" and candidate.decision_note == "同班同学"

    desktop.context.clear_cookies()
    sign_in(desktop, live_server.url, "zj")
    assert desktop.goto(run_url).status == 404
