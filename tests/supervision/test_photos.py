"""Evidence photos: re-encoded with Pillow, size and type validated, served only
through a permission-checked view."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fangkong.supervision import actions, photos


def png(w=800, h=600, name="p.png"):
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 30, 30)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_photo_is_reencoded_as_bounded_jpeg(inspector, schedule):
    insp = schedule("open")
    f = actions.add_finding(inspector, insp, description="x")
    p = actions.add_photo(inspector, f, png(4000, 3000))
    assert max(p.width, p.height) == photos.MAX_EDGE
    with p.image.open("rb") as fh:
        assert Image.open(fh).format == "JPEG"


def test_not_an_image_is_refused(inspector, schedule):
    insp = schedule("open")
    f = actions.add_finding(inspector, insp, description="x")
    fake = SimpleUploadedFile("evil.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as e:
        actions.add_photo(inspector, f, fake)
    assert "photo" in e.value.message_dict


def test_too_large_is_refused(inspector, schedule, monkeypatch):
    monkeypatch.setattr(photos, "MAX_UPLOAD_BYTES", 100)
    insp = schedule("open")
    f = actions.add_finding(inspector, insp, description="x")
    with pytest.raises(ValidationError) as e:
        actions.add_photo(inspector, f, png())
    assert "larger" in str(e.value)


def test_empty_file_is_refused(inspector, schedule):
    insp = schedule("open")
    f = actions.add_finding(inspector, insp, description="x")
    with pytest.raises(ValidationError):
        actions.add_photo(inspector, f, SimpleUploadedFile("e.png", b"", content_type="image/png"))


def test_photo_served_only_in_scope(inspector, schedule, client, zhuji_discipline, village_staff):
    insp = schedule("open")
    f = actions.add_finding(inspector, insp, description="x")
    p = actions.add_photo(inspector, f, png())
    client.force_login(village_staff)
    r = client.get(f"/supervision/photos/{p.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    client.force_login(zhuji_discipline)
    assert client.get(f"/supervision/photos/{p.pk}/").status_code == 404


def test_api_upload_validates(inspector, schedule, client, auth):
    insp = schedule("open")
    f = actions.add_finding(inspector, insp, description="x")
    h = auth(inspector)
    bad = SimpleUploadedFile("x.png", b"nope", content_type="image/png")
    r = client.post(f"/api/v1/supervision/findings/{f.pk}/photos", {"photo": bad}, **h)
    assert r.status_code == 422 and "photo" in str(r.json())
    r = client.post(f"/api/v1/supervision/findings/{f.pk}/photos", {"photo": png()}, **h)
    assert r.status_code == 201
    got = client.get(f"/api/v1/supervision/photos/{r.json()['id']}", **h)
    assert got.status_code == 200
