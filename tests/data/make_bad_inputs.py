"""Write the hostile-file corpus in tests/data/bad_inputs/ (run once; the files are committed).

    .venv/bin/python tests/data/make_bad_inputs.py

Each file is something a finance officer could upload by mistake or an attacker on purpose.
tests/security/test_hostile_files.py checks each is refused quickly with a clear message,
without a stack trace, writing nothing, with memory bounded.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent / "bad_inputs"
HEADER = "Financial year,Service,Partner,Budget type,Amount (£),Status,Ring-fenced public health,Notes\n"


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    ["Financial year", "Service", "Partner", "Budget type", "Amount (£)", "Status"],
    ["2018/19", "Health visiting", "Haringey Council", "Aligned", 4388588, "Confirmed"],
    ["2018/19", "School nursing", "Haringey Council", "Aligned", 644000, "Confirmed"],
]


def shared_strings_bomb() -> bytes:
    """A valid-looking xlsx whose sharedStrings.xml expands to about 300 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        source = zipfile.ZipFile(io.BytesIO(xlsx(GOOD_ROWS)))
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        chunk = "<si><t>" + "A" * 1000 + "</t></si>"
        body = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(body.encode())
            block = (chunk * 1000).encode()
            for _ in range(300):
                part.write(block)
            part.write(b"</sst>")
    return buffer.getvalue()


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    good = xlsx(GOOD_ROWS)
    rng = random.Random(75)
    files: dict[str, bytes] = {
        "truncated.xlsx": good[: len(good) // 2],
        "html-renamed.xlsx": b"<!DOCTYPE html><html><body><table><tr><td>Health visiting</td></tr></table></body></html>",
        "pdf-renamed.xlsx": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        "zip-without-workbook.xlsx": _zip({"hello.txt": b"not a workbook"}),
        "shared-strings-bomb.xlsx": shared_strings_bomb(),
        "formulas.xlsx": xlsx([GOOD_ROWS[0], ["2018/19", "Health visiting", "Haringey Council", "Aligned",
                                              "=SUM(1,2)*1000000", "Confirmed"],
                               ["2018/19", "School nursing", "Haringey Council", "Aligned",
                                '=HYPERLINK("http://example.invalid","click")', "Confirmed"]]),
        "huge-numbers.csv": (HEADER + "2018/19,Health visiting,Haringey Council,Aligned,1e30,Confirmed,No,\n"
                             "2018/19,School nursing,Haringey Council,Aligned,"
                             "99999999999999999999999999999,Confirmed,No,\n").encode(),
        "dates-in-amounts.xlsx": xlsx([GOOD_ROWS[0], ["2018/19", "Health visiting", "Haringey Council", "Aligned",
                                                      __import__("datetime").date(2018, 4, 1), "Confirmed"]]),
        "one-megabyte-cell.csv": (HEADER + "2018/19," + "H" * 1_048_576
                                  + ",Haringey Council,Aligned,100,Confirmed,No,\n").encode(),
        "control-characters.csv": (HEADER + "2018/19,Health\x00visiting\x1b[31m,Haringey Council,Aligned,100,"
                                   "Confirmed,No,bell\x07\n").encode(),
        "right-to-left-and-combining.csv": (HEADER + "2018/19,Health visiting,\u202eliocnuoC yegniraH,Aligned,100,"
                                            "Confirmed,No,\n2018/19,School nursing,Hari\u0301ngey Counci\u0308l,"
                                            "Aligned,100,Confirmed,No,\n").encode(),
        "mixed-encodings.csv": HEADER.encode() + "2018/19,Health visiting,Haringey Council,Aligned,£100,".encode()
        + b"Confirmed,No,caf\xe9 \xa3 note\n",
        "headers-only.csv": HEADER.encode(),
        "empty.csv": b"",
        "only-a-bom.csv": b"\xef\xbb\xbf",
        "binary-garbage.csv": bytes(rng.randrange(256) for _ in range(4096)),
        "wrong-columns.csv": b"Name,Address,Postcode\nA,B,C\n",
        "negative-amounts.csv": (HEADER + "2018/19,Health visiting,Haringey Council,Aligned,-4388588,"
                                 "Confirmed,No,\n").encode(),
        "duplicate-lines.csv": (HEADER + "2018/19,Health visiting,Haringey Council,Aligned,1,Confirmed,No,\n" * 2)
        .encode(),
        "unknown-partner.csv": (HEADER + "2018/19,Health visiting,Haringey Counsil,Aligned,1,Confirmed,No,\n").encode(),
        "bad-financial-year.csv": (HEADER + "2018/20,Health visiting,Haringey Council,Aligned,1,Confirmed,No,\n"
                                   "April,School nursing,Haringey Council,Aligned,1,Confirmed,No,\n").encode(),
        "thousands-of-columns.csv": (",".join(f"Column {i}" for i in range(20_000)) + "\n").encode(),
        "csv-that-is-an-image.csv": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2048)),
    }
    for name, content in files.items():
        (HERE / name).write_bytes(content)
    print(f"Wrote {len(files)} files to {HERE}")


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


if __name__ == "__main__":
    main()
