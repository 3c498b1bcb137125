#!/usr/bin/env python3
"""The issue-19 comparison: the same drawn squares in cpts-atlas, geopandas, DuckDB spatial and
PostGIS, in one run; whole job (load + 50 territories) and per territory (550 vs 50 squares).

Workload
--------
`benches/fixtures/squares-550.geojson`: 550 squares of 0.3 x 0.2 degree (about 22 x 22 km)
centred on communes of metropolitan France drawn with a fixed seed (`--write-squares` rebuilds
the file); the first 50 are "the 50 squares". For each square: the area-apportioned population
(every commune it meets counts population x share of its area inside the square; areas in an
equal-area plane: EPSG:6933 for the other tools, the same cylindrical equal-area projection as
cpts-atlas up to an area-preserving scaling; a lon/lat box is a rectangle in both, so the areas
are the same).

Tools
-----
* `cpts-atlas batch`: the CLI as a user runs it (`batch --input squares.geojson --threads 1`),
  the FULL diagnosis of each square (population, tiers, funding, overlaps with the shipped
  registry, health indicators), on the shipped data. Two data folders: `area` (the shipped data
  without `iris.cpat`: partly covered communes count by area, as the other tools do; the
  population check uses this one) and `iris` (all shipped data: partly covered communes count
  through their IRIS populations, a different, finer, figure).
* `cpts-atlas library`: the criterion bench `squares/*` of `benches/diagnosis.rs` (resolve and
  full diagnosis of the 50 squares in process, the load excluded), read from `target/criterion`
  when it was run (`cargo bench --bench diagnosis -- squares`).
* `geopandas`: `read_file`, `to_crs`, areas and the `sindex` at load; per square
  `sindex.query(predicate="intersects")`, `intersection().area`, a pandas sum.
* `duckdb`: DuckDB + spatial, 1 thread; `ST_Read`, `ST_Transform`, areas, an R-tree index at
  load; one SQL statement per square (the square projected with pyproj, inlined as WKB).
* `postgis`: PostgreSQL 15 + PostGIS 3 (Debian), a private cluster under /tmp on its own port;
  load = read the file, COPY, `ST_Transform`, areas, a GiST index, ANALYZE; one parameterized
  statement per square over the Unix socket (psycopg 3).

The other tools read `prepared-communes.geojson` (written by this script, untimed, under
`--work`): the IGN 2018 commune polygons dissolved into their COG 2026 commune with its legal
population, as cpts-atlas's import does for `data/france.cpat`. Every tool thus reads converted
data at load; each load includes reading that file, projecting, areas and the spatial index.

Timing: wall clock of the whole job (load + 50 squares) per tool; per territory =
(time of 550 squares - time of 50 squares) / 500, the load cancelled out. For the CLI both runs
are whole processes; `user+sys` CPU is printed beside the wall time (the machine may be shared:
the load average is printed with every figure).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import (  # noqa: E402
    COG_COMMUNES,
    COMMUNES_GEOJSON,
    REPO_ROOT,
    default_data_dir,
    duckdb_connect,
    equal_area_transformer,
    project_polygon,
    sql_str,
)

SQUARES = REPO_ROOT / "benches" / "fixtures" / "squares-550.geojson"
CRS = "EPSG:6933"
SEED = 19
HALF_W, HALF_H = 0.15, 0.10


def load_avg() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


# ---------------------------------------------------------------------------------------------
# Inputs (untimed)
# ---------------------------------------------------------------------------------------------


def write_squares(data: Path, n: int = 550) -> None:
    """550 squares centred on the bounding-box centres of communes of metropolitan France drawn
    with a fixed seed (deterministic file)."""
    import shapely

    doc = json.loads((data / COMMUNES_GEOJSON).read_text(encoding="utf-8"))
    centres = []
    for f in doc["features"]:
        code = f["properties"]["code"]
        if code.startswith("97") or f["geometry"] is None:
            continue
        x0, y0, x1, y1 = shapely.geometry.shape(f["geometry"]).bounds
        centres.append((code, round((x0 + x1) / 2, 3), round((y0 + y1) / 2, 3)))
    centres.sort()
    picked = random.Random(SEED).sample(centres, n)
    features = []
    for k, (code, x, y) in enumerate(picked):
        ring = [[round(x + dx, 3), round(y + dy, 3)] for dx, dy in
                [(-HALF_W, -HALF_H), (HALF_W, -HALF_H), (HALF_W, HALF_H), (-HALF_W, HALF_H),
                 (-HALF_W, -HALF_H)]]
        features.append({
            "type": "Feature",
            "properties": {"territory": f"sq{k + 1:03d}", "centre_commune": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        })
    out = {"type": "FeatureCollection", "features": features}
    SQUARES.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {SQUARES} ({n} squares)")


def read_squares(limit: int) -> tuple[dict, list]:
    import shapely.geometry

    doc = json.loads(SQUARES.read_text(encoding="utf-8"))
    doc["features"] = doc["features"][:limit]
    return doc, [shapely.geometry.shape(f["geometry"]) for f in doc["features"]]


def prepare_communes(data: Path, work: Path) -> Path:
    """IGN 2018 polygons dissolved into COG 2026 communes with their population (untimed)."""
    out = work / "prepared-communes.geojson"
    if out.exists():
        return out
    import shapely
    import shapely.geometry

    entries = json.loads((data / COG_COMMUNES).read_text(encoding="utf-8"))
    current = {e["code"]: e for e in entries if e.get("type") == "commune-actuelle"}
    successor = {}
    for e in current.values():
        for old in e.get("anciensCodes") or []:
            successor[old] = e["code"]
    parts: dict[str, list] = {}
    doc = json.loads((data / COMMUNES_GEOJSON).read_text(encoding="utf-8"))
    for f in doc["features"]:
        code = f["properties"]["code"]
        code = code if code in current else successor.get(code)
        if code is None or f["geometry"] is None:
            continue
        parts.setdefault(code, []).append(shapely.geometry.shape(f["geometry"]))
    features = []
    for code in sorted(parts):
        g = parts[code][0] if len(parts[code]) == 1 else shapely.union_all(parts[code])
        features.append({
            "type": "Feature",
            "properties": {"code": code, "population": current[code].get("population") or 0},
            "geometry": shapely.geometry.mapping(g),
        })
    out.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return out


# ---------------------------------------------------------------------------------------------
# cpts-atlas
# ---------------------------------------------------------------------------------------------


def run_cli(binary: Path, data_dir: Path, squares: dict, work: Path) -> tuple[float, float, float]:
    """(wall s, user+sys s, mean population) of one `batch` process over `squares`."""
    inp = work / f"squares-{len(squares['features'])}.geojson"
    inp.write_text(json.dumps(squares))
    out = work / "batch-out.csv"
    before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(binary), "batch", "--input", str(inp), "--output", str(out), "--threads", "1",
         "--data", str(data_dir)],
        capture_output=True, text=True,
    )
    wall = time.perf_counter() - t0
    after = os.times()
    if proc.returncode != 0:
        raise SystemExit(f"cpts-atlas batch failed: {proc.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system)
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    pops = [float(r["population"]) for r in rows]
    return wall, cpu, float(np.mean(pops))


def area_only_data(work: Path) -> Path:
    """The shipped data without the IRIS layer (symlinks): partly covered communes by area."""
    d = work / "data-area"
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    for entry in (REPO_ROOT / "data").iterdir():
        if entry.name != "iris.cpat" and not entry.name.startswith("territories.sqlite"):
            (d / entry.name).symlink_to(entry)
    return d


def criterion_mean_ms(name: str) -> float | None:
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO_ROOT / "target"))
    est = target / "criterion" / "squares" / name / "new" / "estimates.json"
    if not est.exists():
        return None
    return json.loads(est.read_text())["mean"]["point_estimate"] / 1e6


# ---------------------------------------------------------------------------------------------
# geopandas, DuckDB, PostGIS: load once, then one query per square
# ---------------------------------------------------------------------------------------------


def geopandas_tool(prepared: Path):
    import geopandas as gpd

    gdf = gpd.read_file(prepared).to_crs(CRS)
    gdf["population"] = gdf["population"].astype("float64")
    gdf["area_m2"] = gdf.geometry.area
    gdf.sindex.query(gdf.geometry.iloc[0])  # the STRtree is built lazily
    transformer = equal_area_transformer(CRS)

    def query(square) -> float:
        polygon = project_polygon(square, transformer)
        hits = gdf.iloc[gdf.sindex.query(polygon, predicate="intersects")]
        share = hits.geometry.intersection(polygon).area / hits["area_m2"]
        return float((hits["population"] * share).sum())

    return query, f"geopandas {gpd.__version__}"


def duckdb_tool(prepared: Path):
    import duckdb
    import shapely

    con = duckdb_connect(1)
    con.execute(f"""
        CREATE TABLE communes AS
        SELECT code, population::DOUBLE AS population, geom, ST_Area(geom) AS area_m2
        FROM (SELECT code, population,
                     ST_Transform(geom, 'EPSG:4326', {sql_str(CRS)}, always_xy := true) AS geom
              FROM ST_Read({sql_str(prepared.as_posix())}))
    """)
    con.execute("CREATE INDEX communes_rtree ON communes USING RTREE (geom)")
    transformer = equal_area_transformer(CRS)

    def query(square) -> float:
        hexwkb = shapely.to_wkb(project_polygon(square, transformer), hex=True)
        g = f"ST_GeomFromHEXWKB('{hexwkb}')"
        return float(con.execute(f"""
            SELECT coalesce(sum(population * ST_Area(ST_Intersection(geom, {g})) / area_m2), 0)
            FROM communes WHERE ST_Intersects(geom, {g})
        """).fetchone()[0])

    return query, f"duckdb {duckdb.__version__} + spatial, 1 thread"


class PostgisCluster:
    """A throw-away PostgreSQL cluster under `work`, run as the `postgres` user when root."""

    def __init__(self, work: Path, port: int):
        self.dir = work / "pg"
        self.port = port
        self.sock = work / "pg-sock"

    def _run(self, *cmd: str) -> None:
        bindir = Path("/usr/lib/postgresql/15/bin")
        full = [str(bindir / cmd[0]), *cmd[1:]]
        if os.geteuid() == 0:
            full = ["runuser", "-u", "postgres", "--", *full]
        subprocess.run(full, check=True, capture_output=True)

    def start(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
        for d in (self.dir, self.sock):
            d.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(d, "postgres", "postgres")
        self._run("initdb", "-D", str(self.dir), "-A", "trust", "-U", "postgres")
        self._run("pg_ctl", "-D", str(self.dir), "-l", str(self.dir / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.sock} -c listen_addresses='' "
                  "-c shared_buffers=128MB -c max_parallel_workers_per_gather=0", "start")

    def stop(self) -> None:
        if (self.dir / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.dir), "-m", "fast", "-w", "stop")

    def connect(self):
        import psycopg

        return psycopg.connect(host=str(self.sock), port=self.port, user="postgres",
                               dbname="postgres", autocommit=True)


def postgis_tool(prepared: Path, cluster: PostgisCluster):
    import pyogrio.raw
    import shapely

    con = cluster.connect()
    con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    _meta, _fids, wkb, fields = pyogrio.raw.read(prepared, columns=["code", "population"])
    con.execute("DROP TABLE IF EXISTS communes")
    con.execute("CREATE TABLE communes (code text, population float8, geom geometry)")
    with con.cursor().copy("COPY communes (code, population, geom) FROM STDIN") as copy:
        for code, pop, g in zip(fields[0], fields[1], wkb, strict=True):
            copy.write_row((code, float(pop), g.hex()))
    con.execute(f"""
        ALTER TABLE communes ALTER COLUMN geom TYPE geometry(MultiPolygon, 6933)
            USING ST_Multi(ST_Transform(ST_SetSRID(geom, 4326), 6933))
    """)
    con.execute("ALTER TABLE communes ADD COLUMN area_m2 float8")
    con.execute("UPDATE communes SET area_m2 = ST_Area(geom)")
    con.execute("CREATE INDEX communes_gist ON communes USING GIST (geom)")
    con.execute("ANALYZE communes")
    transformer = equal_area_transformer(CRS)
    sql = """
        SELECT coalesce(sum(population * ST_Area(ST_Intersection(geom, g)) / area_m2), 0)
        FROM communes, (SELECT ST_GeomFromWKB(%s, 6933) AS g) AS d
        WHERE ST_Intersects(geom, g)
    """
    cur = con.cursor()

    def query(square) -> float:
        wkb_bytes = shapely.to_wkb(project_polygon(square, transformer))
        cur.execute(sql, (wkb_bytes,), prepare=True)
        return float(cur.fetchone()[0])

    version = con.execute("SELECT postgis_lib_version(), version()").fetchone()
    return query, f"PostGIS {version[0]} ({version[1].split(',')[0]})"


def time_python_tool(name: str, setup, squares_50, squares_550) -> dict:
    t0 = time.perf_counter()
    query, note = setup()
    load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    pops = [query(s) for s in squares_50]
    t50 = time.perf_counter() - t1
    t2 = time.perf_counter()
    for s in squares_550:
        query(s)
    t550 = time.perf_counter() - t2
    return {
        "tool": name, "note": note, "load_s": load_s, "job_s": load_s + t50,
        "per_territory_ms": (t550 - t50) / (len(squares_550) - len(squares_50)) * 1e3,
        "mean_population": float(np.mean(pops)), "load_average": os.getloadavg()[0],
    }


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", type=Path, default=default_data_dir())
    p.add_argument("--work", type=Path, default=Path("/tmp/cpts-compare"))
    p.add_argument("--binary", type=Path, default=REPO_ROOT / "target" / "release" / "cpts-atlas")
    p.add_argument("--pg-port", type=int, default=8821)
    p.add_argument("--only", nargs="+", default=["cpts-atlas", "geopandas", "duckdb", "postgis"])
    p.add_argument("--cli-runs", type=int, default=3, help="runs of each batch (best kept)")
    p.add_argument("--write-squares", action="store_true", help="rebuild the squares fixture")
    p.add_argument("--json", type=Path)
    args = p.parse_args()
    if args.write_squares:
        write_squares(args.data_dir)
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    doc50, sq50 = read_squares(50)
    doc550, sq550 = read_squares(550)
    prepared = prepare_communes(args.data_dir, args.work)
    print(f"{os.cpu_count()} cores; {load_avg()} at the start; squares: {SQUARES.name}")
    results = []
    if "cpts-atlas" in args.only:
        for label, data_dir in (("area", area_only_data(args.work)),
                                ("iris", REPO_ROOT / "data")):
            best = {}
            for n, doc in ((50, doc50), (550, doc550)):
                runs = [run_cli(args.binary, data_dir, doc, args.work)
                        for _ in range(args.cli_runs)]
                best[n] = min(runs, key=lambda r: r[0])
            wall50, cpu50, pop50 = best[50]
            wall550, cpu550, _ = best[550]
            results.append({
                "tool": f"cpts-atlas batch ({label})",
                "note": f"user+sys {cpu50:.2f} s (50) / {cpu550:.2f} s (550), best of "
                        f"{args.cli_runs}",
                "load_s": None, "job_s": wall50,
                "per_territory_ms": (wall550 - wall50) / 500 * 1e3,
                "per_territory_cpu_ms": (cpu550 - cpu50) / 500 * 1e3,
                "mean_population": pop50, "load_average": os.getloadavg()[0],
            })
            print(f"  done: {results[-1]['tool']} ({load_avg()})", flush=True)
        diag = criterion_mean_ms("diagnose_with_health_50")
        resolve = criterion_mean_ms("resolve_50")
        if diag is not None:
            results.append({
                "tool": "cpts-atlas library (criterion)",
                "note": f"resolve of the 50: {resolve:.2f} ms" if resolve else "",
                "load_s": None, "job_s": None, "per_territory_ms": diag / 50,
                "mean_population": None, "load_average": None,
            })
    tools = {
        "geopandas": lambda: geopandas_tool(prepared),
        "duckdb": lambda: duckdb_tool(prepared),
    }
    cluster = None
    if "postgis" in args.only:
        cluster = PostgisCluster(args.work, args.pg_port)
        cluster.start()
        tools["postgis"] = lambda: postgis_tool(prepared, cluster)
    try:
        for name, setup in tools.items():
            if name in args.only:
                results.append(time_python_tool(name, setup, sq50, sq550))
                print(f"  done: {name} ({load_avg()})", flush=True)
    finally:
        if cluster:
            cluster.stop()

    ours = next((r for r in results if r["tool"] == "cpts-atlas batch (area)"), None)
    print(f"\n{'tool':32s} {'load s':>7s} {'job s':>7s} {'per sq. ms':>10s} "
          f"{'mean pop.':>10s} {'job x':>7s} {'per sq. x':>9s}")
    for r in results:
        job_x = (r["job_s"] / ours["job_s"]) if ours and r["job_s"] else None
        per_x = r["per_territory_ms"] / ours["per_territory_ms"] if ours else None

        def f(v, fmt):
            return format(v, fmt) if v is not None else "-"

        print(f"{r['tool']:32s} {f(r['load_s'], '7.2f')} {f(r['job_s'], '7.3f')} "
              f"{f(r['per_territory_ms'], '10.3f')} {f(r['mean_population'], '10.1f')} "
              f"{f(job_x, '7.1f')} {f(per_x, '9.1f')}  {r['note']}")
    pops = [r["mean_population"] for r in results
            if r["mean_population"] is not None and "(iris)" not in r["tool"]]
    spread = 100 * (max(pops) - min(pops)) / min(pops) if pops else 0.0
    agree = spread <= 0.5
    print(f"\nmean population spread (area-apportioned tools): {spread:.3f} % "
          f"({'OK' if agree else 'MORE THAN 0.5 %'}); {load_avg()} at the end")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
