"""`make bench`: run every bench script and print one table.

    .venv/bin/python bench/run_all.py [--fresh] [pages.py options…]

Runs each bench/*.py that prints its own figures (pdf.py, import.py, diff.py, …) in its own process, then
bench/pages.py (which fills its own database ``s75_bench`` on first use and reuses it after; pass
--fresh to make it again), and prints the pages table with the other scripts' figures as further
rows. A script that fails is named in the table; the others still run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
NOT_SCRIPTS = {"run_all.py", "pages.py", "make_scale_data.py", "restore_drill.py", "load.py", "locustfile.py"}  # runner, pages, filler, drill, load (minutes of a quiet machine; run it alone)

PATTERNS = [
    # bench/pdf.py
    (re.compile(r"^(?P<label>Schedule 6 from the database|Agreement pack [^(]*?)\s*\(.*?\): (?P<figure>[\d.]+ s) "
                r"\(target <= (?P<target>[\d.]+ s)\) (?P<met>ok|OVER)"), "≤ {target}"),
    (re.compile(r"^(?P<label>Ratio to the floor): (?P<figure>[\d.]+ x) \(target <= (?P<target>[\d.]+ x)\) "
                r"(?P<met>ok|OVER)"), "≤ {target}"),
    (re.compile(r"^(?P<label>WeasyPrint alone[^(]*)\(.*?\): (?P<figure>[\d.]+ s)"), ""),
    # bench/import.py
    (re.compile(r"^(?P<label>(?:our |baseline).*?)\s{2,}(?P<rows>[\d,]+)\s+(?P<seconds>[\d.]+)\s+(?P<rate>[\d,]+)(?:\s|$)"), ""),
    (re.compile(r"^(?P<label>speed-up over the baseline): (?P<figure>.+)$"), ""),
    (re.compile(r"^(?P<label>peak memory)[^:]*: (?P<figure>[\d,.]+ MB)"), ""),
    # bench/diff.py
    (re.compile(r"^(?P<label>Word diff, [^(:]*?)\s*\(.*?\): (?P<figure>[\d.]+ s) \(target <= (?P<target>[\d.]+ s)\) "
                r"(?P<met>ok|OVER)"), "≤ {target}"),
    (re.compile(r"^(?P<label>(?:Old w|W)ord diff, [^(:]*?)\s*(?:\(.*?\))?: (?P<figure>[\d.]+ s)"), ""),
    (re.compile(r"^(?P<label>Speed-up, [^:]*): (?P<figure>[\d,]+ x)"), ""),
]
TARGETS = re.compile(r"^targets: (?P<rest>.+)$")


def rows_from(script: str, output: str) -> list[tuple[str, str, str, str]]:
    """(label, figure, target, met) rows from a script's printed figures; its last lines if none match."""
    rows = []
    for line in output.splitlines():
        line = line.strip()
        for pattern, target in PATTERNS:
            found = pattern.match(line)
            if not found:
                continue
            parts = found.groupdict()
            figure = parts.get("figure") or f"{parts['rate']} rows/s ({parts['seconds']} s)"
            met = {"ok": "yes", "OVER": "NO"}.get(parts.get("met", ""), "")
            rows.append((f"{script}: {parts['label'].strip()}", figure, target.format(**parts), met))
            break
        else:
            targets = TARGETS.match(line)
            if targets:
                for item in targets["rest"].split("; "):
                    name, _, verdict = item.rpartition(": ")
                    rows.append((f"{script}: target", "", name, "yes" if verdict == "met" else "NO"))
    if not rows:
        rows = [(f"{script}: {line.strip()}", "", "", "") for line in output.strip().splitlines()[-5:]]
    return rows


def main() -> int:
    argv = sys.argv[1:]
    fresh = "--fresh" in argv
    pages_args = [a for a in argv if a != "--fresh"]
    if not fresh and "--reuse" not in pages_args:
        pages_args.append("--reuse")
    extra: list[tuple[str, str, str, str]] = []
    for script in sorted(BENCH.glob("*.py")):
        if script.name in NOT_SCRIPTS:
            continue
        print(f"== bench/{script.name}", flush=True)
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
        print(done.stdout, end="", flush=True)
        if done.returncode != 0:
            print(done.stderr[-3000:], end="", file=sys.stderr)
            extra.append((f"{script.name}: FAILED (exit {done.returncode})", "", "", "NO"))
        else:
            extra += rows_from(script.name, done.stdout)

    print("== bench/pages.py", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "pages.json"
        done = subprocess.run([sys.executable, str(BENCH / "pages.py"), "--json", str(out), *pages_args],
                              capture_output=True, text=True)
        print(done.stdout, end="", flush=True)
        if done.returncode != 0 or not out.exists():
            print(done.stderr[-3000:], end="", file=sys.stderr)
            print("bench/pages.py failed; figures from the other scripts:")
            for label, figure, target, met in extra:
                print(f"  {label}: {figure} {target} {met}")
            return 1
        header = next((line for line in done.stdout.splitlines() if line.startswith("Pages at regional scale")), "")
        sys.path.insert(0, str(BENCH))
        from pages import Row, Timing, format_table

        rows = []
        for item in json.loads(out.read_text()):
            item["ours"] = Timing(**item["ours"])
            item["admin"] = Timing(**item["admin"]) if item["admin"] else None
            rows.append(Row(**item))
    print()
    print("== One table: every page beside its admin baseline, then the PDF, import and diff benches' figures")
    print(header)
    print(format_table(rows, extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
