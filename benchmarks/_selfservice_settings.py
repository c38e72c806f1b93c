"""Settings of the self-service benchmark's server: the project's settings with an SMS
backend that, beside the outbox every deployment keeps, appends each message to a file,
so the load generator (another process) reads the codes as a resident reads their phone.
Benchmark only; synthetic phone numbers."""

import os
import threading

from fangkong.notify.sms import Answer, OutboxBackend, SmsMessage
from fangkong.settings import *  # noqa: F403

# behind one proxy, as a deployment is: the client's address is the one it forwards
FANGKONG_PROXY_HOPS = 1
FANGKONG_SMS_BACKEND = "_selfservice_settings.FileBackend"
_lock = threading.Lock()


class FileBackend(OutboxBackend):
    def send(self, message: SmsMessage) -> Answer:
        answer = super().send(message)
        with _lock, open(os.environ["FANGKONG_BENCH_SMS_FILE"], "a", encoding="utf-8") as fh:
            fh.write(f"{message.phone}\t{message.text}\n")
        return answer
