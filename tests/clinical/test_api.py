"""The API: a visit to discharge through /api/v1/clinical/, bad input as 422, and a
user of another jurisdiction refused (404) on every record endpoint."""

import pytest

from fangkong.clinical.models import Case, Transfer, Ward
from fangkong.core import clock
from tests.clinical.conftest import DAY0, at
from tests.kit import bearer_en as auth

pytestmark = pytest.mark.django_db
API = "/api/v1/clinical"
NOW = at(DAY0, 10)


def post(client, url, data, h):
    return client.post(url, data, content_type="application/json", **h)


def test_visit_to_bed_through_the_api(
    client, doctor, ward_doctor, clinic, hospital, make_person, city_hq
):
    person = make_person("魏华")
    h, w = auth(doctor), auth(ward_doctor)
    with clock.frozen(NOW):
        r = post(
            client,
            f"{API}/visits",
            {
                "facility_id": clinic.pk,
                "person_id": person.pk,
                "temperature": "38.6",
                "symptoms": ["cough"],
                "epi_items": ["travel"],
                "imaging_pneumonia": True,
            },
            h,
        )
        assert r.status_code == 201, r.content
        vid = r.json()["id"]
        assert r.json()["r7"]["proposed"] == "suspected"
        r = post(
            client,
            f"{API}/visits/{vid}/dispose",
            {"disposition": "suspected", "diagnosed_at": "2020-02-03T12:00:00+08:00"},
            h,
        )
        assert r.status_code == 422 and "future" in r.content.decode()
        r = post(client, f"{API}/visits/{vid}/dispose", {"disposition": "suspected"}, h)
        assert r.status_code == 200
        case = Case.objects.get(visit_id=vid)
        r = client.get(f"{API}/cases/{case.pk}", **h)
        assert r.json()["clocks"][0]["state"] == "running"
        r = post(
            client,
            f"{API}/cases/{case.pk}/samples",
            {"code": "A-1", "sample_type": "throat_swab"},
            h,
        )
        sid = r.json()["id"]
        assert (
            post(
                client, f"{API}/samples/{sid}/result", {"result": "positive", "ct_orf1ab": "31"}, h
            ).status_code
            == 200
        )
        assert (
            client.get(f"{API}/cases/{case.pk}/proposal", **h).json()["r7"]["proposed"]
            == "confirmed"
        )
        r = post(
            client,
            f"{API}/cases/{case.pk}/classify",
            {"status": "confirmed", "severity": "severe"},
            h,
        )
        assert r.json()["status"] == "confirmed"
        r = post(
            client,
            f"{API}/cases/{case.pk}/transfers",
            {"to_facility_id": hospital.pk, "bed_kind": "icu"},
            h,
        )
        assert r.status_code == 201, r.content
        tid = r.json()["id"]
        icu = Ward.objects.get(facility=hospital, kind="icu")
        assert (
            post(client, f"{API}/transfers/{tid}/bed", {"ward_id": icu.pk}, w).json()["status"]
            == "bed_assigned"
        )
        assert (
            post(client, f"{API}/transfers/{tid}/depart", {"vehicle": "120-1"}, h).status_code
            == 200
        )
        assert post(client, f"{API}/transfers/{tid}/arrive", {}, w).json()["status"] == "arrived"
        r = post(client, f"{API}/cases/{case.pk}/discharge", {}, w)
        assert r.status_code == 422 and "R8" in r.content.decode()
        board = client.get(f"{API}/board", **auth(city_hq)).json()
        assert board["by_status"]["confirmed"] == 1 and board["beds"]["icu"]["free"] == 0
        assert board["needing_experts"] == 1
        assert len(client.get(f"{API}/cases/{case.pk}/history", **w).json()) == 2


def test_a_full_ward_and_an_unknown_lab_sample_are_refused(
    client, suspected, doctor, ward_doctor, hospital
):
    with clock.frozen(NOW):
        case = suspected()
        icu = Ward.objects.get(facility=hospital, kind="icu")
        other = suspected("孔明")
        from fangkong.clinical import care

        t = care.request_transfer(doctor, other, hospital, bed_kind="icu")
        care.assign_bed(ward_doctor, t, icu)
        t2 = care.request_transfer(doctor, case, hospital, bed_kind="icu")
        r = post(client, f"{API}/transfers/{t2.pk}/bed", {"ward_id": icu.pk}, auth(ward_doctor))
        assert r.status_code == 422 and "full" in r.content.decode()
        assert Transfer.objects.get(pk=t2.pk).bed is None
        from django.core.files.uploadedfile import SimpleUploadedFile

        f = SimpleUploadedFile("r.csv", b"sample_code,result\nZZZ,positive\n")
        r = client.post(f"{API}/lab-results", {"file": f}, **auth(doctor))
        assert r.status_code == 422 and "ZZZ" in r.content.decode()


def test_lists_are_scoped(client, suspected, zhuji_doctor, city_hq, hospital):
    with clock.frozen(NOW):
        case = suspected()
        assert client.get(f"{API}/cases", **auth(zhuji_doctor)).json()["items"] == []
        assert [c["id"] for c in client.get(f"{API}/cases", **auth(city_hq)).json()["items"]] == [
            case.pk
        ]
        names = [f["name"] for f in client.get(f"{API}/facilities", **auth(zhuji_doctor)).json()]
        assert hospital.name not in names
        assert client.get(f"{API}/visits", **auth(zhuji_doctor)).json()["items"] == []
        assert client.get(f"{API}/clusters", **auth(zhuji_doctor)).json()["items"] == []
