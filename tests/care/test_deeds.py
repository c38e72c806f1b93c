"""Deeds: submission with photos (validated), review (return, resubmit, reject,
publish), the public pages (unpublished deeds invisible), the privacy check, and the
commendation linked to the deed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.care import actions
from fangkong.care.models import CareRules, Deed
from tests.care.conftest import image_bytes, upload
from tests.conftest import HUAYUAN

pytestmark = pytest.mark.django_db

TEXT = "他主动请缨到村口卡口值守，二十天来每天测温登记过往车辆和人员，从未缺岗。"


def submit(user, node, **extra):
    data = {"title": "坚守卡口二十天", "text": TEXT, "hero_name": "李明", **extra}
    return actions.submit_deed(user, node, **data)


def test_review_return_resubmit_publish_and_public_pages(client, staff, org):
    deed = submit(staff, staff.node, photos=[upload()])
    photo = deed.photos.get()
    assert photo.content_type == "image/png" and (photo.width, photo.height) == (40, 30)
    # Unpublished: invisible on the public side (list, page, photo, API).
    assert TEXT[:10] not in client.get("/public/care/deeds/").content.decode()
    assert client.get(f"/public/care/deeds/{deed.pk}/").status_code == 404
    assert client.get(f"/public/care/deeds/{deed.pk}/photos/{photo.pk}/").status_code == 404
    assert client.get("/api/v1/care/open/deeds").json() == []
    assert client.get(f"/api/v1/care/open/deeds/{deed.pk}").status_code == 404
    # Staff of the area see the photo through the checked view.
    client.force_login(staff)
    r = client.get(f"/care/deeds/{deed.pk}/photos/{photo.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert b"".join(r.streaming_content).startswith(b"\x89PNG")
    client.logout()

    with pytest.raises(ValidationError) as exc:
        actions.review_deed(org, deed, "return", "")
    assert "reason" in exc.value.message_dict
    actions.review_deed(org, deed, "return", "请补充具体时间")
    assert deed.status == "returned" and deed.review_reason == "请补充具体时间"
    with pytest.raises(ValidationError):
        actions.review_deed(org, deed, "publish")  # returned: must be resubmitted first
    actions.edit_deed(
        staff, deed, title="坚守卡口二十天", text=TEXT + "（2020年2月）", hero_name="李明"
    )
    assert deed.status == "submitted"
    with pytest.raises(PermissionDenied):
        actions.review_deed(staff, deed, "publish")  # village staff do not review
    actions.review_deed(org, deed, "publish")
    assert deed.status == "published" and deed.published_at is not None

    # The cached city page was dropped by the publication.
    assert "坚守卡口二十天" in client.get("/public/care/deeds/").content.decode()
    page = client.get(f"/public/care/deeds/?area={HUAYUAN[:6]}").content.decode()
    assert "坚守卡口二十天" in page
    assert client.get(f"/public/care/deeds/{deed.pk}/").status_code == 200
    r = client.get(f"/public/care/deeds/{deed.pk}/photos/{photo.pk}/")
    assert r.status_code == 200 and r["Cache-Control"].startswith("public")
    listed = client.get("/api/v1/care/open/deeds?area=330602").json()
    assert [d["id"] for d in listed] == [deed.pk] and listed[0]["photo_urls"]
    assert client.get("/api/v1/care/open/deeds?area=330681").json() == []
    with pytest.raises(ValidationError):
        actions.edit_deed(staff, deed, title="x", text=TEXT, hero_name="李明")


def test_rejected_deed_stays_off_the_public_side(client, staff, org):
    deed = submit(staff, staff.node)
    actions.review_deed(org, deed, "reject", "与防控工作无关")
    assert deed.status == "rejected"
    assert client.get(f"/public/care/deeds/{deed.pk}/").status_code == 404


def test_privacy_check_refuses_an_id_number_or_a_phone(staff):
    for bad in ("身份证号330602199001011234", "联系电话13912345678"):
        with pytest.raises(ValidationError) as exc:
            submit(staff, staff.node, text=TEXT + bad)
        assert "text" in exc.value.message_dict
    assert not Deed.objects.exists()


def test_photo_validation_refuses_wrong_type_and_size(staff):
    deed = submit(staff, staff.node)
    for bad in (
        upload("fake.png", b"not an image at all"),
        upload("doc.png", b"%PDF-1.4 fake", "application/pdf"),
        upload("anim.gif", image_bytes("GIF"), "image/gif"),
    ):
        with pytest.raises(ValidationError) as exc:
            actions.add_photos(staff, deed, [bad])
        assert "photos" in exc.value.message_dict
    CareRules.objects.create(effective_from=dt.date(2000, 1, 1), photo_max_kb=1, photos_per_deed=2)
    CareRules.objects.filter(effective_from__gt=dt.date(2000, 1, 1)).delete()
    big = upload("big.png", image_bytes("PNG", (400, 400)) + b"\0" * 2048)
    with pytest.raises(ValidationError):
        actions.add_photos(staff, deed, [big])
    with pytest.raises(ValidationError):
        actions.add_photos(staff, deed, [upload(), upload(), upload()])
    assert actions.add_photos(staff, deed, [upload("x.jpg", image_bytes("JPEG"), "image/jpeg")])
    assert deed.photos.get().content_type == "image/jpeg"


def test_commendation_is_recorded_by_supervision_and_linked(staff, org, make_member):
    from fangkong.supervision.models import Commendation

    member = make_member()
    deed = submit(staff, staff.node, member=member)
    with pytest.raises(ValidationError):  # not published yet
        actions.commend_deed(
            org,
            deed,
            title="先进个人",
            reason="坚守卡口",
            decided_by="organisation_department",
            decided_on=dt.date(2020, 2, 20),
        )
    actions.review_deed(org, deed, "publish")
    actions.commend_deed(
        org,
        deed,
        title="抗疫先进个人",
        reason="坚守卡口二十天",
        decided_by="organisation_department",
        decided_on=dt.date(2020, 2, 20),
    )
    c = Commendation.objects.get()
    assert deed.commendation == c and c.member == member and c.title == "抗疫先进个人"
    assert list(c.deeds.all()) == [deed]
    with pytest.raises(ValidationError):
        actions.commend_deed(
            org,
            deed,
            title="再次",
            reason="重复",
            decided_by="organisation_department",
            decided_on=dt.date(2020, 2, 20),
        )


def test_an_organisation_is_commended_through_the_page(client, staff, org, make_org):
    organisation = make_org()
    deed = submit(staff, staff.node, organisation=organisation, hero_name=organisation.name)
    actions.review_deed(org, deed, "publish")
    client.force_login(org)
    r = client.post(
        f"/care/deeds/{deed.pk}/",
        {
            "verb": "commend",
            "title": "先进基层党组织",
            "reason": "分片包干排查",
            "decided_by": "organisation_department",
            "decided_on": "2020-02-20",
        },
    )
    assert r.status_code == 302
    deed.refresh_from_db()
    assert deed.commendation.organisation == organisation


def test_deed_submitted_through_the_page_with_photos(client, staff):
    client.force_login(staff)
    r = client.post(
        "/care/deeds/",
        {
            "title": "深夜送药",
            "text": TEXT,
            "hero_name": "张华",
            "node_code": HUAYUAN,
            "photos": [upload(), upload("b.png")],
        },
    )
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    deed = Deed.objects.get()
    assert deed.photos.count() == 2 and deed.submitted_by == staff
    r = client.post(
        "/care/deeds/",
        {
            "title": "坏照片",
            "text": TEXT,
            "hero_name": "张华",
            "node_code": HUAYUAN,
            "photos": [upload("x.png", b"junk")],
        },
    )
    assert r.status_code == 200 and Deed.objects.count() == 1


def test_photo_metadata_is_stripped(staff):
    import io

    from PIL import Image

    img = Image.new("RGB", (60, 40), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (30.0, 0.0, 0.0), 4: (120.0, 0.0, 0.0)}  # GPS position
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    assert b"PhoneMaker" in buf.getvalue()
    deed = submit(staff, staff.node, photos=[upload("g.jpg", buf.getvalue(), "image/jpeg")])
    photo = deed.photos.get()
    stored = photo.image.open("rb").read()
    assert b"PhoneMaker" not in stored and photo.size == len(stored)
    with Image.open(io.BytesIO(stored)) as again:
        assert again.size == (60, 40) and not again.getexif()


def test_deed_form_picks_member_and_organisation_by_name(client, staff, make_member, make_org):
    """No member or organisation number is typed: two members of one name are offered
    with their masked phones, and the deed is recorded only once one is chosen."""
    first = make_member(name="李明", phone="13700000001")
    second = make_member(name="李明", phone="13700000002")
    branch = make_org()
    client.force_login(staff)
    form = {"title": "坚守卡口二十天", "text": TEXT, "hero_name": "李明", "node_code": HUAYUAN}
    page = client.post("/care/deeds/", {**form, "member": "李明", "organisation": "华园"})
    text = page.content.decode()
    assert page.status_code == 200 and not Deed.objects.exists()
    assert first.phone_masked in text and second.phone_masked in text
    assert f'value="#{second.pk}"' in text
    done = client.post("/care/deeds/", {**form, "member": f"#{second.pk}", "organisation": "华园"})
    assert done.status_code == 302
    deed = Deed.objects.get()
    assert deed.member == second and deed.organisation == branch
