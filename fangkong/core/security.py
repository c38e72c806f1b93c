"""Secure by default (issue #16 item 6): keys checked at start, files under var/ private,
uploads capped in bytes and in pixels.

- Outside DEBUG and tests the app refuses to start without a real signing key
  (FANGKONG_SECRET_KEY or var/keys/secret.key) and a data key (FANGKONG_DATA_KEY or its
  key file): a known key would let anyone forge check-in and health-code links.
  `fangkong init-keys` (run by `make run`) creates both.
- The process umask makes every file it creates under var/ (keys, SQLite database,
  demo password list, media, uploads, logs) readable by its owner only.
- Pillow refuses pictures above FANGKONG_IMAGE_MAX_PIXELS before decoding them."""

import base64
import binascii
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

DEV_KEY_PREFIX = "dev-only"
# Commands that never touch personal data or signatures (set-up steps before the keys exist).
KEYLESS_COMMANDS = {
    "init_keys",
    "init-keys",
    "compilemessages",
    "rt",  # analytics over files the user gives; no personal data, no signature
    "makemessages",
    "help",
    "version",
    "--help",
    "--version",
}
PRIVATE_UMASK = 0o077


def _command() -> str:
    return sys.argv[1] if len(sys.argv) > 1 else ""


def key_problems() -> list[str]:
    """What is missing for a deployment: an empty list when both keys are real."""
    problems = []
    secret = settings.SECRET_KEY or ""
    if secret.startswith(DEV_KEY_PREFIX) or len(secret) < 32:
        problems.append(
            "no signing key: set FANGKONG_SECRET_KEY (at least 32 characters) or create "
            f"{Path(settings.VAR_DIR) / 'keys' / 'secret.key'}"
        )
    raw = settings.FANGKONG_DATA_KEY
    path = Path(settings.FANGKONG_DATA_KEY_FILE)
    if not raw and path.exists():
        raw = path.read_text().strip()
    try:
        valid = len(base64.b64decode(raw or "", validate=True)) == 32
    except (binascii.Error, ValueError):
        valid = False
    if not valid:
        problems.append(f"no data key: set FANGKONG_DATA_KEY (32 bytes, base64) or create {path}")
    return problems


def check_keys(force: bool = False) -> None:
    """Refuse to start outside DEBUG and tests without real keys (a clear error)."""
    if not force and (settings.DEBUG or getattr(settings, "TESTING", False)):
        return
    if not force and _command() in KEYLESS_COMMANDS:
        return
    problems = key_problems()
    if problems:
        raise ImproperlyConfigured(
            "Fangkong will not start on a known key: "
            + "; ".join(problems)
            + ". Run `fangkong init-keys` to create both key files (make run does), "
            "or set FANGKONG_DEBUG=1 for a throw-away development server."
        )


def private_files() -> None:
    """Files and folders this process creates are its owner's only (600/700); the var/
    folder and the files that were made before (keys, database, demo passwords) are
    narrowed to the owner too."""
    os.umask(PRIVATE_UMASK)
    var = Path(settings.VAR_DIR)
    if not var.is_dir() or var.stat().st_uid != os.getuid():
        return
    var.chmod(0o700)
    keys = var / "keys"
    if keys.is_dir():
        keys.chmod(0o700)
    for path in [*keys.glob("*.key"), *var.glob("*.sqlite3*"), var / "demo-accounts.txt"]:
        if path.is_file() and path.stat().st_uid == os.getuid():
            path.chmod(0o600)


def cap_image_pixels() -> None:
    from PIL import Image

    # Pillow warns above this and refuses above twice it; the uploads also check it.
    Image.MAX_IMAGE_PIXELS = settings.FANGKONG_IMAGE_MAX_PIXELS


def check_pixels(width: int, height: int, field: str) -> None:
    """A ValidationError on `field` for a picture with more pixels than allowed."""
    limit = settings.FANGKONG_IMAGE_MAX_PIXELS
    if width * height > limit:
        raise ValidationError(
            {
                field: [
                    _("The picture has too many pixels (at most %(mp)d megapixels).")
                    % {"mp": limit // 1_000_000}
                ]
            }
        )


class CapUploads:
    """Refuse a request body larger than FANGKONG_UPLOAD_MAX_BYTES (413) before it is
    read: Django caps form fields, not files."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.FANGKONG_UPLOAD_MAX_BYTES
        if length > limit:
            message = _("The upload is larger than %(mb)d MB.") % {"mb": limit >> 20}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
