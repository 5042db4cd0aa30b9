"""Read the report text safely: every way a file can be unusable becomes one plain sentence."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

# The real report is 100 KB; a hundred copies of it are 10 MB. A file far larger is not a report.
MAX_BYTES = 256 * 1024 * 1024


class InputError(ValueError):
    """The input cannot be used; the message says why in the user's terms."""


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    sha256: str
    size: int
    had_crlf: bool
    had_bom: bool
    had_cr: bool = False  # lines ended by CR alone (classic Mac OS)


def read_source(path: Path) -> SourceText:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path}: the file is empty")
    if size > MAX_BYTES:
        raise InputError(
            f"{path}: {size / 1e6:.0f} MB is larger than any report text "
            f"({MAX_BYTES / 1e6:.0f} MB at most)"
        )

    raw = path.read_bytes()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or looks_like_utf16(raw[:4096]):
        raise InputError(f"{path}: the file is UTF-16; save it as UTF-8")
    # Anywhere in the file: a NUL past the first pages would otherwise end up in a milestone.
    if b"\x00" in raw:
        raise InputError(f"{path}: the file is binary, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            f"{path}: not valid UTF-8 (line {line}, byte {error.start}); save the text as UTF-8"
        ) from None

    had_bom = text.startswith("\ufeff")
    had_crlf = "\r\n" in text
    # A file whose lines end in CR alone would read as one long line with no section in it.
    had_cr = "\r" in text and "\n" not in text
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if had_cr:
        text = text.replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path}: the file holds only white space")
    digest = hashlib.sha256(raw).hexdigest()
    return SourceText(path, text, digest, size, had_crlf, had_bom, had_cr)


def looks_like_utf16(sample: bytes) -> bool:
    """UTF-16 without a byte-order mark: text in it has a NUL in every other byte."""
    if len(sample) < 16:
        return False
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return (odd > half // 2 and even < half // 8) or (even > half // 2 and odd < half // 8)
