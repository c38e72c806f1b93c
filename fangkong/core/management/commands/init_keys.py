from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from fangkong.core.crypto import write_key_file


class Command(BaseCommand):
    help = "Create the personal-data key and the signing key files if missing (never overwrites)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        secret = Path(settings.VAR_DIR) / "keys" / "secret.key"
        if settings.SECRET_KEY.startswith("dev-only") and write_key_file(secret):
            self.stdout.write(f"Created {secret} (the key that signs sessions and links).")
        if settings.FANGKONG_DATA_KEY:
            self.stdout.write("FANGKONG_DATA_KEY is set; no key file needed.")
            return
        path = Path(settings.FANGKONG_DATA_KEY_FILE)
        if write_key_file(path):
            self.stdout.write(f"Created {path}. Back it up: without it the data cannot be read.")
        else:
            self.stdout.write(f"{path} exists; kept.")
