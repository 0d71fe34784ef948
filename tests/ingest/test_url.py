from __future__ import annotations

import pytest

from gridwatch.ingest.url import (
    is_local_source,
    local_path,
    redact_text,
    redact_url,
    validate_stream_url,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("rtsp://admin:hunter2@10.0.0.5:554/Streaming/101", "rtsp://admin:***@10.0.0.5:554/Streaming/101"),
        ("rtsp://admin:p%40ss%3Aword@cam/live", "rtsp://admin:***@cam/live"),
        ("rtsp://cam.local/live", "rtsp://cam.local/live"),
        ("rtsp://onlyuser@cam/live", "rtsp://onlyuser@cam/live"),
        ("http://cam/snap.jpg?user=admin&password=hunter2", "http://cam/snap.jpg?user=admin&password=***"),
        ("redis://:hunter2@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
        ("/videos/a.mp4", "/videos/a.mp4"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_redact_url_survives_malformed_urls() -> None:
    redacted = redact_url("rtsp://admin:hunter2@cam:99999999/x")
    assert "hunter2" not in redacted
    assert "admin:***@" in redacted


def test_redact_text_masks_the_url_and_the_bare_password() -> None:
    url = "rtsp://admin:p%40ssw0rd@10.0.0.5/live"
    message = f"Server returned 401 Unauthorized: '{url}' (password p@ssw0rd, raw p%40ssw0rd)"
    redacted = redact_text(message, url)
    assert "p@ssw0rd" not in redacted and "p%40ssw0rd" not in redacted
    assert "rtsp://admin:***@10.0.0.5/live" in redacted


def test_redact_text_masks_other_urls_with_userinfo() -> None:
    assert redact_text("see rtsp://u:secret@h/x now") == "see rtsp://u:***@h/x now"


@pytest.mark.parametrize(
    "url",
    [
        "rtsp://cam:554/live", "rtsps://cam/live", "rtmp://cam/app/key", "http://cam/mjpeg",
        "https://cam/hls.m3u8", "file:///videos/a.mp4", "videos/a.mp4", "/videos/a.mp4",
        "  rtsp://[::1]:8554/cam1  ", "RTSP://CAM/live",
    ],
)
def test_valid_urls_pass(url: str) -> None:
    assert validate_stream_url(url) == url.strip()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "empty"),
        ("ftp://cam/x", "unsupported scheme 'ftp'"),
        ("cam.local:554/live", "unsupported scheme"),
        ("rtsp:///live", "no host"),
        ("rtsp://:554/live", "no host"),
        ("rtsp:cam/live", "scheme://host"),
        ("rtsp://cam:abc/live", "bad port 'abc'"),
        ("rtsp://cam:70000/live", "bad port '70000'"),
        ("rtsp://cam:0/live", "port 0"),
        ("rtsp://cam/li ve", "spaces"),
        ("file://otherhost/a.mp4", "names host"),
        ("file://", "no path"),
    ],
)
def test_invalid_urls_say_why(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_stream_url(url)


def test_invalid_url_errors_never_show_the_password() -> None:
    for url in ("rtsp://admin:hunter2@cam:abc/live", "ftp://admin:hunter2@cam/x",
                "rtsp://admin:hunter2@cam/a b"):
        with pytest.raises(ValueError) as info:
            validate_stream_url(url)
        assert "hunter2" not in str(info.value)
        assert "admin:***@" in str(info.value)


def test_local_sources() -> None:
    assert is_local_source("/a/b.mp4") and is_local_source("file:///a/b.mp4")
    assert not is_local_source("rtsp://cam/live")
    assert str(local_path("file:///a/b%20c.mp4")) == "/a/b c.mp4"
    assert str(local_path("rel/b.mp4")) == "rel/b.mp4"
