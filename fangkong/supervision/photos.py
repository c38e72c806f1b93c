"""Evidence photos: decoded and re-encoded with Pillow so only a real image is stored,
as a JPEG without metadata (no EXIF location) and with a bounded size."""

import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from fangkong.core import security
from fangkong.core.access import invalid

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_EDGE = 1600  # long edge of the stored image
ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF", "BMP"}
QUALITY = 82


@dataclass
class Encoded:
    file: ContentFile
    width: int
    height: int
    size: int


def reencode(upload: Any) -> Encoded:
    """The stored form of an uploaded photo; ValidationError on anything else."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_UPLOAD_BYTES:
        raise invalid(
            "photo", _("The photo is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES >> 20}
        )
    if size == 0:
        raise invalid("photo", _("The photo is empty."))
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt = probe.format
            w, h = probe.size
            if fmt not in ACCEPTED:
                raise invalid("photo", _("Only JPEG, PNG or WebP photos are accepted."))
            security.check_pixels(w, h, "photo")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as img:
            img.load()
            rgb = img.convert("RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise invalid("photo", _("The file is not a readable image.")) from None
    rgb.thumbnail((MAX_EDGE, MAX_EDGE))
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=QUALITY, optimize=True)
    data = out.getvalue()
    return Encoded(ContentFile(data, name="photo.jpg"), rgb.width, rgb.height, len(data))
