"""Schemathesis: every endpoint, fed generated input from its own OpenAPI schema,
never answers with a server error. The Foundation endpoints, called by a village
account, also have their 2xx bodies checked against the schema; every other endpoint
is called by the city headquarters, who may reach the most. Examples are derandomised,
so a run is reproducible; regressions it found live in test_fuzz_regressions.py."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from fangkong.wsgi import application

FOUNDATION = r"^/api/v1/(persons|jurisdictions|auth)"
everything = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema = everything.include(path_regex=FOUNDATION)
rest = everything.exclude(path_regex=FOUNDATION)


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


def bearer_for(make_user, role, code):
    from django.test import RequestFactory

    from fangkong.accounts.actions import issue_token

    make_user(role, code, username="fuzzer")
    raw, _token = issue_token(RequestFactory().post("/"), "fuzzer", "pw-for-tests-1")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def bearer(db, make_user, in_process):
    return bearer_for(make_user, "village_staff", "330602001004")


@pytest.fixture
def hq_bearer(db, make_user, in_process):
    return bearer_for(make_user, "city_hq", "3306")


@schema.parametrize()
@settings(max_examples=50, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, bearer):
    case.call_and_validate(headers=bearer, checks=[not_a_server_error, response_schema_conformance])


@rest.parametrize()
@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_anywhere(case, hq_bearer):
    case.call_and_validate(headers=hq_bearer, checks=[not_a_server_error])
