"""Class codes, secret tokens, seat keys and the names people type: made, normalised and checked.

A class code is what a trainee reads off the board and types on a phone, so it uses only letters and
digits that cannot be mistaken for each other (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G) and is shown as
``ABC-DEF``; typing it in lower case, with spaces or without the dash all work. The tutor's token and
each device's id are long random secrets, stored only as SHA-256 hashes; seat keys, being short, as salted
PBKDF2 hashes (:mod:`roleplay.storage.seat_keys`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

from roleplay.session.roles import APP_SPEAKER, AUTO_RATER

#: Letters and digits that read unambiguously on a board and on a phone keyboard.
CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"

#: Characters in a class code (shown in two halves).
CODE_LENGTH = 6

#: Characters in a seat key (shown on the seat; typed to take the seat back on another device).
SEAT_KEY_LENGTH = 6

#: Longest name accepted in the lobby.
MAX_NAME = 30


class BadName(ValueError):
    """A name that cannot be used; the message says why, for the person typing it."""


def new_code() -> str:
    """A fresh random class code, normalised (``ACD3FH``); show it with :func:`show_code`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_seat_key() -> str:
    """A fresh random seat key."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(SEAT_KEY_LENGTH))


def show_code(code: str) -> str:
    """A normalised code as people read it: ``ACD-3FH``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(typed: str) -> str:
    """What was typed, as a comparable code: upper case, spaces and dashes dropped."""
    return re.sub(r"[\s\-_.]", "", typed or "").upper()[:32]


def new_token() -> str:
    """The tutor's secret token (URL-safe, 32 bytes of randomness)."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a token, device id or seat key is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_secret(secret: str, stored_digest: str) -> bool:
    """Whether ``secret`` hashes to ``stored_digest`` (compared in constant time)."""
    return hmac.compare_digest(digest(secret), stored_digest)


def clean_name(typed: str) -> str:
    """A name as typed in the lobby, tidied: control and format characters removed, spaces collapsed,
    NFC-normalised; raises :class:`BadName` when nothing usable is left or it is too long."""
    text = unicodedata.normalize("NFC", typed or "")
    text = "".join(ch if unicodedata.category(ch)[0] not in "CZ" or ch == " " else " " for ch in text)
    text = " ".join(text.split())
    if not text:
        raise BadName("Please type your name (a first name is enough).")
    if len(text) > MAX_NAME:
        raise BadName(f"Please use a shorter name (at most {MAX_NAME} characters).")
    if text.casefold() in {APP_SPEAKER, AUTO_RATER}:
        raise BadName(f"Please choose a name other than {text!r}.")
    return text
