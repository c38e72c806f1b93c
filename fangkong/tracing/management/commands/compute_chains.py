"""`fangkong compute-chains`: rebuild transmission chains and clusters from the edges."""

from django.core.management.base import BaseCommand

from fangkong.tracing.chains import build_chains


class Command(BaseCommand):
    help = "Rebuild the transmission chains and clusters from the stored transmissions."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        result = build_chains()
        self.stdout.write(f"chains: {result['chains']}, clusters: {result['clusters']}")
