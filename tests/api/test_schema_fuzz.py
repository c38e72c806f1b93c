"""Schemathesis: the Foundation endpoints, fed generated input from their own OpenAPI
schema, never answer with a server error, and their 2xx bodies match the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from fangkong.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex=r"^/api/v1/(persons|jurisdictions|auth)"
)


@pytest.fixture
def in_process():
    """Calls go straight to the WSGI app, not through Django's test client: keep the test
    transaction's connection open across requests, as the test client does."""
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

    make_user("village_staff", "330602001004", username="fuzzer")
    raw, _token = issue_token(RequestFactory().post("/"), "fuzzer", "pw-for-tests-1")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=50, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, bearer):
    case.call_and_validate(headers=bearer, checks=[not_a_server_error, response_schema_conformance])
