"""Photo pipeline benchmark: our process_photo against a naive Pillow pipeline, pyvips and
a bare decode of the same file, all measured in this run. Prints ratios, not verdicts.

    .venv/bin/python bench/photo_pipeline.py [--runs 5]
"""

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import summary  # noqa: E402  (bench/ is on the path as the script's folder)
from sample_photos import generated_jpeg  # noqa: E402

from dispute_portal.photos import process_photo  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PART = "photo pipeline"  # in bench/summary.py's table


def ours(data: bytes) -> None:
    process_photo(data)


def naive(data: bytes) -> None:
    """What most tutorials do: decode everything, orient, thumbnail, save twice."""
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image.convert("RGB"))
        image.thumbnail((2048, 2048))
        image.save(io.BytesIO(), "JPEG", quality=82)
        image.thumbnail((320, 320))
        image.save(io.BytesIO(), "JPEG", quality=60)


def vips(data: bytes) -> None:
    import pyvips

    large = pyvips.Image.thumbnail_buffer(data, 2048, height=2048, size="down")
    large.jpegsave_buffer(Q=82, keep="none")
    small = pyvips.Image.thumbnail_buffer(data, 320, height=320, size="down")
    small.jpegsave_buffer(Q=60, keep="none")


def bare_decode(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.load()


PIPELINES = {"ours": ours, "naive": naive, "pyvips": vips, "decode": bare_decode}


def inputs(folder: Path) -> list[Path]:
    files = [generated_jpeg(folder, 12), generated_jpeg(folder, 48)]
    if CORPUS.is_dir():
        for path in sorted((CORPUS / "good").iterdir()):
            if (
                path.suffix.lower() in {".jpg", ".heic", ".heif"}
                and path.stat().st_size > 1_000_000
            ):
                files.append(path)
    return files


def median_ms(pipeline: str, path: Path, runs: int) -> float | None:
    """Median milliseconds, or None where that pipeline cannot read the file at all."""
    data = path.read_bytes()
    try:
        PIPELINES[pipeline](data)  # warm up: codecs loaded, caches filled
    except Exception:  # e.g. pyvips' wheel has no HEVC decoder for HEIC
        return None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        PIPELINES[pipeline](data)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _peak_rss_mb(pipeline: str, path: Path) -> float:
    out = subprocess.run(
        [sys.executable, __file__, "--peak", pipeline, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout)


def peak_mb(pipeline: str, path: Path) -> float:
    """Peak resident memory one run adds over a fresh process that only read the file."""
    return _peak_rss_mb(pipeline, path) - _peak_rss_mb("none", path)


def measure_peak(pipeline: str, path: Path) -> None:
    data = path.read_bytes()
    if pipeline != "none":
        PIPELINES[pipeline](data)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
    status = Path("/proc/self/status").read_text()
    print(int(status.split("VmHWM:")[1].split()[0]) / 1024)


def record(name: str, ms: dict, peak: float) -> None:
    """One file's figures for the closing table of make bench (bench/summary.py). Against
    naive the ratio is naive/ours, as in the table above; against the others, ours/them."""
    measure, pass_fail = f"{name}: ours", summary.pass_fail
    ours_ms, naive = ms["ours"], ms["naive"]
    speedup = naive / ours_ms
    goal, verdict = "≥ 3x faster (naive/ours)", pass_fail(speedup >= 3)
    summary.record(PART, measure, ours_ms, "ms", naive, "naive", goal, verdict, ratio=speedup)
    for them, most in (("pyvips", 1), ("decode", 2)):
        if ms.get(them):  # pyvips: None where it cannot read the file, absent if not installed
            goal, verdict = f"≤ {most}x {them}", pass_fail(ours_ms <= most * ms[them])
            summary.record(PART, measure, ours_ms, "ms", ms[them], them, goal, verdict)
    verdict = pass_fail(peak <= 128)
    summary.record(PART, f"{name}: peak memory", peak, "MB", goal="≤ 128 MB", verdict=verdict)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peak", nargs=2, metavar=("PIPELINE", "FILE"))
    args = parser.parse_args()
    if args.peak:
        return measure_peak(args.peak[0], Path(args.peak[1]))
    try:
        import pyvips  # noqa: F401
    except ImportError:
        PIPELINES.pop("pyvips")
        print("pyvips not installed: its column is left out (make bench installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for path in inputs(Path(tmp)):
            with Image.open(path) as image:
                size = f"{image.width}x{image.height} {image.format}"
            ms = {name: median_ms(name, path, args.runs) for name in PIPELINES}
            peak = peak_mb("ours", path)
            rows.append((path.name, size, ms, peak))
    header = f"{'file':28} {'size':20} {'ours ms':>8} {'naive ms':>9} {'vs naive':>9}"
    header += f" {'pyvips ms':>10} {'vs pyvips':>10}" if "pyvips" in PIPELINES else ""
    header += f" {'decode ms':>10} {'vs decode':>10} {'peak MB':>8}"
    print(header)
    for name, size, ms, peak in rows:
        line = f"{name[:28]:28} {size:20} {ms['ours']:8.0f} {ms['naive']:9.0f}"
        line += f" {ms['naive'] / ms['ours']:8.1f}x"
        if ms.get("pyvips"):
            line += f" {ms['pyvips']:10.0f} {ms['ours'] / ms['pyvips']:9.2f}x"
        elif "pyvips" in ms:
            line += f" {'n/a':>10} {'n/a':>10}"
        line += f" {ms['decode']:10.0f} {ms['ours'] / ms['decode']:9.2f}x {peak:8.0f}"
        print(line)
        record(name, ms, peak)
    print(json.dumps({"runs": args.runs, "python": sys.version.split()[0]}))
    print(
        "vs naive = naive/ours (higher is better); vs pyvips and vs decode = ours/them "
        "(lower is better); peak MB = resident memory one run of ours added"
    )


if __name__ == "__main__":
    main()
