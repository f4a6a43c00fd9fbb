"""The table of bench/slow_link.py, and its figures for make bench's closing table."""

from summary import record


def seconds(value) -> str:
    return f"{value:.1f} s" if isinstance(value, float) else str(value or "-")


def ratio(on, off) -> str:
    if isinstance(on, float) and isinstance(off, float):
        return f"{on / off:.2f}"
    if isinstance(on, float) and isinstance(off, str) and off.startswith("timed out"):
        cap = float(off.split()[-2])
        return f"< {on / cap:.2f}"
    return "-"


def record_link(label: str, on: dict, off: dict, cap: float) -> None:
    """One link's figures for make bench's closing table (bench/summary.py): JavaScript on,
    with it off as the baseline (no goal). A measurement that timed out counts as the cap."""
    for key, step in (("journey", "sign in -> photos"), ("upload", "upload 3 photos")):
        js_on, js_off = on.get(key), off.get(key)  # seconds, "timed out after N s" or None
        measure = f"{label}: {step}, JS on"
        failed = key == "upload" and (on.get("note") or off.get("note"))  # a photo refused
        if js_on is None or js_off is None or failed:
            record("slow link", measure, None, "s", verdict="failed or not reached, see above")
            continue
        on_out, off_out = isinstance(js_on, str), isinstance(js_off, str)  # "timed out ..."
        if on_out and off_out:  # no ratio to give
            record("slow link", measure, cap, "s", verdict="timed out, JS off too")
            continue
        verdict = "timed out" if on_out else "JS off timed out" if off_out else ""
        value, baseline = cap if on_out else js_on, cap if off_out else js_off
        off_label = "JS off ≥" if off_out else "JS off"
        record("slow link", measure, value, "s", baseline, off_label, verdict=verdict)


def print_results(results: dict, links: dict, cap: float) -> None:
    """One row per link and JavaScript setting, then JS on / JS off for each link."""
    print(
        f"{'link':20} {'JS':3} {'sign in -> photos':>18} {'received':>9} "
        f"{'upload 3 photos':>20} {'sent':>8} {'link minimum':>12}"
    )
    for link, (label, bits_per_second, _latency) in links.items():
        for js in (True, False):
            r = results.get((link, js), {"error": "no result"})
            if "error" in r:
                print(f"({link}) {label:16} {'on' if js else 'off':3} error: {r['error']}")
                continue
            minimum = f"{r['sent'] * 8 / bits_per_second:.0f} s" if r["sent"] else "-"
            print(
                f"({link}) {label:16} {'on' if js else 'off':3} {seconds(r['journey']):>18}"
                f" {r['received'] / 1000:7.1f} KB {seconds(r['upload']):>20}"
                f" {r['sent'] / 1e6:6.2f} MB {minimum:>12}  {r['note']}"
            )
        on, off = results.get((link, True), {}), results.get((link, False), {})
        print(
            f"({link}) JS on / JS off     {ratio(on.get('journey'), off.get('journey')):>18}"
            f" {'':9} {ratio(on.get('upload'), off.get('upload')):>20}"
        )
        record_link(f"({link}) {label}", on, off, cap)
