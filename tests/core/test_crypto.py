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
