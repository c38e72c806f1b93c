"""Inputs that cannot crash (issue #16 item 7): deeply nested JSON, lone surrogates and
random bytes to an upload answer 4xx naming the field, never 500."""

import datetime as dt
import os
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fangkong.core import clock
from tests.conftest import YUECHENG

pytestmark = pytest.mark.django_db


@pytest.fixture
def h(make_user):
    from fangkong.accounts.models import ApiToken

    user = make_user("county_hq", YUECHENG)
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=1)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("levels", [40, 5000, 200_000])
def test_deeply_nested_json_is_refused(client, h, levels):
    body = '{"name": ' + "[" * levels + "]" * levels + "}"
    r = client.post("/api/v1/tracing/venues", body, content_type="application/json", **h)
    assert r.status_code == 422, r.status_code
    assert r.json()["detail"][0]["loc"] == ["body"] and "32" in str(r.json())


def test_a_lone_surrogate_is_refused_with_its_field(client, h):
    body = '{"name": "\\ud800东门", "kind": "gate", "node_code": "330602"}'
    r = client.post("/api/v1/tracing/venues", body, content_type="application/json", **h)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "name"]


def test_a_lone_surrogate_in_a_key_is_refused(client, h):
    body = '{"\\udfff": 1, "name": "x", "kind": "gate", "node_code": "330602"}'
    r = client.post("/api/v1/tracing/venues", body, content_type="application/json", **h)
    assert r.status_code == 422


@pytest.mark.parametrize("name", ["results.xlsx", "results.csv", "results.xls"])
def test_random_bytes_to_the_lab_result_upload(client, make_user, name):
    from fangkong.accounts.models import ApiToken

    user = make_user("cdc", "3306")
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=1)
    )
    junk = os.urandom(4096).replace(b"\x00", b"\x01") if name.endswith("xlsx") else os.urandom(4096)
    if name.endswith(".csv"):
        junk = b"sample_code,result\n\x00" + junk[:100]  # valid UTF-8 is unlikely; NUL if so
        junk = junk.decode("latin-1").encode("utf-8")
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(
        "/api/v1/clinical/lab-results",
        {"file": SimpleUploadedFile(name, junk)},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert r.status_code in (400, 422), (r.status_code, r.content[:300])
    assert "file" in r.text


def test_a_nul_byte_in_a_lab_csv_is_refused_naming_the_file(client, make_user):
    from django.core.exceptions import ValidationError

    from fangkong.clinical.labimport import read_rows

    with pytest.raises(ValidationError) as caught:
        read_rows("results.csv", "sample_code,result\nS1\x00,阳性\n".encode())
    assert "file" in caught.value.message_dict


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": [1, 2.5, "\\u4e1c", null, true, {"b": -9223372036854775807}]}',
        b'{"a": NaN}',  # orjson refuses what json reads leniently: json's answer stands
        b'{"a": 1e400}',
        b'{"a": "\\ud800"}',
    ],
)
def test_a_body_decodes_as_the_standard_library_decodes_it(body):
    import json
    import math

    from fangkong.core.middleware import decode

    got, want = decode(body), json.loads(body)
    value = got["a"]
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(want["a"])
    else:
        assert got == want


def test_an_integer_beyond_64_bits_is_refused_whatever_the_decoder(client, h):
    """orjson reads 2**64 as a float; such a body never reaches it (`suspect`)."""
    for number in (2**63, 2**64, 10**30, -(2**63) - 1):
        body = '{"name": "x", "kind": "gate", "node_code": "330602", "n": %d}' % number
        r = client.post("/api/v1/tracing/venues", body, content_type="application/json", **h)
        assert r.status_code == 422, (number, r.content)
        assert r.json()["detail"][0]["loc"] == ["body", "n"]


def test_a_body_that_is_not_json_is_a_400_saying_where(client, h):
    r = client.post(
        "/api/v1/tracing/venues",
        '{"name": "x",\n "kind": }',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **h,
    )
    assert r.status_code == 400
    assert r.json()["detail"] == "the request body is not valid JSON (line 2, column 10)"


OLD_SUSPECT = re.compile(rb"\\u0000|\\u[dD][89abcdefABCDEF]|\d{19}|\xed[\xa0-\xbf]")


@given(
    st.binary(max_size=80) | st.text("0123456789{[\\uDd8f0 \xed\xa0", max_size=80).map(str.encode)
)
def test_the_fast_suspect_scan_is_the_one_regex(body):
    """`suspect` (a substring test, a regex for escapes, a translated copy for digits)
    says what the one regex it replaced said, for any bytes."""
    from fangkong.core.middleware import suspect

    old = body[:1] not in (b"{", b"[") or OLD_SUSPECT.search(body) is not None
    assert suspect(body) == old


json_values = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=30,
)


@given(json_values)
def test_the_level_by_level_depth_is_the_depth(value):
    from fangkong.core.middleware import containers_depth, depth

    assert containers_depth(value) == depth(value)
