"""The companions app: runs as background jobs, ranked candidates, decisions, pages, API,
commands — and refusal for another jurisdiction."""

import json
import shutil

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from fangkong.analytics.companions import simulate, store
from fangkong.companions import actions, hooks
from fangkong.companions.models import CandidateExposure, CompanionRun, DataIdentity
from tests.conftest import GRID_A, YUECHENG, ZHUJI

DATASET = "testcity"


@pytest.fixture
def data_root(settings, tmp_path, small_city):
    root, _ = small_city
    shutil.copytree(root, tmp_path / DATASET)
    settings.FANGKONG_COMPANIONS_DIR = tmp_path
    return tmp_path


@pytest.fixture
def infectors(small_city):
    root, _ = small_city
    return sorted({t["infector"] for t in simulate.read_truth(root)})


@pytest.fixture
def county(make_user):
    return make_user("county_hq", YUECHENG)


@pytest.fixture
def outsider(make_user):
    return make_user("county_hq", ZHUJI)


@pytest.fixture
def run(county, data_root, infectors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        started = actions.start_run(county, None, DATASET, "duckdb", [*infectors[:3], 1999999])
    return CompanionRun.objects.select_related("job").get(pk=started.pk)


def token_for(client, user):
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "pw-for-tests-1"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_a_run_finds_ranked_candidates_per_case_with_progress(run, infectors):
    run.refresh_from_db()
    job = run.job
    job.refresh_from_db()
    assert job.status == "done" and job.percent == 100
    assert run.path.startswith("3306/330602")
    cases = {c.ref: c for c in run.cases.all()}
    assert all(cases[r].companions > 0 for r in infectors[:3])
    assert run.report["companions_per_case"] == {str(r): cases[r].companions for r in infectors[:3]}
    ranks = list(
        CandidateExposure.objects.filter(case=cases[infectors[0]]).values_list("rank", "exposure")
    )
    assert [r for r, _ in ranks] == list(range(1, len(ranks) + 1))
    assert [e for _, e in ranks] == sorted((e for _, e in ranks), reverse=True)


def test_a_case_without_a_tracing_window_says_so(run):
    case = run.cases.get(ref=1999999)
    assert case.window_from is None and "window" in case.note
    assert run.report["no_window"] == [1999999]
    assert "without a tracing window" in run.job.message


def test_linked_identities_show_registered_persons(
    county, data_root, infectors, make_person, django_capture_on_commit_callbacks
):
    first = actions.engines.run_duckdb(
        data_root / DATASET, [actions.job.Case(infectors[0], infectors[0], 0, 2**40)]
    )[0]
    person = make_person("李明", GRID_A)
    DataIdentity.objects.create(dataset=DATASET, ref=first[1], person=person)
    with django_capture_on_commit_callbacks(execute=True):
        run = actions.start_run(county, None, DATASET, "duckdb", [infectors[0]])
    assert CandidateExposure.objects.get(run=run, ref=first[1]).person == person


def test_start_run_checks_role_data_set_and_cases(county, grid_worker, data_root):
    with pytest.raises(PermissionDenied):
        actions.start_run(grid_worker, None, DATASET, "duckdb", [1])
    with pytest.raises(ValidationError) as exc:
        actions.start_run(county, None, "../etc", "duckdb", [])
    assert set(exc.value.message_dict) == {"dataset", "cases"}
    with pytest.raises(ValidationError):
        actions.start_run(county, None, DATASET, "hadoop", [1])


def test_start_run_refuses_an_area_outside_the_users(county, node, data_root):
    with pytest.raises(PermissionDenied):
        actions.start_run(county, node(ZHUJI), DATASET, "duckdb", [1])


def test_confirming_records_the_decision_and_calls_the_hook(run, county):
    candidate = CandidateExposure.objects.filter(run=run).first()
    seen = []

    def receiver(sender, candidate, user, **kwargs):
        seen.append((candidate.pk, user.pk))

    hooks.exposure_confirmed.connect(receiver)
    try:
        decided = actions.decide(county, candidate, "confirmed", "同桌就餐")
    finally:
        hooks.exposure_confirmed.disconnect(receiver)
    assert decided.decision == "confirmed" and decided.decided_by == county
    assert seen == [(candidate.pk, county.pk)]
    with pytest.raises(ValidationError):
        actions.decide(county, decided, "dismissed")


def test_outsider_may_not_decide(run, outsider):
    candidate = CandidateExposure.objects.filter(run=run).first()
    with pytest.raises(PermissionDenied):
        actions.decide(outsider, candidate, "dismissed")


# Pages


def test_runs_page_lists_runs_with_progress(client, county, run):
    client.force_login(county)
    response = client.get("/companions/")
    assert response.status_code == 200
    assert f'id="job-{run.job.pk}"' in response.text and "<progress" in response.text
    assert 'name="cases"' in response.text


def test_runs_page_starts_a_run(
    client, county, data_root, infectors, django_capture_on_commit_callbacks
):
    client.force_login(county)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/companions/",
            {"dataset": DATASET, "engine": "duckdb", "cases": f"{infectors[0]}, {infectors[1]}"},
        )
    run = CompanionRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.cases.count() == 2 and run.candidates.exists()


