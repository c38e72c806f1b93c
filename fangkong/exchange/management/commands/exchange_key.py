"""`fangkong exchange-key`: create this deployment's Ed25519 exchange key if missing and
print the city code and public key that partner cities register."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from fangkong.exchange import actions, signing


class Command(BaseCommand):
    help = "Print (creating if needed) this deployment's exchange public key and city code."

    def handle(self, *args: object, **options: object) -> None:
        created = signing.create_key()
        if created:
            self.stderr.write(f"created {signing.key_file()} (mode 600)")
        try:
            code = actions.own_code()
        except (ValidationError, DatabaseError):
            code = "(load the jurisdiction tree first)"
        self.stdout.write(f"city code: {code}")
        self.stdout.write(f"public key: {signing.public_key_b64()}")
