"""How a class seat key is stored (schema version 7): hashed, never as typed, plus a copy sealed for the
one device that holds the seat.

A seat key is short (six characters people can type off a phone), so a plain SHA-256 of it could be
undone by trying every key: it is stored as a salted PBKDF2 hash, slow enough that trying all keys of a
copied database takes days, and checked in constant time. The device holding the seat must still be able
to show the key again after a reload, so the class log also keeps the key XOR-ed with a pad only that
device can make (an HMAC keyed by its secret device id, of which the store keeps only a SHA-256): anyone
else reading the database learns nothing from the sealed copy. Version 7 rewrites the seat keys that
earlier versions kept as typed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from typing import Any

#: PBKDF2-SHA256 iterations for a seat key's hash (about 45 ms on a classroom laptop; a join is rare).
ROUNDS = 100_000

_SCHEME = "pbkdf2-sha256"
_PAD_LABEL = b"roleplay seat key seal"
_KEY_RE = re.compile(r"^[A-Z0-9]{1,32}$")


def hash_seat_key(key: str, *, rounds: int = ROUNDS) -> str:
    """The stored form of a (normalised) seat key: ``pbkdf2-sha256$ROUNDS$SALT$HASH``, salted afresh."""
    salt = secrets.token_bytes(16)
    derived = hashlib.pbkdf2_hmac("sha256", key.encode("utf-8"), salt, rounds)
    return f"{_SCHEME}${rounds}${salt.hex()}${derived.hex()}"


def seat_key_matches(key: str, stored: str) -> bool:
    """Whether the (normalised) ``key`` is the one ``stored`` was made from (constant-time compare)."""
    try:
        scheme, rounds, salt, want = stored.split("$")
        if scheme != _SCHEME or not 1 <= int(rounds) <= 10 * ROUNDS:
            return False
        got = hashlib.pbkdf2_hmac("sha256", key.encode("utf-8"), bytes.fromhex(salt), int(rounds))
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), want)


def _pad(device_id: str) -> bytes:
    return hmac.new(device_id.encode("utf-8"), _PAD_LABEL, hashlib.sha256).digest()


def seal_seat_key(key: str, device_id: str) -> str:
    """The key as only the device with ``device_id`` can read it back (hex); keys are at most 32 bytes."""
    data = key.encode("utf-8")[:32]
    return bytes(a ^ b for a, b in zip(data, _pad(device_id), strict=False)).hex()


def unseal_seat_key(sealed: str, device_id: str) -> str | None:
    """The key sealed for this device, or None (no sealed copy, or it was sealed for another device)."""
    try:
        data = bytes.fromhex(sealed)
    except ValueError:
        return None
    if not data:
        return None
    key = bytes(a ^ b for a, b in zip(data, _pad(device_id), strict=False))
    text = key.decode("latin-1")
    return text if _KEY_RE.match(text) else None


def to_v7(db: Any) -> None:
    """Version 7: class seat keys stored hashed (salted PBKDF2), no longer as typed.

    ``db`` is a SQLite connection or a PostgreSQL cursor: both take ``execute`` and return rows from
    ``fetchall``; the placeholders differ, so each row is rewritten with the one its driver wants.
    """
    mark = "?" if type(db).__module__.startswith("sqlite3") else "%s"
    rows = db.execute("SELECT class_id, seq, data FROM class_events WHERE type = 'member_joined'").fetchall()
    for class_id, seq, text in rows:
        data = json.loads(text)
        plain = data.pop("seat_key", None)
        if plain is None:
            continue
        data["seat_key_hash"] = hash_seat_key(str(plain))
        db.execute(f"UPDATE class_events SET data = {mark} WHERE class_id = {mark} AND seq = {mark}",
                   (json.dumps(data), class_id, seq))
