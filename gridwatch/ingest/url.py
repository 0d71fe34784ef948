"""Stream URLs: check them early, and never show a password.

``validate_stream_url`` is what the config layer calls on every camera URL; ``redact_url`` and
``redact_text`` are what every log line, exception message and health string goes through.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

NETWORK_SCHEMES = frozenset({"rtsp", "rtsps", "rtmp", "http", "https"})
SUPPORTED_SCHEMES = NETWORK_SCHEMES | {"file"}
MASK = "***"

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]*):[^\s/@]*@")
_SECRET_KEYS = re.compile(r"pass|pwd|token|secret|key|auth|sig", re.IGNORECASE)
_MIN_SECRET_LEN = 3


def _has_scheme(url: str) -> bool:
    """True for ``scheme:...``; a single letter (``C:\\x``) is a drive, not a scheme."""
    match = _SCHEME.match(url)
    return match is not None and len(match.group(1)) > 1


def is_local_source(url: str) -> bool:
    """A plain path or a ``file:`` URL (read from disk, no network, no reconnect pacing)."""
    return not _has_scheme(url) or urlsplit(url).scheme.lower() == "file"


def local_path(url: str) -> Path:
    """The filesystem path of a local source (``file:///a%20b.mp4`` -> ``/a b.mp4``)."""
    if not _has_scheme(url):
        return Path(url)
    return Path(unquote(urlsplit(url).path))


def _redact_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(_SECRET_KEYS.search(key) for key, _ in pairs):
        return query
    masked = [(key, MASK if _SECRET_KEYS.search(key) else value) for key, value in pairs]
    return urlencode(masked, safe="*")


def redact_url(url: str) -> str:
    """``url`` with its password (and secret-looking query values) replaced by ``***``.

    ``rtsp://admin:pw@cam:554/live`` -> ``rtsp://admin:***@cam:554/live``. Works on malformed
    URLs too (falls back to a pattern), so it is safe to call on anything.
    """
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if parts.password is not None:
            host = netloc.rpartition("@")[2]
            netloc = f"{quote(unquote(parts.username or ''), safe='')}:{MASK}@{host}"
        return urlunsplit(parts._replace(netloc=netloc, query=_redact_query(parts.query)))
    except ValueError:
        return _USERINFO.sub(rf"\g<head>:{MASK}@", url)


def _secrets(url: str) -> list[str]:
    try:
        parts = urlsplit(url)
        found = [parts.password or ""]
        found += [v for k, v in parse_qsl(parts.query) if _SECRET_KEYS.search(k)]
    except ValueError:
        match = re.search(r"://[^\s/@:]*:([^\s/@]*)@", url)
        found = [match.group(1)] if match else []
    variants = {s for raw in found for s in (raw, unquote(raw), quote(unquote(raw), safe=""))}
    return sorted((s for s in variants if len(s) >= _MIN_SECRET_LEN), key=len, reverse=True)


def redact_text(text: str, url: str | None = None) -> str:
    """``text`` (an error message, a log line) with the secrets of ``url`` and of any URL in it
    masked. FFmpeg puts the full URL, password included, into its error messages."""
    if url:
        text = text.replace(url, redact_url(url))
        for secret in _secrets(url):
            text = text.replace(secret, MASK)
    return _USERINFO.sub(rf"\g<head>:{MASK}@", text)


def validate_stream_url(url: str) -> str:
    """The URL, stripped, if it can be a camera stream; else ``ValueError`` saying what is wrong.

    Accepts ``rtsp``, ``rtsps``, ``rtmp``, ``http``, ``https`` (with a host and, if given, a port
    in 1..65535), ``file:`` URLs and plain paths. Messages never contain the password.
    """
    url = url.strip()
    if not url:
        raise ValueError("stream URL is empty")
    shown = redact_url(url)
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise ValueError(f"stream URL {shown!r} contains spaces or control characters")
    if not _has_scheme(url):
        return url
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SUPPORTED_SCHEMES:
        allowed = ", ".join(sorted(SUPPORTED_SCHEMES))
        raise ValueError(
            f"stream URL {shown!r} has unsupported scheme {scheme!r}; use one of {allowed} "
            "or a file path"
        )
    if scheme == "file":
        _check_file_url(parts.netloc, parts.path, shown)
    else:
        _check_network_url(url, shown)
    return url


def _check_file_url(netloc: str, path: str, shown: str) -> None:
    if netloc not in ("", "localhost"):
        raise ValueError(f"file URL {shown!r} names host {netloc!r}; use file:///absolute/path")
    if not path:
        raise ValueError(f"file URL {shown!r} has no path")


def _check_network_url(url: str, shown: str) -> None:
    parts = urlsplit(url)
    if not parts.netloc.startswith("//") and not url.split(":", 1)[1].startswith("//"):
        raise ValueError(f"stream URL {shown!r} must look like scheme://host[:port]/path")
    if not parts.hostname:
        raise ValueError(f"stream URL {shown!r} has no host")
    try:
        port = parts.port
    except ValueError:
        raw = parts.netloc.rpartition("@")[2].rpartition(":")[2]
        raise ValueError(
            f"stream URL {shown!r} has a bad port {raw!r}; expected a number in 1..65535"
        ) from None
    if port == 0:
        raise ValueError(f"stream URL {shown!r} has port 0; expected a number in 1..65535")
