"""Reviewer accounts for `claimtrace serve` beyond loopback: names with scrypt-hashed passwords in a
JSON file kept outside the annotations folder (which is shared, often in git), written atomically
with mode 0600. Each record carries its algorithm, parameters and salt, so that the parameters can
change without breaking the accounts already made."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from pathlib import Path

from pipeline.atomic import exclusive, write_atomic
from pipeline.errors import ClaimtraceError

FORMAT = "claimtrace reviewers 1"
SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1}  # 32 MiB of memory per hash (OWASP: N >= 2^15 with r=8)
KEY_BYTES = 32
MIN_PASSWORD = 8


class AccountsError(ClaimtraceError):
    """The accounts file cannot be used, or a name or password is refused."""


def default_path() -> Path:
    """~/.config/claimtrace/reviewers.json ($XDG_CONFIG_HOME instead of ~/.config when set)."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "claimtrace" / "reviewers.json"


def check_outside(path: Path, annotations: Path) -> None:
    """Refuse an accounts file inside the annotations folder (shared with the team, often in git)."""
    inside = path.expanduser().resolve()
    folder = annotations.expanduser().resolve()
    if inside == folder or folder in inside.parents:
        raise AccountsError(f"{path}: reviewer accounts must not live in the annotations folder ({annotations}), "
                            f"which is shared; give --accounts a file outside it (default: {default_path()})")


def check_ready(path: Path, annotations: Path) -> list[str]:
    """The reviewers who can sign in; refused when there are none (the server would let nobody in)."""
    check_outside(path, annotations)
    names = sorted(load(path))
    if not names:
        given = "" if path == default_path() else f" --accounts {path}"
        raise AccountsError(f"serving beyond 127.0.0.1 lets other machines decide, so reviewers sign in, and {path} "
                            f"holds no reviewer accounts: add one with `claimtrace reviewer add NAME{given}`, "
                            "then start again (or serve on 127.0.0.1 without --host)")
    return names


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES,
                          maxmem=256 * n * r * p + (1 << 20))


def hash_password(password: str) -> dict:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, **SCRYPT)
    return {"algorithm": "scrypt", **SCRYPT, "salt": base64.b64encode(salt).decode(),
            "hash": base64.b64encode(digest).decode()}


def check_password(record: dict, password: str) -> bool:
    try:
        if record["algorithm"] != "scrypt":
            return False
        salt, expected = base64.b64decode(record["salt"]), base64.b64decode(record["hash"])
        digest = _scrypt(password, salt, int(record["n"]), int(record["r"]), int(record["p"]))
    except (KeyError, TypeError, ValueError):
        return False
    return secrets.compare_digest(digest, expected)


def load(path: Path) -> dict[str, dict]:
    """name -> password record; {} when the file does not exist."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise AccountsError(f"{path}: cannot read the reviewer accounts ({exc}); fix or remove the file, "
                            "then add reviewers with `claimtrace reviewer add NAME`") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("reviewers"), dict):
        raise AccountsError(f"{path}: not a claimtrace reviewer accounts file (made by `claimtrace reviewer add`)")
    return data["reviewers"]


def save(path: Path, reviewers: dict[str, dict]) -> None:
    """Written to a temporary file of mode 0600 beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = json.dumps({"format": FORMAT, "reviewers": reviewers}, indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, data, mode=0o600)


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 80 or not name.isprintable():
        raise AccountsError(f"reviewer name {name!r}: give 1 to 80 printable characters, e.g. \"Ana Example\"")
    return name


def add(path: Path, name: str, password: str) -> None:
    name = check_name(name)
    if len(password) < MIN_PASSWORD:
        raise AccountsError(f"the password is too short: give at least {MIN_PASSWORD} characters")
    record = hash_password(password)
    with exclusive(path):
        reviewers = load(path)
        if name in reviewers:
            raise AccountsError(f"{name!r} has an account in {path} already; to change the password: "
                                f"`claimtrace reviewer remove {name!r}`, then add it again")
        save(path, {**reviewers, name: record})


def remove(path: Path, name: str) -> None:
    with exclusive(path):
        reviewers = load(path)
        if name not in reviewers:
            known = ", ".join(sorted(reviewers)) or "none"
            raise AccountsError(f"no reviewer {name!r} in {path} (accounts: {known})")
        save(path, {k: v for k, v in reviewers.items() if k != name})


_DUMMY = {"algorithm": "scrypt", **SCRYPT, "salt": "AAAAAAAAAAAAAAAAAAAAAA==", "hash": ""}


def verify(path: Path, name: str, password: str) -> bool:
    """The password is the reviewer's. An unknown name costs the same scrypt run as a known one."""
    record = load(path).get(name)
    if not isinstance(record, dict):
        check_password(_DUMMY, password)
        return False
    return check_password(record, password)


def exists(path: Path, name: str) -> bool:
    """The reviewer still has an account (a removed reviewer's open sessions end)."""
    try:
        return name in load(path)
    except AccountsError:
        return False
