import time

from django.core.management.base import BaseCommand

from fangkong.core import demo_steps
from fangkong.geo.demo import tree


class Command(BaseCommand):
    help = "Build the demo: Shaoxing's tree, 3–8 grids per village, a synthetic population and demo accounts."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--persons", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--force", action="store_true", help="add persons even if some exist")
        parser.add_argument(
            "--core-only", action="store_true", help="tree, accounts and persons; no app demo steps"
        )

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        options = demo_steps.Options(
            persons=opts["persons"], seed=opts["seed"], force=opts["force"]
        )
        # the foundation: the tree and its grids (geo, below core), then the parts the
        # apps above register (accounts, people)
        tree(options.seed, self.stdout.write)
        for _name, ground in demo_steps.ground_steps():
            ground(options, self.stdout.write)
        for name, step in [] if opts["core_only"] else demo_steps.steps():
            self.stdout.write(f"{name}: {step(opts['seed'])}")
        self.stdout.write(f"demo ready in {time.monotonic() - started:.1f} s")
