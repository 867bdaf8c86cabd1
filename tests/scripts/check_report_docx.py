#!/usr/bin/env python3
"""Opens an assessment report (DOCX) with python-docx and checks it against what the
end-to-end test expects: one table row per input, each with its sender, summary and
outcome, and headings in Word's heading styles.

Usage: check_report_docx.py REPORT.docx EXPECTED.json
EXPECTED: {"rows": {"<number>": {"from": "...", "summary": "...", "outcome": "..."}},
           "headings": ["...", ...]}
Prints "ok" and exits 0, or says what is wrong and exits 1.
"""
import json
import sys

try:
    import docx  # python-docx (Debian: python3-docx)
except ImportError:
    sys.exit("python-docx is missing: apt-get install python3-docx "
             "(or pip install --break-system-packages python-docx)")


def main():
    path, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    document = docx.Document(path)
    problems = []

    # Paragraphs without a style of their own have none (docx-rs marks no default).
    headings = [p.text for p in document.paragraphs
                if p.style is not None and p.style.name.startswith("Heading")]
    for heading in expected["headings"]:
        if heading not in headings:
            problems.append(f"no heading {heading!r} in {headings!r}")

    # The first table counts inputs per outcome; every later one lists inputs.
    if len(document.tables) < 2:
        problems.append(f"expected a summary table and input tables, found {len(document.tables)}")
    rows = {}
    for table in document.tables[1:]:
        header = [c.text for c in table.rows[0].cells]
        if len(header) != 7:
            problems.append(f"an input table has {len(header)} columns: {header!r}")
            continue
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            if cells[0] in rows:
                problems.append(f"input {cells[0]} has more than one row")
            rows[cells[0]] = cells
    want = expected["rows"]
    if sorted(rows) != sorted(want):
        problems.append(f"rows for inputs {sorted(rows)!r}, expected {sorted(want)!r}")
    for number, fields in want.items():
        cells = rows.get(number)
        if cells is None:
            continue
        got = {"from": cells[1], "summary": cells[2], "outcome": cells[3]}
        for key, value in fields.items():
            if got[key] != value:
                problems.append(f"input {number}: {key} is {got[key]!r}, expected {value!r}")

    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
