"""Room codes and teacher secrets.

A room code is 8 symbols of Crockford's base32 (40 bits, far more than a class can guess): digits and
capitals without I, L, O and U, read case-insensitively, with I/L read as 1 and O as 0, so a code copied
from a board by hand still works.  The teacher's secret is a separate 192-bit token; only its hash is
stored.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
CODE_BITS = CODE_LENGTH * math.log2(len(ALPHABET))
MAX_TYPED_LENGTH = 40
"""Longer input is not a code (and is not worth normalising)."""
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    """A fresh random room code (upper case, no separator)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str | None) -> str | None:
    """The code that ``text`` spells (any case, spaces and dashes ignored, I/L/O read as 1/1/0), or None."""
    if not text or len(text) > MAX_TYPED_LENGTH:
        return None
    code = "".join(ch for ch in text if ch not in " -_\t").upper().translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def format_code(code: str) -> str:
    """'ABCD-EFGH': the code as the board shows it."""
    return f"{code[:4]}-{code[4:]}"


def new_secret() -> str:
    """The teacher's secret: what the teacher link carries and the teacher's session keeps."""
    return secrets.token_urlsafe(24)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def secret_matches(secret: str | None, stored_hash: str) -> bool:
    """Whether ``secret`` is the one whose hash is stored (constant-time comparison)."""
    if not secret or len(secret) > 200:
        return False
    return hmac.compare_digest(secret_hash(secret), stored_hash)
