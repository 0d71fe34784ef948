"""`gridwatch cameras make-sample | import | list | export` as a user runs them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gridwatch.cli import app

runner = CliRunner()


def test_sample_import_list_export(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text("store:\n  data_dir: var\n", encoding="utf-8")
    sample = tmp_path / "cams.csv"
    assert runner.invoke(app, ["cameras", "make-sample", "--count", "120", str(sample)]).exit_code == 0
    with sample.open("a", encoding="utf-8") as handle:
        handle.write("bad-1,x,rtsp://admin:TopSecret9@h:0/x,龙城街道,,,,,,\n")
    result = runner.invoke(app, ["cameras", "import", "-c", str(site), str(sample), "--every", "50"])
    assert result.exit_code == 1, result.output  # a rejected row is not a silent success
    assert "120 imported" in result.output and "1 rejected" in result.output
    assert "line 122 (camera bad-1)" in result.output
    assert "TopSecret9" not in result.output
    assert (tmp_path / "var" / "registry.sqlite").is_file()
    listed = runner.invoke(app, ["cameras", "list", "-c", str(site), "--street", "斗南街道"])
    assert listed.exit_code == 0 and listed.output.count("斗南街道") == 20
    assert "Cam" not in "".join(line.split("\t")[-1] for line in listed.output.splitlines())
    out = tmp_path / "out.csv"
    assert runner.invoke(app, ["cameras", "export", "-c", str(site), str(out)]).exit_code == 0
    assert ":***@" in out.read_text(encoding="utf-8-sig")
