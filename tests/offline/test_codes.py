"""The code a resident shows (the health-code page, reached from the self-service code's
result) is a signed token that a gate phone without a signal can check with the public
key alone, and it carries the colour the page shows."""

import base64
import json
import re

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from fangkong.core import clock
from fangkong.healthcode import actions as codes
from fangkong.healthcode import tokens
from tests.conftest import GRID_A, YUECHENG


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def shown_token(client, person) -> str:
    page = client.get(f"/healthcode/me/{tokens.personal_token(person.pk)}/")
    assert page.status_code == 200
    return re.search(r'data-token="([^"]+)"', page.content.decode()).group(1)


@pytest.mark.django_db
def test_the_code_on_the_resident_s_page_verifies_offline_with_its_colour(
    client, make_user, make_person
):
    green = make_person(name="林芳")
    red = make_person(name="赵磊")
    hq = make_user("county_hq", YUECHENG)
    codes.override_colour(hq, red, colour="red", reason="确诊病例的密切接触者")
    worker = make_user("grid_worker", GRID_A)
    client.force_login(worker)
    published = client.get("/api/v1/offline/gate-key").json()
    assert published["algorithm"] == "Ed25519"
    key = Ed25519PublicKey.from_public_bytes(unb64(published["public_key"]))
    client.logout()

    seconds = codes.rules_in_force(clock.today()).qr_seconds
    for person, colour in ((green, "green"), (red, "red")):
        token = shown_token(client, person)
        signed, signature = token.rsplit(".", 1)
        key.verify(unb64(signature), signed.encode())  # raises if not signed by the server
        payload = json.loads(unb64(signed.removeprefix("F1.")))
        assert payload["p"] == person.pk and payload["c"] == colour
        assert payload["e"] - payload["i"] == seconds
        assert "林芳" not in token and "赵磊" not in token

    # A red code repainted green does not verify, on the phone or on the server.
    token = shown_token(client, red)
    signed, signature = token.rsplit(".", 1)
    payload = json.loads(unb64(signed.removeprefix("F1.")))
    painted = (
        "F1."
        + base64.urlsafe_b64encode(
            json.dumps({**payload, "c": "green"}, separators=(",", ":")).encode()
        )
        .rstrip(b"=")
        .decode()
    )
    with pytest.raises(InvalidSignature):
        key.verify(unb64(signature), painted.encode())
    with pytest.raises(tokens.CodeError) as err:
        tokens.read_qr(painted + "." + signature, seconds)
    assert err.value.kind == "forged"


@pytest.mark.django_db
def test_the_self_service_result_leads_to_the_same_signed_code(client, make_person):
    person = make_person(name="孙丽")
    personal = tokens.personal_token(person.pk)
    result = client.get(f"/public/code/mine/{personal}/")
    assert result.status_code == 200
    assert f"/healthcode/me/{personal}/" in result.content.decode()
    token = shown_token(client, person)
    assert tokens.read_qr(token, 120) == person.pk
    assert tokens.read_qr_payload(token)["c"] == codes.colour_of(person.pk) == "green"
