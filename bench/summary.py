"""The one closing table of `make bench`: the headline figures of all five benchmarks, each
next to the baseline measured in the same run, their ratio, the goal and its verdict.

Each script calls record() where it prints a figure. With BENCH_SUMMARY unset (a script
run on its own) that does nothing; `make bench` sets it to a file, runs every script, then

    .venv/bin/python bench/summary.py instance/bench-summary.jsonl

prints the table. It exits 1 when something could not be measured (a part recorded no
figures, a figure is missing, or a script failed: make bench notes that with
`summary.py --failed SCRIPT`), never because a goal was missed.
"""

import json
import os
import sys
from pathlib import Path

PARTS = {  # script: its part of the table, in the order make bench runs them
    "photo_pipeline.py": "photo pipeline",
    "page_weight.py": "page weight",
    "slow_link.py": "slow link",
    "server.py": "server",
    "scale.py": "scale",
}


def pass_fail(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def record(
    part, measure, value, unit, baseline=None, baseline_label="", goal="", verdict="", ratio=None
) -> None:
    """Append one figure to the file named by BENCH_SUMMARY, as a line of JSON.

    value None means it could not be measured. ratio is value / baseline unless given:
    pass it where the script's own table reads the other way (say naive/ours), and let the
    goal's text say so."""
    path = os.environ.get("BENCH_SUMMARY")
    if not path:
        return
    if ratio is None and value is not None and baseline:
        ratio = value / baseline
    row = {
        "part": part,
        "measure": measure,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "baseline_label": baseline_label,
        "ratio": ratio,
        "goal": goal,
        "verdict": verdict,
    }
    with open(path, "a", encoding="utf-8") as file:
        file.write(json.dumps(row, ensure_ascii=False) + "\n")


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"


def cells(row: dict) -> list[str]:
    """One row of the table: measure, value, baseline, ratio, goal, verdict."""
    value = "not measured" if row["value"] is None else f"{number(row['value'])} {row['unit']}"
    baseline = "-"
    if row["baseline"] is not None:
        baseline = f"{row['baseline_label']} {number(row['baseline'])} {row['unit']}".strip()
    ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}x"
    return [row["measure"], value, baseline, ratio, row["goal"], row["verdict"]]


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--failed":  # make bench: that script exited non-zero
        record(PARTS[argv[2]], f"bench/{argv[2]} exited with an error", None, "")
        return 0
    if len(argv) != 2:
        sys.exit("usage: summary.py FILE | summary.py --failed SCRIPT (BENCH_SUMMARY set)")
    path = Path(argv[1])
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    rows = [json.loads(line) for line in lines if line.strip()]
    table = [["part", "measure", "value", "baseline", "ratio", "goal", "verdict"]]
    for part in PARTS.values():
        in_part = [row for row in rows if row["part"] == part]
        table += [[part if i == 0 else "", *cells(row)] for i, row in enumerate(in_part)]
    widths = [max(len(line[column]) for line in table) for column in range(len(table[0]))]
    print("\nSummary of make bench: each figure next to its baseline from the same run")
    for line in table[:1] + [["-" * width for width in widths]] + table[1:]:
        padded = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        print("  ".join(padded).rstrip())
    print("ratio = value / baseline, unless the goal names another (naive/ours, 1k/100k)")
    missing = [part for part in PARTS.values() if all(row["part"] != part for row in rows)]
    missing += [f"{row['part']}: {row['measure']}" for row in rows if row["value"] is None]
    for what in missing:
        print(f"not measured: {what}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
