"""What a measurement was made from: the drawings (their manifest's hash) and the package versions.

Every figure file in docs/measurements/ and docs/calibration/ carries it: a JSON file under the
key "provenance", a page in one line that starts with MARK. tests/test_measurement_freshness.py
fails when a stored measurement names other drawings than the shipped ones.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from importlib import metadata
from pathlib import Path

from smiley_checks.dataset.layout import INFO, MANIFEST, SHIPPED_DIR, data_dir

PACKAGES = ("keras", "tensorflow-cpu", "tensorflow", "numpy")
MARK = "Drawings: MANIFEST.sha256 with sha256 "
HASH = re.compile(r"[0-9a-f]{64}")
_IN_PAGE = re.compile(re.escape(MARK) + r"([0-9a-f]{64})")


def manifest_hash(root: Path | None = None) -> str:
    """sha256 of the data folder's MANIFEST.sha256 (which holds the sha256 of every drawing)."""
    return hashlib.sha256((Path(root or data_dir()) / MANIFEST).read_bytes()).hexdigest()


def package_versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def provenance(root: Path | None = None) -> dict:
    """What a measurement made now is made from (store it with the figures)."""
    root = Path(root or data_dir())
    info = json.loads((root / INFO).read_text()) if (root / INFO).is_file() else {}
    return {
        "data": {"manifest_sha256": manifest_hash(root), "generator": info.get("generator"),
                 "folder": "shipped" if root.resolve() == SHIPPED_DIR.resolve() else str(root)},
        "packages": package_versions(),
        "python": sys.version.split()[0],
    }


def markdown_line(record: dict) -> str:
    """The line a page carries: MARK, the hash, the generator version and the packages."""
    data = record["data"]
    packages = ", ".join(f"{name} {version}" for name, version in record.get("packages", {}).items())
    line = f"{MARK}{data['manifest_sha256']} (generator {data.get('generator') or '?'}); {packages}."
    if record.get("established"):
        line += f" {record['established']}"
    return line


def stored_hashes(path: Path) -> list[str]:
    """The manifest hashes a figure file says it was measured on (none: it does not say)."""
    text = Path(path).read_text(encoding="utf-8")
    if Path(path).suffix == ".json":
        found = []
        _collect(json.loads(text), found)
        return found
    return _IN_PAGE.findall(text)


def _collect(node, found: list) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "manifest_sha256" and isinstance(value, str) and HASH.fullmatch(value):
                found.append(value)
            else:
                _collect(value, found)
    elif isinstance(node, list):
        for value in node:
            _collect(value, found)


def stale(paths, expected: str) -> dict[str, str]:
    """{file: why} for every figure file that does not say it was measured on `expected`'s drawings."""
    problems = {}
    for path in paths:
        hashes = stored_hashes(path)
        if not hashes:
            problems[str(path)] = "names no drawings"
        elif any(found != expected for found in hashes):
            other = next(found for found in hashes if found != expected)
            problems[str(path)] = f"measured on drawings {other[:12]}, the shipped ones are {expected[:12]}"
    return problems
