"""Settings of the self-service benchmark's server: the project's settings with an SMS
gateway that appends each code to a file, so the load generator (another process) reads
the codes as a resident reads their phone. Benchmark only; synthetic phone numbers."""

import os
import threading

from fangkong.settings import *  # noqa: F403

FANGKONG_SMS_GATEWAY = "_selfservice_settings.FileGateway"
_lock = threading.Lock()


class FileGateway:
    def send(self, phone: str, text: str) -> None:
        with _lock, open(os.environ["FANGKONG_BENCH_SMS_FILE"], "a", encoding="utf-8") as fh:
            fh.write(f"{phone}\t{text}\n")
