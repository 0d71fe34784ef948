"""Decode a registry CSV: UTF-8 (with or without BOM) or GB18030/GBK as Excel in China writes it."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

AUTO = "auto"


class EncodingProblem(ValueError):
    """The file cannot be decoded; the message names the encoding, byte offset and line."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _problem(data: bytes, encoding: str, exc: UnicodeDecodeError) -> EncodingProblem:
    line = data.count(b"\n", 0, exc.start) + 1
    bad = data[exc.start : exc.start + 4].hex(" ")
    return EncodingProblem(
        f"cannot decode the file as {encoding}: byte offset {exc.start} (line {line}) holds "
        f"{bad}; save it as UTF-8 or pass --encoding"
    )


def decode(data: bytes, encoding: str = AUTO) -> Decoded:
    """The text of ``data``; ``auto`` tries UTF-8 (BOM honoured), then GB18030 (a GBK superset)."""
    if encoding != AUTO:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise EncodingProblem(f"unknown encoding {encoding!r}") from None
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError as exc:
            raise _problem(data, encoding, exc) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise EncodingProblem("the file is UTF-16; save it as UTF-8 (or GB18030) CSV")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(data.decode("utf-8-sig"), "utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _problem(data, "utf-8 (it starts with a UTF-8 BOM)", exc) from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return Decoded(data.decode("gb18030"), "gb18030")
        except UnicodeDecodeError:
            raise _problem(data, "utf-8 (nor as gb18030)", utf8_error) from None
