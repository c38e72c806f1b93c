"""`make bench`: run every benchmark in this folder, one after another."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
failed = 0
for script in sorted(here.glob("*.py")):
    if script.name in {"run.py"} or script.name.startswith("_"):
        continue
    print(f"\n=== {script.name}", flush=True)
    failed += subprocess.call([sys.executable, str(script)], cwd=here) != 0
sys.exit(1 if failed else 0)
