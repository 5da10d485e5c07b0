"""Seed results shared by the students of one grading run, in signed files.

    cache = VerdictCache(folder, secret)          # secret: bytes only the judges hold
    run = cache.get(material)                     # a SeedResult, or None
    cache.put(material, run)

Students' kernels run as the same OS user as the grader, so they can write in
`folder`. Nothing they write is believed:
- a file's name is HMAC(secret, key material): without the secret nobody can tell
  which file belongs to which network, let alone make one;
- a file's content carries HMAC(secret, name + result): a changed, planted or
  moved file fails the check and is ignored (the seed is trained again);
- files are opened without following links, and only regular, small files are read.
The secret is new for every grading run, so entries of an earlier run are never used.

Two judges that need the same seed at the same moment: the first claims it with a
`.pending` file, the second waits for the result (at most WAIT_SECONDS, then trains
it itself). A claim that a student plants or deletes costs time, never a wrong grade.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
import time
from dataclasses import asdict, dataclass
from pathlib import Path

MAX_ENTRY_BYTES = 4096
MAX_PICTURE_BYTES = 512 * 1024  # the doctor's picture of a seed (a base64 PNG), in a file of its own
WAIT_SECONDS = 120.0  # longer than one seed of any network the grader will train
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class SeedResult:
    accuracy: float
    seconds: float
    epochs: int
    findings: tuple = ()  # the doctor's findings, as {"code", "details"} dicts (diagnosis/rules.py)

    @classmethod
    def from_json(cls, data) -> "SeedResult | None":
        try:
            accuracy, seconds, epochs = data["accuracy"], data["seconds"], data["epochs"]
        except (TypeError, KeyError):
            return None
        if not (isinstance(accuracy, float) and 0.0 <= accuracy <= 1.0 and isinstance(seconds, (int, float))
                and isinstance(epochs, int)):
            return None
        findings = data.get("findings") or ()
        if not (isinstance(findings, (list, tuple))
                and all(isinstance(f, dict) and isinstance(f.get("code"), str) and isinstance(f.get("details"), dict)
                        for f in findings)):
            return None
        return cls(accuracy, float(seconds), epochs, tuple(findings))


def new_secret() -> bytes:
    return secrets.token_bytes(32)


class VerdictCache:
    def __init__(self, folder, secret: bytes, wait_seconds: float = WAIT_SECONDS):
        if len(secret) < 16:
            raise ValueError("the cache secret is too short")
        self.folder = Path(folder)
        self._secret = secret
        self.wait_seconds = wait_seconds
        self.hits = self.misses = self.rejected = 0

    def __repr__(self) -> str:  # never show the secret
        return f"VerdictCache({str(self.folder)!r})"

    def _mac(self, *parts: bytes) -> str:
        return hmac.new(self._secret, b"\0".join(parts), hashlib.sha256).hexdigest()

    def name(self, material: bytes) -> str:
        return self._mac(b"name", material)

    def _read(self, path: Path, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            return os.read(fd, limit + 1)
        finally:
            os.close(fd)

    def _write(self, name: str, entry: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{name}.{secrets.token_hex(8)}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(entry)
        os.replace(temporary, self.folder / f"{name}.json")  # replaces a planted link, never follows it

    def _load(self, name: str) -> SeedResult | None:
        raw = self._read(self.folder / f"{name}.json")
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
            body = json.dumps(entry["result"], sort_keys=True).encode()
            good = hmac.compare_digest(str(entry["mac"]), self._mac(b"entry", name.encode(), body))
        except (ValueError, TypeError, KeyError):
            good = False
        result = SeedResult.from_json(entry.get("result")) if good else None
        if result is None:
            self.rejected += 1
        return result

    def get(self, material: bytes) -> SeedResult | None:
        return self._load(self.name(material))

    def put(self, material: bytes, result: SeedResult) -> None:
        name = self.name(material)
        body = json.dumps(asdict(result), sort_keys=True).encode()
        entry = json.dumps({"result": asdict(result), "mac": self._mac(b"entry", name.encode(), body)}).encode()
        self._write(name, entry)

    # --- the doctor's picture of a seed, signed like a result ---

    def _picture_name(self, material: bytes) -> str:
        from smiley_checks.messages import language

        return self._mac(b"picture", language().encode(), material)  # its words are in the judge's language

    def put_picture(self, material: bytes, png_base64: str) -> None:
        name = self._picture_name(material)
        mac = self._mac(b"picture-entry", name.encode(), png_base64.encode())
        self._write(name, json.dumps({"picture": png_base64, "mac": mac}).encode())

    def get_picture(self, material: bytes) -> str | None:
        """The seed's picture, or None (none kept, or a file that fails its check: then it is not shown)."""
        name = self._picture_name(material)
        raw = self._read(self.folder / f"{name}.json", MAX_PICTURE_BYTES)
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
            picture = entry["picture"]
            if isinstance(picture, str) and hmac.compare_digest(
                    str(entry["mac"]), self._mac(b"picture-entry", name.encode(), picture.encode())):
                return picture
        except (ValueError, TypeError, KeyError):
            pass
        self.rejected += 1
        return None

    # --- two judges, one seed ---

    def obtain(self, material: bytes, clock=time.monotonic, sleep=time.sleep) -> SeedResult | None:
        """The seed's result, possibly after waiting for the judge training it; None: train it
        yourself, then `put` it and `release` the claim."""
        found = self.get(material)
        if found is None and not self._claim(material):
            found = self._wait_for(material, clock, sleep)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def release(self, material: bytes) -> None:
        try:
            os.unlink(self._pending(material))
        except OSError:
            pass

    def _claim(self, material: bytes) -> bool:
        """True when this judge should train the seed (nobody else is on it)."""
        try:
            fd = os.open(self._pending(material), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            return False
        except OSError:  # e.g. the folder is gone: just train
            return True
        os.close(fd)
        return True

    def _wait_for(self, material: bytes, clock, sleep) -> SeedResult | None:
        deadline = clock() + self.wait_seconds
        pending = self._pending(material)
        while clock() < deadline:
            found = self.get(material)
            if found is not None or not os.path.lexists(pending):
                # the claim is gone: the other judge stored its result, gave up, or a student removed it
                return found or self.get(material)
            sleep(POLL_SECONDS)
        return None

    def _pending(self, material: bytes) -> Path:
        return self.folder / f"{self.name(material)}.pending"

    # --- handing the cache to another process, over a pipe only ---

    def handover(self) -> dict:
        """What another trusted process needs: write it to a pipe, never to argv, env or a file."""
        return {"folder": str(self.folder), "secret": self._secret.hex()}

    @classmethod
    def from_handover(cls, data) -> "VerdictCache | None":
        try:
            return cls(data["folder"], bytes.fromhex(data["secret"]))
        except (TypeError, KeyError, ValueError):
            return None
