"""Reads a GeoParquet file with pyarrow (a reader we did not write) for tests/exports.rs.

Prints JSON: the column names and types, every row's non-geometry values, the `geo` file
metadata, and for each geometry its WKB byte order and type code (None when null).
"""
import json
import struct
import sys

import pyarrow.parquet as pq

table = pq.read_table(sys.argv[1])
geo = json.loads(pq.read_metadata(sys.argv[1]).metadata[b"geo"])
columns = [c for c in table.column_names if c != "geometry"]
wkb = [
    None if g is None else list(struct.unpack("<BI", g[:5]))
    for g in table.column("geometry").to_pylist()
]
print(json.dumps({
    "schema": {f.name: str(f.type) for f in table.schema},
    "rows": table.select(columns).to_pylist(),
    "geo": geo,
    "wkb": wkb,
}))
