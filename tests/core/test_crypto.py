import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured

from fangkong.core import crypto


def test_round_trip_and_fresh_nonce():
    a = crypto.encrypt("330602195003081234", "person.id_number")
    b = crypto.encrypt("330602195003081234", "person.id_number")
    assert a != b
    assert crypto.decrypt(a, "person.id_number") == "330602195003081234"
    assert b"330602" not in a


def test_ciphertext_is_bound_to_its_field():
    token = crypto.encrypt("13812345678", "person.phone")
    with pytest.raises(InvalidTag):
        crypto.decrypt(token, "person.id_number")


def test_blind_index_is_stable_keyed_and_field_separated(settings):
    one = crypto.blind_index("13812345678", "person.phone")
    assert one == crypto.blind_index("13812345678", "person.phone")
    assert one != crypto.blind_index("13812345678", "person.id_number")
    assert len(one) == 32
    settings.FANGKONG_DATA_KEY = crypto.generate_master_key()
    crypto.reset_keys()
    try:
        assert crypto.blind_index("13812345678", "person.phone") != one
    finally:
        crypto.reset_keys()


def test_blind_index_is_the_hmac_of_field_and_value_under_the_derived_key(settings):
    """Stored indexes must keep matching: HMAC-SHA256 of `field NUL value` under the
    HKDF-derived index key, cut to 128 bits, whichever way it is computed."""
    import base64
    import hmac

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    master = bytes(range(32))
    settings.FANGKONG_DATA_KEY = base64.b64encode(master).decode()
    crypto.reset_keys()
    try:
        key = HKDF(hashes.SHA256(), 32, None, b"fangkong/blind-index/v1").derive(master)
        for field, value in [("person.phone", "13812345678"), ("person.id_number", "")]:
            digest = hmac.digest(key, f"{field}\x00{value}".encode(), "sha256")
            assert crypto.blind_index(value, field) == digest.hex()[:32]
            assert crypto.blind_index(value, field) == digest.hex()[:32]  # state reused
    finally:
        crypto.reset_keys()


def test_missing_key_is_a_clear_error(settings, tmp_path):
    settings.FANGKONG_DATA_KEY = ""
    settings.FANGKONG_DATA_KEY_FILE = str(tmp_path / "absent.key")
    crypto.reset_keys()
    try:
        with pytest.raises(ImproperlyConfigured, match="init-keys"):
            crypto.encrypt("x", "f")
    finally:
        crypto.reset_keys()


def test_key_file_is_created_once_private(settings, tmp_path):
    path = tmp_path / "keys" / "data.key"
    assert crypto.write_key_file(path)
    assert not crypto.write_key_file(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    settings.FANGKONG_DATA_KEY = ""
    settings.FANGKONG_DATA_KEY_FILE = str(path)
    crypto.reset_keys()
    try:
        assert crypto.decrypt(crypto.encrypt("v", "f"), "f") == "v"
    finally:
        crypto.reset_keys()
