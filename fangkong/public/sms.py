"""The SMS gateway lives in `fangkong.core.sms`; this name is kept for callers."""

from fangkong.core.sms import Gateway, Message, OutboxGateway, gateway

__all__ = ["Gateway", "Message", "OutboxGateway", "gateway"]
