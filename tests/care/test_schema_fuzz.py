"""Schemathesis over the care endpoints: generated input never gives a server error
and 2xx bodies match the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from fangkong.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex=r"^/api/v1/care/"
)


@pytest.fixture
def in_process():
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db, make_user, in_process):
    from django.test import RequestFactory

    from fangkong.accounts.actions import issue_token

    make_user("organisation", "330602", username="carefuzzer")
    raw, _token = issue_token(RequestFactory().post("/"), "carefuzzer", "pw-for-tests-1")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, bearer):
    case.call_and_validate(headers=bearer, checks=[not_a_server_error, response_schema_conformance])
