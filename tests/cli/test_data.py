import json
import subprocess
import sys

from smiley_checks.cli import main
from smiley_checks.dataset.layout import SPLIT_SIZES


def test_json_summary_counts_every_split_and_class(capsys):
    assert main(["data", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["classes"] == ["happy", "surprised", "sad"]
    assert summary["shape"] == [110, 110, 1]
    assert summary["splits"] == {split: {c: n for c in summary["classes"]} for split, n in SPLIT_SIZES.items()}


def test_table_shows_counts_shape_and_values(capsys):
    assert main(["data"]) == 0
    out = capsys.readouterr().out
    assert "heldout  surprised      100   110 x 110 x 1 0..255" in out


def test_preview_writes_a_png(tmp_path, capsys):
    target = tmp_path / "preview.png"
    assert main(["data", "--preview", str(target)]) == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(target) in capsys.readouterr().out


def test_missing_data_is_one_line_and_exit_2(tmp_path):
    result = subprocess.run([sys.executable, "-m", "smiley_checks", "data", "--dir", str(tmp_path / "gone")],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "gone is missing" in result.stderr and "smiley-checks sheets import" in result.stderr
