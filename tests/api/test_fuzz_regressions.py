"""Inputs the schema fuzzer found answered with a server error, each now a clear 422
naming the field. Run over every endpoint, not only the Foundation ones."""

import pytest


@pytest.fixture
def hq(client, city_hq):
    r = client.post(
        "/api/v1/auth/token",
        {"username": city_hq.username, "password": "pw-for-tests-1"},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def locs(response):
    assert response.status_code == 422, response.content
    return [d["loc"] for d in response.json()["detail"]]


def test_sweep_window_must_be_morning_or_evening(client, hq):
    r = client.post(
        "/api/v1/observation/sweep",
        {"day": "2020-02-10", "window": "received at"},
        content_type="application/json",
        **hq,
    )
    assert ["body", "body", "window"] in locs(r)


def test_briefing_cutoff_is_a_local_time_without_zone(client, hq):
    body = {"effective_from": "2020-02-01", "cutoff": "00:00:00Z"}
    r = client.post("/api/v1/briefing/rules", body, content_type="application/json", **hq)
    assert ["body", "body", "cutoff"] in locs(r)


def test_case_list_page_must_be_positive(client, hq):
    r = client.get("/api/v1/tracing/cases", {"page": -1188}, **hq)
    assert ["query", "page"] in locs(r)
    assert client.get("/api/v1/tracing/cases", {"page": 1}, **hq).status_code == 200


def test_numbers_beyond_64_bits_are_refused_where_they_stand(client, hq):
    huge = "-25827673880180964720640"
    r = client.get("/api/v1/supplies/prices", {"item_id": huge}, **hq)
    assert locs(r) == [["query", "item_id"]]
    r = client.get(f"/api/v1/persons/{huge[1:]}", **hq)
    assert locs(r) == [["path"]]
    r = client.post(
        "/api/v1/mobilisation/registrations",
        f'{{"member_id": {huge}, "community_code": "330602001004"}}',
        content_type="application/json",
        **hq,
    )
    assert locs(r) == [["body", "member_id"]]
    # Long digit strings in a JSON text field are text, not numbers.
    r = client.get("/api/v1/supplies/prices", {"item_id": "9223372036854775807"}, **hq)
    assert r.status_code != 422


def test_briefing_rule_note_longer_than_its_column_is_refused(client, hq):
    body = {"effective_from": "2020-02-01", "note": "0" * 201}
    r = client.post("/api/v1/briefing/rules", body, content_type="application/json", **hq)
    assert ["body", "body", "note"] in locs(r)


def test_observation_windows_are_local_times_without_zone(client, hq):
    body = {"effective_from": "2000-01-01", "morning_start": "00:00:00Z", "evening_end": "23:00"}
    r = client.post("/api/v1/observation/rules", body, content_type="application/json", **hq)
    assert ["body", "morning_start"] in locs(r)


def test_observation_temperatures_beyond_their_column_are_refused(client, hq):
    body = {"effective_from": "2000-01-01", "max_temperature": 3600}
    r = client.post("/api/v1/observation/rules", body, content_type="application/json", **hq)
    assert ["body", "max_temperature"] in locs(r)
