"""make bench's closing table (bench/summary.py) fails only when something was not measured,
never because a goal was missed, as the README says."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import summary  # noqa: E402


def record_every_part(verdict="FAIL"):
    for part in summary.PARTS.values():
        summary.record(part, "a figure", 2.0, "ms", 1.0, "base", "≤ 1 ms", verdict)


def test_missed_goals_still_exit_zero(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BENCH_SUMMARY", str(tmp_path / "s.jsonl"))
    record_every_part(verdict="FAIL")
    assert summary.main(["summary.py", str(tmp_path / "s.jsonl")]) == 0
    assert "2.00x" in capsys.readouterr().out  # value / baseline


def test_a_part_or_a_figure_not_measured_exits_one(tmp_path, monkeypatch, capsys):
    path = tmp_path / "s.jsonl"
    monkeypatch.setenv("BENCH_SUMMARY", str(path))
    summary.record("server", "uploads", 3.0, "photos/s")
    assert summary.main(["summary.py", str(path)]) == 1
    assert "not measured: scale" in capsys.readouterr().out
    path.unlink()
    record_every_part()
    summary.record("scale", "queue", None, "req/s")  # a run that was mostly errors
    assert summary.main(["summary.py", str(path)]) == 1
    assert "not measured: scale: queue" in capsys.readouterr().out


def test_a_failed_script_is_noted_and_exits_one(tmp_path, monkeypatch, capsys):
    path = tmp_path / "s.jsonl"
    monkeypatch.setenv("BENCH_SUMMARY", str(path))
    record_every_part()
    assert summary.main(["summary.py", "--failed", "slow_link.py"]) == 0
    assert summary.main(["summary.py", str(path)]) == 1
    assert "bench/slow_link.py exited with an error" in capsys.readouterr().out


def test_record_writes_nothing_when_run_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("BENCH_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    record_every_part()
    assert list(tmp_path.iterdir()) == []