def test_a_synthetic_data_set_is_described_not_named_by_its_folder(
    client, county, data_root, small_city, settings
):
    """The folder name is an identifier; a leader reading Chinese sees what the set holds."""
    _, summary = small_city
    settings.LANGUAGE_CODE = "zh-hans"
    (data_root / "imported-stays" / "stays").mkdir(parents=True)  # no meta.json: its name
    client.force_login(county)
    page = client.get("/companions/", HTTP_ACCEPT_LANGUAGE="zh-hans").text
    described = (
        f"合成城市：2,000 人，自 {summary['first_day']} 起 6 天，{summary['stays']:,} 条停留记录"
    )
    assert f'<option value="{DATASET}">{described}</option>' in page
    assert '<option value="imported-stays">imported-stays</option>' in page


def test_runs_page_names_the_bad_field(client, county, data_root):
    client.force_login(county)
    response = client.post(
        "/companions/", {"dataset": DATASET, "engine": "duckdb", "cases": "12, abc"}
    )
    assert response.status_code == 200 and "abc" in response.text
    assert not CompanionRun.objects.exists()


def test_run_page_shows_ranked_candidates_and_decides_by_htmx(client, county, run, infectors):
    client.force_login(county)
    response = client.get(f"/companions/runs/{run.pk}/?case={infectors[0]}")
    assert response.status_code == 200
    top = CandidateExposure.objects.get(run=run, case__ref=infectors[0], rank=1)
    assert f'id="candidate-{top.pk}"' in response.text
    response = client.post(
        f"/companions/candidates/{top.pk}/decide/",
        {"decision": "dismissed", "note": "同楼不同户"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "同楼不同户" in response.text
    top.refresh_from_db()
    assert top.decision == "dismissed"


def test_pages_refuse_another_jurisdiction(client, outsider, run):
    client.force_login(outsider)
    assert client.get(f"/companions/runs/{run.pk}/").status_code == 404
    candidate = CandidateExposure.objects.filter(run=run).first()
    response = client.post(
        f"/companions/candidates/{candidate.pk}/decide/", {"decision": "confirmed"}
    )
    assert response.status_code == 404
    candidate.refresh_from_db()
    assert candidate.decision == "pending"
    assert str(run.pk) not in client.get("/companions/").text.split("<h2>")[-1]


def test_roles_without_companions_are_refused_the_page(client, grid_worker):
    client.force_login(grid_worker)
    assert client.get("/companions/").status_code == 403


# API


def test_api_lists_runs_and_candidates(client, county, run, infectors):
    headers = token_for(client, county)
    runs = client.get("/api/v1/companions/runs", **headers).json()["items"]
    assert [r["id"] for r in runs] == [run.pk] and runs[0]["status"] == "done"
    page = client.get(
        f"/api/v1/companions/runs/{run.pk}/candidates?case={infectors[0]}&size=5", **headers
    ).json()
    assert len(page["items"]) == 5 and page["has_more"]
    assert {i["case_ref"] for i in page["items"]} == {infectors[0]}
    nxt = client.get(
        f"/api/v1/companions/runs/{run.pk}/candidates?case={infectors[0]}&size=5&after={page['next_after']}",
        **headers,
    ).json()
    assert not {i["id"] for i in nxt["items"]} & {i["id"] for i in page["items"]}


def test_api_starts_a_run_and_decides(
    client, county, data_root, infectors, django_capture_on_commit_callbacks
):
    headers = token_for(client, county)
    assert client.get("/api/v1/companions/datasets", **headers).json() == [DATASET]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/companions/runs",
            json.dumps({"dataset": DATASET, "engine": "duckdb", "cases": [infectors[0]]}),
            content_type="application/json",
            **headers,
        )
    assert response.status_code == 201, response.content
    run_id = response.json()["id"]
    assert client.get(f"/api/v1/companions/runs/{run_id}", **headers).json()["status"] == "done"
    candidate = CandidateExposure.objects.filter(run_id=run_id).first()
    response = client.post(
        f"/api/v1/companions/candidates/{candidate.pk}/decision",
        json.dumps({"decision": "confirmed"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["decision"] == "confirmed"


def test_api_names_the_bad_field(client, county, data_root):
    headers = token_for(client, county)
    response = client.post(
        "/api/v1/companions/runs",
        json.dumps({"dataset": "nope", "engine": "duckdb", "cases": [1]}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "dataset"]


def test_api_refuses_another_jurisdiction(client, outsider, run):
    headers = token_for(client, outsider)
    assert client.get(f"/api/v1/companions/runs/{run.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/companions/runs/{run.pk}/candidates", **headers).status_code == 404
    assert client.get("/api/v1/companions/runs", **headers).json() == {"items": [], "count": 0}
    candidate = CandidateExposure.objects.filter(run=run).first()
    response = client.post(
        f"/api/v1/companions/candidates/{candidate.pk}/decision",
        json.dumps({"decision": "confirmed"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404


# Commands


def test_simulate_and_companions_commands(db, settings, tmp_path, capsys):
    settings.FANGKONG_COMPANIONS_DIR = tmp_path
    call_command("simulate", persons=1500, days=3, seed=5, out="cmdcity")
    assert (tmp_path / "cmdcity" / "truth.parquet").exists()
    truth = simulate.read_truth(tmp_path / "cmdcity")
    who = truth[0]["infector"] if truth else 0
    call_command("companions", cases=f"{who},999999", engine="duckdb", data="cmdcity")
    out = capsys.readouterr()
    assert f"case {who}:" in out.out and "companions of 1 cases (1 without a window)" in out.out
    assert "case 999999: no tracing window" in out.err


def test_import_locations_reports_bad_rows_and_stores_stays(db, settings, tmp_path, capsys):
    settings.FANGKONG_COMPANIONS_DIR = tmp_path
    records = tmp_path / "records.csv"
    records.write_text(
        "person,cell,time\n"
        "1,5,2020-01-20T09:00\n"
        "1,5,2020-01-20T09:20\n"
        "2,5,2020-01-20T09:05\n"
        "2,,2020-01-20T09:10\n"
        "2,5,2020-01-20T09:30\n"
        "1,5,2020-01-20T08:00\n"
        "3,5,not-a-time\n",
        encoding="utf-8",
    )
    call_command("import_locations", data="imported", records=str(records))
    report = json.loads(capsys.readouterr().out.split("records: ")[1])
    assert report["rejected"] == {
        "unknown_person": 0,
        "missing_cell": 1,
        "missing_time": 1,
        "out_of_order": 1,
    }
    assert report["samples"] == {"missing_cell": [3], "missing_time": [6], "out_of_order": [5]}
    assert store.count_stays(tmp_path / "imported") == report["stays"] == 2


def test_demo_step_generates_a_city_and_one_run(db, settings, tmp_path):
    from fangkong.companions.demo import demo_step

    settings.FANGKONG_COMPANIONS_DIR = tmp_path
    first = demo_step(1)
    assert "candidates" in first and (tmp_path / "demo-city" / "stays").is_dir()
    run = CompanionRun.objects.get(dataset="demo-city")
    assert run.job.status == "done" and run.candidates.exists()
    assert "already there" in demo_step(1)


def test_a_decision_leaves_an_audit_entry_naming_the_user(run, county):
    from auditlog.models import LogEntry

    candidate = CandidateExposure.objects.filter(run=run).first()
    actions.decide(county, candidate, "dismissed", "不同楼层")
    entry = LogEntry.objects.get_for_object(candidate).latest("timestamp")
    assert entry.actor == county and "decision" in entry.changes_dict
