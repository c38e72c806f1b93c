"""Issue #15, item 3: every page reads the chain figures from one query (the dashboard
said 8 active chains where the chains page said 2: single cases counted as chains)."""

import datetime as dt

from django.urls import reverse

from fangkong.accounts.models import ApiToken
from fangkong.core import clock
from fangkong.tracing import actions
from fangkong.tracing.chains import build_chains
from fangkong.tracing.models import Chain

D = dt.date


def test_dashboard_chains_page_api_and_home_card_agree(db, cdc, index_case, frozen_on, client):
    frozen_on(D(2020, 3, 5))
    a = index_case(name="甲")
    b = index_case(name="乙", onset=D(2020, 3, 3), isolated=D(2020, 3, 4))
    for n in range(3):  # unlinked single cases: not chains
        index_case(name=f"单{n}", onset=D(2020, 3, 2), isolated=D(2020, 3, 3))
    actions.record_transmission(cdc, a, b, exposure_date=D(2020, 3, 1), setting="household")
    build_chains()
    assert Chain.objects.filter(active=True).count() == 4  # rows include the singles
    counts = Chain.objects.restrict(cdc, "view").counts()
    assert counts == {"chains": 1, "active": 1, "clusters": 1}
    client.force_login(cdc)
    dash = client.get(reverse("tracing:dashboard"))
    page = client.get(reverse("tracing:chains"))
    assert (dash.context["active_chains"], dash.context["clusters"]) == (1, 1)
    assert page.context["active"] == 1 and len(page.context["chains"]) == 1
    # the API counts the same (it once answered 401 here, and that was not noticed)
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=cdc, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=1)
    )
    api = client.get("/api/v1/tracing/chains", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200 and api.json()["count"] == 1
