"""Text that officials read later is stored in the deployment's language, whoever's
request wrote it (core.language.stored): a resident whose phone asks for English reports
a fever through their link; the health code's reasons the grid worker then reads are
Chinese, while the resident's own answers stay in the resident's language."""

import datetime as dt

import pytest
from django.utils import translation

from fangkong.core import clock
from fangkong.healthcode import actions as codes
from fangkong.healthcode.models import HealthCode
from fangkong.observation import links
from tests.observation.conftest import at, cid

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2020, 2, 10)


def test_reasons_written_in_an_english_request_are_stored_in_chinese(client, start):
    with clock.frozen(at(DAY0, 9)):
        period = start(last_exposure=DAY0)
    token = links.make_token(period)
    url = f"/api/v1/observation/self/{token}/checkins"
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 8)):
        r = client.post(
            url,
            {"client_id": cid(), "temperature": "38.4"},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert r.status_code == 201 and r["Content-Language"] == "en"
        # the resident's own refusal is in English, as asked
        bad = client.post(
            url,
            {"client_id": cid(), "temperature": "50"},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert bad.status_code == 422 and "between" in bad.text
    reasons = HealthCode.objects.get(person_id=period.person_id).reasons
    assert any("报告发热或症状" in r for r in reasons), reasons
    assert not any("fever" in r or "observation" in r for r in reasons), reasons


def test_a_recomputation_in_any_active_language_stores_chinese(start):
    with clock.frozen(at(DAY0, 9)):
        period = start(last_exposure=DAY0)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                codes.recompute_persons([period.person_id])
            assert HealthCode.objects.get(person_id=period.person_id).reasons == ["医学观察中"]
