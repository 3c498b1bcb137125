#!/usr/bin/env python3
"""Convert ARS Normandie's synthesis workbook to the CSV fixture `cpts-atlas check-supply` reads.

Usage (once, when the .xls changes):
    python3 -m venv /tmp/xls && /tmp/xls/bin/pip install xlrd==2.0.2
    /tmp/xls/bin/python tools/xls_to_csv.py \
        ../shared/data/directories/normandie-ars-2021/Synthe_TSNormandie20210306.xls \
        tests/fixtures/normandie-synthese-ts-2021.csv

The sheet GLOBAL has French labels on row 1 and technical names on row 2 (num_bass_vie,
libbassin, poptot, nb_omni, dens_omni, ...); the CSV keeps the technical names as its header and
every value as published (full precision).
"""
import csv
import sys

import xlrd


def main(src: str, dst: str) -> None:
    sheet = xlrd.open_workbook(src).sheet_by_name("GLOBAL")
    with open(dst, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        out.write(
            "# source: ARS Normandie, Synthe_TSNormandie20210306.xls (sheet GLOBAL), "
            "converted by tools/xls_to_csv.py\n"
        )
        for r in range(1, sheet.nrows):
            writer.writerow([repr(v) if isinstance(v, float) else v for v in sheet.row_values(r)])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
