"""Registry CSV: bad rows rejected with their line, good rows kept, encodings, secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridwatch.registry.encoding import EncodingProblem
from gridwatch.registry.export import write_csv
from gridwatch.registry.importer import import_csv
from gridwatch.registry.parse import HeaderProblem
from gridwatch.registry.sample import write_sample
from gridwatch.registry.store import RegistryStore

HEADER = "id,name,url,street,grid,longitude,latitude,interval_s,mode,enabled\n"
GOOD = "cam-1,东门,rtsp://admin:s3cret-pw@10.0.0.1/live,龙城街道,LC-01,102.8,24.9,2,,true\n"


@pytest.fixture
def store(tmp_path: Path) -> RegistryStore:
    return RegistryStore.at(tmp_path / "registry.sqlite")


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "cams.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("cam-2,x,,龙城,,,,,,\n", "url is missing"),
        ("cam-2,x,ftp://admin:s3cret-pw@h/x,龙城,,,,,,\n", "unsupported scheme 'ftp'"),
        ("cam-2,x,10.0.0.9/live,龙城,,,,,,\n", "url has no scheme"),
        ("cam-1,again,rtsp://h/x,龙城,,,,,,\n", "duplicate id (first on line 2)"),
        ("cam-2,x,rtsp://h/x,龙城,,200,24.9,,,\n", "longitude 200.0 is out of range -180..180"),
        ("cam-2,x,rtsp://h/x,龙城,,102.8,-91,,,\n", "latitude -91.0 is out of range -90..90"),
        ("cam-2,x,rtsp://h/x,龙城,,east,24.9,,,\n", "longitude 'east' is not a number"),
        ("cam-2,x,rtsp://h/x,龙城,,,,0,,\n", "interval_s"),
        ("cam-2,x,rtsp://h/x,龙城,,,,,,maybe\n", "enabled 'maybe'"),
        ("bad id!,x,rtsp://h/x,龙城,,,,,,\n", "id 'bad id!'"),
        ("cam-2,x,rtsp://admin:s3cret-pw@h:99999/x,龙城,,,,,,\n", "bad port"),
    ],
)
def test_bad_row_is_rejected_with_its_line_others_imported(
    tmp_path: Path, store: RegistryStore, row: str, expected: str
) -> None:
    path = _write(tmp_path, HEADER + GOOD + row + "cam-9,ok,rtsp://h/9,乌龙,,,,,,\n")
    report = import_csv(path, store)
    assert [p.line for p in report.rejected] == [3]
    assert expected in report.rejected[0].message, report.rejected[0]
    assert sorted(r.id for r in store.records()) == ["cam-1", "cam-9"]
    assert "s3cret-pw" not in report.summary()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_are_detected(tmp_path: Path, store: RegistryStore, encoding: str) -> None:
    report = import_csv(_write(tmp_path, HEADER + GOOD, encoding), store)
    assert report.imported == 1
    assert report.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
    assert store.records()[0].street == "龙城街道"


def test_undecodable_file_names_offset_and_line(tmp_path: Path, store: RegistryStore) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes((HEADER + GOOD).encode() + b"cam-2,\xff\xfe\xff,rtsp://h/x\n")
    with pytest.raises(EncodingProblem, match=r"byte offset \d+ \(line 3\)"):
        import_csv(path, store)
    with pytest.raises(EncodingProblem, match="as ascii"):
        import_csv(_write(tmp_path, HEADER + GOOD), store, encoding="ascii")


def test_chinese_header_and_multiline_cell_line_numbers(tmp_path: Path, store: RegistryStore) -> None:
    text = ('编号,名称,地址,街道,网格,经度,纬度\n'
            'c1,"two\nlines",rtsp://h/1,雨花街道,YH-1,102.83,24.84\n'
            'c2,x,,雨花街道,YH-1,,\n'
            'c3,x,rtsp://h/3,雨花街道,YH-1,24.84,102.83\n')
    report = import_csv(_write(tmp_path, text), store)
    assert [(p.line, p.camera_id) for p in report.rejected] == [(4, "c2"), (5, "c3")]
    assert "latitude 102.83 is out of range" in report.rejected[1].message  # swapped columns
    assert report.imported == 1
    text2 = '编号,地址,经度,纬度\nc4,rtsp://h/4,10.0,50.0\n'
    report2 = import_csv(_write(tmp_path, text2), store)
    assert [(w.line, w.camera_id) for w in report2.warnings] == [(2, "c4")]  # outside China


def test_missing_required_header(tmp_path: Path, store: RegistryStore) -> None:
    with pytest.raises(HeaderProblem, match="lacks column"):
        import_csv(_write(tmp_path, "id,name\nc1,x\n"), store)


def test_round_trip_and_redacted_export(tmp_path: Path, store: RegistryStore) -> None:
    sample = write_sample(tmp_path / "sample.csv", count=300)
    first = import_csv(sample, store)
    assert (first.imported, first.rejected) == (300, [])
    secret = tmp_path / "secret.csv"
    write_csv(store.records(), secret, with_secrets=True)
    again = import_csv(secret, store)
    assert (again.unchanged, again.updated, again.imported) == (300, 0, 0)
    masked = tmp_path / "masked.csv"
    write_csv(store.records(), masked)
    text = masked.read_text(encoding="utf-8-sig")
    assert ":***@" in text and "Cam" not in text.split("rtsp://admin:")[1][:6]
    before = {r.id: r.url for r in store.records()}
    redacted = import_csv(masked, store)  # a redacted export leaves stored passwords alone
    assert redacted.unchanged == 300
    assert {r.id: r.url for r in store.records()} == before
    fresh = RegistryStore.at(tmp_path / "fresh.sqlite")
    rejected = import_csv(masked, fresh).rejected
    assert len(rejected) == 300 and "redacted password" in rejected[0].message


def test_changed_row_counts_as_updated(tmp_path: Path, store: RegistryStore) -> None:
    import_csv(_write(tmp_path, HEADER + GOOD), store)
    report = import_csv(_write(tmp_path, HEADER + GOOD.replace("东门", "西门")), store)
    assert (report.updated, report.unchanged) == (1, 0)
    assert store.records()[0].name == "西门"
