"""One way to report a case (R9): the report card exported and acknowledged. The clinical
report endpoint, action and button are gone; every reader of "reported within 2 hours"
(clinical API and board, the briefing, the clocks) follows the acknowledgement; the demo
reports its cases the same way."""

import datetime as dt

import pytest

from fangkong.clinical.actions import cases, visits
from fangkong.core import clock
from tests.clinical.conftest import FEVERISH, TZ
from tests.clinical.test_api import auth
from tests.reportcards import report_by_card

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2020, 2, 3, 9, 0, tzinfo=TZ)


@pytest.fixture
def suspected_at(doctor, clinic, make_person):
    def make(name: str, when: dt.datetime):
        with clock.frozen(when):
            visit = visits.register_visit(doctor, clinic, person=make_person(name), **FEVERISH)
            visits.dispose(doctor, visit, "suspected")
            visit.refresh_from_db()
            return visit.case

    return make


def test_the_clinical_report_doors_are_gone(client, suspected_at, doctor):
    case = suspected_at("孙丽", T0)
    assert not hasattr(cases, "mark_reported")
    with clock.frozen(T0 + dt.timedelta(minutes=30)):
        api = client.post(
            f"/api/v1/clinical/cases/{case.pk}/report",
            {},
            content_type="application/json",
            **auth(doctor),
        )
        client.force_login(doctor)
        page = client.post(f"/clinical/cases/{case.pk}/report/")
        shown = client.get(f"/clinical/cases/{case.pk}/").content.decode()
    assert api.status_code in (404, 405) and page.status_code in (403, 404)
    case.refresh_from_db()
    assert case.reported_at is None
    assert f"/clinical/cases/{case.pk}/report/" not in shown
    assert 'href="/exchange/cards/"' in shown  # the way to report is the card


def test_every_reader_of_the_two_hour_clock_follows_the_acknowledgement(
    client, suspected_at, doctor
):
    from fangkong.briefing import sections
    from fangkong.clinical import boards, rules
    from fangkong.clinical.models import Case
    from fangkong.exchange.models import ReportCard

    late = suspected_at("孙丽", T0)
    on_time = suspected_at("钱明", T0 + dt.timedelta(minutes=20))
    h = auth(doctor)
    noon = T0 + dt.timedelta(hours=3)

    def overdue_now() -> tuple[set[int], set[int], int]:
        listed = client.get("/api/v1/clinical/cases?overdue=report", **h).json()["items"]
        board = boards.board(doctor)["overdue"]["report"]
        counts, _rows = sections.cases("3306/", clock.now() - dt.timedelta(days=1), clock.now())
        return {c["id"] for c in listed}, {c.pk for c in board}, counts["overdue"]["report"]

    with clock.frozen(T0 + dt.timedelta(minutes=50)):
        report_by_card(doctor, on_time)  # within 2 h
    with clock.frozen(noon):
        assert overdue_now() == ({late.pk}, {late.pk}, 1)
        resp = client.get(f"/api/v1/exchange/cards/export?format=csv&case={late.pk}", **h)
        assert resp.status_code == 200
        number = ReportCard.objects.get(case=late).number
    acknowledged = noon + dt.timedelta(minutes=10)
    with clock.frozen(acknowledged + dt.timedelta(minutes=5)):
        r = client.post(
            "/api/v1/exchange/cards/acknowledge",
            {
                "card_number": number,
                "version": 1,
                "national_id": "4290311",
                "acknowledged_at": acknowledged.isoformat(),
            },
            content_type="application/json",
            **h,
        )
        assert r.status_code == 200, r.content
        assert overdue_now() == (set(), set(), 0)
        late.refresh_from_db()
        on_time.refresh_from_db()
        # The reported time is the acknowledgement's, not the export's nor the request's.
        assert late.reported_at == acknowledged
        assert on_time.reported_at == T0 + dt.timedelta(minutes=50)
        assert rules.clock_state(late.report_due, late.reported_at, clock.now()) == "late"
        assert rules.clock_state(on_time.report_due, on_time.reported_at, clock.now()) == "met"
        listed = {
            c["case_id"]: c for c in client.get("/api/v1/exchange/cards", **h).json()["items"]
        }
        assert dt.datetime.fromisoformat(listed[late.pk]["reported_at"]) == acknowledged
    assert Case.objects.filter(reported_at__isnull=False).count() == 2


def test_the_demo_reports_through_report_cards(make_user, make_person):
    """Every reported case of the clinical demo has an acknowledged card version of its
    current class at its reported time; the cases left unreported on purpose are not."""
    from fangkong.clinical import demo
    from fangkong.clinical.models import Case
    from fangkong.exchange.models import CardVersion

    make_user("medical", "330602")
    for i in range(20):
        make_person(f"演示{i}")
    demo.run(7)
    reported = list(Case.objects.filter(reported_at__isnull=False))
    assert len(reported) >= 5
    for case in reported:
        version = CardVersion.objects.get(card__case=case, acknowledged_at=case.reported_at)
        # An excluded case was reported while suspected (its deletion is still to send).
        reported_class = "suspected" if case.status == "excluded" else case.status
        assert version.status == reported_class and version.national_id
    # The suspected cases of the last hours are still waiting for their report.
    waiting = Case.objects.filter(status="suspected", reported_at__isnull=True)
    assert waiting.filter(report_due__lt=clock.now()).count() == 1
    assert waiting.filter(report_due__gte=clock.now()).count() == 1
    assert not CardVersion.objects.filter(card__case__in=waiting).exists()
