"""schemathesis hooks: the formats our OpenAPI document uses beyond JSON Schema's own."""
import hashlib

import schemathesis
from hypothesis import strategies as st

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check(payload: bytes) -> str:
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, rest = divmod(number, 58)
        text = ALPHABET[rest] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


# A TRON address: 0x41 and 20 bytes, Base58Check-encoded (T…, 34 characters).
schemathesis.openapi.format(
    "tron-address",
    st.binary(min_size=20, max_size=20).map(lambda body: base58check(b"\x41" + body)),
)
