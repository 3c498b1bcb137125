#!/usr/bin/env python3
"""Comparison benchmark: the `resolve/drawn_50` workload of cpts-atlas in geopandas, shapely and
DuckDB spatial.

Workload ("area-apportioned population of a drawn territory")
------------------------------------------------------------
Given the drawn polygon of `benches/fixtures/drawn-50.geojson` (WGS84, around Aix-en-Provence)
and the polygons of every French commune with its legal population:

1. project the drawn polygon to an equal-area CRS (it arrives in WGS84, as it would from a map;
   every variant does this per query with one prebuilt pyproj transformer);
2. find every commune it intersects (spatial index first, then an exact predicate);
3. compute, for each one, the share of the commune's area that lies inside the polygon
   (areas in an equal-area CRS, never in degrees²);
4. sum population x share.

This is what `Atlas::resolve(TerritorySpec::Drawn(..))` does in cpts-atlas (the criterion bench
`resolve/drawn_50` in `benches/diagnosis.rs`), which projects with a Lambert cylindrical
equal-area projection of the WGS84 ellipsoid (standard parallel 0°). The default CRS here is
EPSG:6933, the same projection with standard parallel 30°: the two differ by an area-preserving
affine scaling (x·k, y/k), so polygons with straight projected edges have exactly the same areas
and the population matches cpts-atlas to the inhabitant. `--crs EPSG:3035` (LAEA Europe, also
equal-area) gives about 0.02 % less: the drawn polygon's 30 km edges are straight lines in a
different plane, so it is a very slightly different polygon.

What is timed
-------------
* "load": reading the raw files, projecting every commune, joining populations, computing each
  commune's area and building the spatial index. Done ONCE per tool and reported separately.
  (cpts-atlas's own load reads its pre-converted `data/france.cpat`, not the raw GeoJSON, so
  its load time is not comparable with these and is not claimed to be.)
* "query": steps 1-4 above for one territory, repeated many times after a warm-up; we report
  the median, p95, min and mean in milliseconds. Each query returns the per-commune rows
  (code, share) and the total, like cpts-atlas returns one member per commune.

Variants
--------
* `geopandas`        : projected GeoDataFrame prepared once; per query
                       `gdf.sindex.query(polygon, predicate="intersects")`, then
                       `GeoSeries.intersection(polygon).area / area`, then pandas sum.
* `shapely`          : the same with bare shapely 2 arrays and an STRtree (no pandas).
* `shapely+inside`   : shapely, plus the shortcut cpts-atlas uses: a commune lying wholly inside
                       the polygon (prepared `contains_properly`) counts share 1 without
                       computing an intersection; only the communes on the boundary are clipped.
* `duckdb-rtree`     : DuckDB + spatial extension; table projected at load (ST_Transform with
                       always_xy), `CREATE INDEX ... USING RTREE`; per query one SQL statement
                       with ST_Intersects / ST_Intersection / ST_Area. The plan is checked to
                       use RTREE_INDEX_SCAN. The drawn polygon is projected with pyproj and
                       inlined as hex WKB: an ST_Transform in the statement costs 2-6 ms
                       (EPSG:6933) to 27-190 ms (EPSG:3035) by itself, as PROJ is set up again
                       per statement (the script measures and prints it).
* `duckdb-bbox`      : the same without the R-tree: precomputed bounding-box columns as the
                       prefilter, then ST_Intersects.

Data
----
Read from `<repo>/../shared/data` (override with --data-dir or CPTS_SHARED_DATA):
* `communes-2018-ign/communes-france-entiere-2018-simplifiee.geojson` (properties code, nom);
* `cog-2026/communes.json` (entries of type `commune-actuelle`: code, population).
The polygons are COG 2018 and the populations COG 2026. cpts-atlas dissolves the polygons of
merged communes into their current commune; here we join on `code` directly. Around Aix-en-
Provence no commune hit by the polygon was merged between 2018 and 2026 (the script checks this
and prints it), so for this workload the direct join gives the same communes as cpts-atlas.

Run
---
    python3 -m venv /tmp/venv && . /tmp/venv/bin/activate
    pip install -r benches/compare/requirements.txt
    python3 benches/compare/compare.py            # --help for options
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

# ---------------------------------------------------------------------------------------------
# Paths and reference values
# ---------------------------------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE = REPO_ROOT / "benches" / "fixtures" / "drawn-50.geojson"
COMMUNES_GEOJSON = Path("communes-2018-ign") / "communes-france-entiere-2018-simplifiee.geojson"
COG_COMMUNES = Path("cog-2026") / "communes.json"

# What cpts-atlas answers for the same polygon:
#   cpts-atlas diagnose --geojson benches/fixtures/drawn-50.geojson --format json
# at commits 0a87964 and c6ed9f1 alike: "population": 415810 (rounded; the sum of the members'
# population_counted is 415809.64), 56 communes of which 31 partly covered, 1285.48 km².
CPTS_ATLAS_POPULATION = 415_809.64
CPTS_ATLAS_COMMUNES = 56
CPTS_ATLAS_AREA_KM2 = 1285.48

# Same thresholds as src/engine/territory/resolve.rs: a share below MIN_COVERAGE is a touching boundary,
# not a member; a share above 1 - FULL_COVERAGE_SLACK is a whole commune.
MIN_COVERAGE = 1e-6
FULL_COVERAGE_SLACK = 1e-6


def default_data_dir() -> Path:
    env = os.environ.get("CPTS_SHARED_DATA")
    return Path(env) if env else REPO_ROOT / ".." / "shared" / "data"


# ---------------------------------------------------------------------------------------------
# Results and timing helpers
# ---------------------------------------------------------------------------------------------


@dataclass
class QueryResult:
    """What one territory query returns: per-commune codes and shares, and the total."""

    codes: list[str]
    shares: np.ndarray  # share of each commune's area inside the polygon, 0..1
    populations: np.ndarray  # legal population of each commune (0 if unknown)
    covered_m2: np.ndarray  # area of each commune inside the polygon, m²

    @property
    def population(self) -> float:
        return float(np.dot(self.populations, self.shares))

    @property
    def members(self) -> int:
        return int(np.count_nonzero(self.shares >= MIN_COVERAGE))

    @property
    def partial(self) -> int:
        s = self.shares
        return int(np.count_nonzero((s >= MIN_COVERAGE) & (s <= 1.0 - FULL_COVERAGE_SLACK)))

    @property
    def area_km2(self) -> float:
        return float(self.covered_m2.sum() / 1e6)


@dataclass
class Variant:
    name: str
    load_s: float = 0.0
    index_s: float = 0.0  # part of load_s spent building the spatial index
    times_ms: list[float] = field(default_factory=list)
    result: QueryResult | None = None
    note: str = ""


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def bench(query: Callable[[], QueryResult], reps: int, warmup: int) -> list[float]:
    """Runs `query` warmup + reps times; returns the timed durations in milliseconds."""
    for _ in range(warmup):
        query()
    gc.collect()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        query()
        times.append((time.perf_counter_ns() - t0) / 1e6)
    return times


def summary(times_ms: list[float]) -> dict[str, float]:
    a = np.asarray(times_ms)
    return {
        "median": float(np.median(a)),
        "p95": float(np.percentile(a, 95)),
        "min": float(a.min()),
        "mean": float(a.mean()),
    }


# ---------------------------------------------------------------------------------------------
# Inputs shared by all variants (not timed)
# ---------------------------------------------------------------------------------------------


def read_drawn_polygon(path: Path):
    """The drawn territory as a shapely geometry in WGS84 (lon, lat)."""
    import shapely.geometry

    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("type") == "FeatureCollection":
        doc = doc["features"][0]
    if doc.get("type") == "Feature":
        doc = doc["geometry"]
    return shapely.geometry.shape(doc)


def read_populations(path: Path) -> dict[str, int]:
    """COG 2026 legal populations of current communes, by code."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {
        e["code"]: int(e["population"])
        for e in entries
        if e.get("type") == "commune-actuelle" and e.get("population") is not None
    }


def equal_area_transformer(crs: str):
    """WGS84 -> `crs`, in (x=lon/easting, y=lat/northing) order whatever the CRS's axis order.

    EPSG:4326 is officially (lat, lon) and EPSG:3035 (northing, easting); always_xy avoids
    such swaps. (Areas would not change with swapped axes, but bounding boxes would be nonsense.)
    """
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def project_polygon(polygon, transformer):
    """Projects a (small) shapely geometry with a prebuilt pyproj transformer."""
    import shapely

    def fn(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(polygon, fn)


# ---------------------------------------------------------------------------------------------
# Variant 1: geopandas
# ---------------------------------------------------------------------------------------------


def setup_geopandas(data: Path, crs: str, drawn_wgs84) -> tuple[Variant, Callable[[], QueryResult]]:
    import geopandas as gpd
    import pandas as pd

    v = Variant("geopandas")
    t0 = time.perf_counter()
    # pyogrio is geopandas' default reader (GDAL, bundled in the pyogrio wheel).
    gdf = gpd.read_file(data / COMMUNES_GEOJSON, columns=["code"])
    gdf = gdf.to_crs(crs)
    pops = pd.DataFrame(
        list(read_populations(data / COG_COMMUNES).items()), columns=["code", "population"]
    )
    gdf = gdf.merge(pops, on="code", how="left")
    gdf["population"] = gdf["population"].fillna(0).astype("float64")
    gdf["area_m2"] = gdf.geometry.area
    t1 = time.perf_counter()
    _ = gdf.sindex  # geopandas builds its STRtree lazily: force it now, not in the first query
    gdf.sindex.query(gdf.geometry.iloc[0])
    v.index_s = time.perf_counter() - t1
    v.load_s = time.perf_counter() - t0
    transformer = equal_area_transformer(crs)

    def query() -> QueryResult:
        polygon = project_polygon(drawn_wgs84, transformer)
        idx = gdf.sindex.query(polygon, predicate="intersects")
        hits = gdf.iloc[idx]
        covered = hits.geometry.intersection(polygon).area
        share = covered / hits["area_m2"]
        _total = (hits["population"] * share).sum()  # the figure a user wants
        return QueryResult(
            hits["code"].tolist(),
            share.to_numpy(),
            hits["population"].to_numpy(),
            covered.to_numpy(),
        )

    v.note = f"geopandas {gpd.__version__}, pandas {pd.__version__}"
    return v, query


# ---------------------------------------------------------------------------------------------
# Variants 2 and 3: shapely 2 + STRtree, without pandas
# ---------------------------------------------------------------------------------------------


def load_shapely_arrays(data: Path, crs: str):
    """Reads the commune polygons into shapely arrays (pyogrio raw reader, no pandas)."""
    import pyogrio.raw
    import shapely

    _meta, _fids, wkb, fields = pyogrio.raw.read(data / COMMUNES_GEOJSON, columns=["code"])
    codes = np.asarray(fields[0], dtype=object)
    geoms = shapely.from_wkb(wkb)
    transformer = equal_area_transformer(crs)
    geoms = shapely.transform(
        geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )
    populations = read_populations(data / COG_COMMUNES)
    pops = np.array([populations.get(c, 0) for c in codes], dtype=np.float64)
    areas = shapely.area(geoms)
    return codes, geoms, pops, areas, transformer


def setup_shapely(
    data: Path, crs: str, drawn_wgs84, inside_shortcut: bool
) -> tuple[Variant, Callable[[], QueryResult]]:
    import shapely

    v = Variant("shapely+inside" if inside_shortcut else "shapely")
    t0 = time.perf_counter()
    codes, geoms, pops, areas, transformer = load_shapely_arrays(data, crs)
    t1 = time.perf_counter()
    tree = shapely.STRtree(geoms)
    tree.query(geoms[0])  # the tree is built lazily on first use
    v.index_s = time.perf_counter() - t1
    v.load_s = time.perf_counter() - t0

    def query() -> QueryResult:
        polygon = project_polygon(drawn_wgs84, transformer)
        idx = tree.query(polygon, predicate="intersects")  # index + exact predicate
        hit_geoms = geoms[idx]
        covered = shapely.area(shapely.intersection(hit_geoms, polygon))
        share = covered / areas[idx]
        total = float(np.dot(pops[idx], share))  # noqa: F841 — the figure a user wants
        return QueryResult(codes[idx].tolist(), share, pops[idx], covered)

    def query_inside() -> QueryResult:
        polygon = project_polygon(drawn_wgs84, transformer)
        shapely.prepare(polygon)
        idx = tree.query(polygon, predicate="intersects")
        hit_geoms = geoms[idx]
        # Communes wholly inside the polygon need no clipping (what cpts-atlas does too).
        inside = shapely.contains_properly(polygon, hit_geoms)
        covered = areas[idx].copy()
        border = ~inside
        covered[border] = shapely.area(shapely.intersection(hit_geoms[border], polygon))
        share = covered / areas[idx]
        total = float(np.dot(pops[idx], share))  # noqa: F841
        return QueryResult(codes[idx].tolist(), share, pops[idx], covered)

    v.note = f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string})"
    return v, (query_inside if inside_shortcut else query)


# ---------------------------------------------------------------------------------------------
# Variants 4 and 5: DuckDB + spatial extension
# ---------------------------------------------------------------------------------------------


def duckdb_connect(threads: int | None):
    """An in-memory DuckDB with the spatial extension loaded.

    The extension normally comes from DuckDB's extension repository (`INSTALL spatial`), which is
    not reachable here; the PyPI package `duckdb-extension-spatial` ships the same signed binary
    for one DuckDB version, which we LOAD by path with signature checking left ON.
    """
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    try:
        con.execute("LOAD spatial")  # already installed (e.g. from the extension repository)
    except duckdb.Error:
        import duckdb_extension_spatial  # type: ignore[import-not-found]

        base = Path(duckdb_extension_spatial.__file__).parent / "extensions"
        ext = base / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
        if not ext.exists():
            found = sorted(base.glob("*/spatial.duckdb_extension"))
            raise SystemExit(
                f"duckdb-extension-spatial ships {[str(p.parent.name) for p in found]}, "
                f"not v{duckdb.__version__}: pin both packages to the same version"
            ) from None
        con.execute(f"LOAD '{ext.as_posix()}'")
    return con


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def setup_duckdb(
    data: Path, crs: str, drawn_wgs84, use_rtree: bool, threads: int | None
) -> tuple[Variant, Callable[[], QueryResult]]:
    import duckdb

    v = Variant("duckdb-rtree" if use_rtree else "duckdb-bbox")
    t0 = time.perf_counter()
    con = duckdb_connect(threads)
    geojson = sql_str((data / COMMUNES_GEOJSON).as_posix())
    cog = sql_str((data / COG_COMMUNES).as_posix())
    # ST_Read (GDAL inside the extension) reads (lon, lat); always_xy keeps (x=lon, y=lat) in and
    # (x=easting, y=northing) out, instead of the authority axis orders (EPSG:4326 is lat, lon;
    # EPSG:3035 northing, easting).
    con.execute(
        f"""
        CREATE TABLE communes AS
        WITH src AS (
            SELECT code,
                   ST_Transform(geom, 'EPSG:4326', {sql_str(crs)}, always_xy := true) AS geom
            FROM ST_Read({geojson})
        ),
        pop AS (
            SELECT code, population::DOUBLE AS population
            FROM read_json({cog}, maximum_object_size = 100000000)
            WHERE type = 'commune-actuelle' AND population IS NOT NULL
        )
        SELECT src.code,
               coalesce(pop.population, 0) AS population,
               ST_Area(src.geom) AS area_m2,
               ST_XMin(src.geom) AS xmin, ST_YMin(src.geom) AS ymin,
               ST_XMax(src.geom) AS xmax, ST_YMax(src.geom) AS ymax,
               src.geom
        FROM src LEFT JOIN pop USING (code)
        """
    )
    t1 = time.perf_counter()
    if use_rtree:
        con.execute("CREATE INDEX communes_rtree ON communes USING RTREE (geom)")
    v.index_s = time.perf_counter() - t1
    v.load_s = time.perf_counter() - t0

    transformer = equal_area_transformer(crs)

    def sql_for(polygon_hex_wkb: str) -> str:
        # The projected polygon is inlined as a constant: DuckDB's optimizer turns
        # `ST_Intersects(geom, <constant>)` into an R-tree index scan only for constants.
        g = f"ST_GeomFromHEXWKB('{polygon_hex_wkb}')"
        if use_rtree:
            return f"""
                SELECT code, population, ST_Area(ST_Intersection(geom, {g})) AS covered, area_m2
                FROM communes
                WHERE ST_Intersects(geom, {g})
            """
        # No index: the bounding-box columns prefilter, then the exact predicate.
        return f"""
            WITH d AS (SELECT {g} AS g),
            b AS (SELECT g, ST_XMin(g) AS x0, ST_YMin(g) AS y0, ST_XMax(g) AS x1, ST_YMax(g) AS y1
                  FROM d)
            SELECT code, population, ST_Area(ST_Intersection(geom, b.g)) AS covered, area_m2
            FROM communes, b
            WHERE xmax >= b.x0 AND xmin <= b.x1 AND ymax >= b.y0 AND ymin <= b.y1
              AND ST_Intersects(geom, b.g)
        """

    def projected_hex() -> str:
        # The drawn polygon arrives in WGS84 and is projected per query, as in the other
        # variants, with the same prebuilt pyproj transformer: ST_Transform inside the
        # statement would cost far more than the whole query (see `duckdb_transform_cost`).
        import shapely

        return shapely.to_wkb(project_polygon(drawn_wgs84, transformer), hex=True)

    plan = "\n".join(
        str(row[1]) for row in con.execute("EXPLAIN " + sql_for(projected_hex())).fetchall()
    )
    uses_rtree = "RTREE_INDEX_SCAN" in plan
    if use_rtree and not uses_rtree:
        print("WARNING: duckdb-rtree plan does not use the R-tree index:\n" + plan, file=sys.stderr)

    def query() -> QueryResult:
        rows = con.execute(sql_for(projected_hex())).fetchall()
        codes = [r[0] for r in rows]
        pops = np.array([r[1] for r in rows], dtype=np.float64)
        covered = np.array([r[2] for r in rows], dtype=np.float64)
        area = np.array([r[3] for r in rows], dtype=np.float64)
        return QueryResult(codes, covered / area, pops, covered)

    threads_used = con.execute("SELECT current_setting('threads')").fetchone()[0]
    spatial_version = con.execute(
        "SELECT extension_version FROM duckdb_extensions() WHERE extension_name = 'spatial'"
    ).fetchone()[0]
    v.note = (
        f"duckdb {duckdb.__version__}, spatial {spatial_version}, threads={threads_used}, "
        f"plan uses R-tree: {uses_rtree}"
    )
    return v, query


def duckdb_transform_cost(crs: str, drawn_wgs84, reps: int = 10) -> float:
    """Median ms of one DuckDB statement that only projects the 11-vertex drawn polygon.

    Measured because it explains why the DuckDB variants project the polygon with pyproj: each
    statement calling ST_Transform with CRS strings sets up a PROJ transformation again.
    """
    con = duckdb_connect(None)
    sql = (
        f"SELECT ST_AsWKB(ST_Transform(ST_GeomFromText({sql_str(drawn_wgs84.wkt)}), "
        f"'EPSG:4326', {sql_str(crs)}, always_xy := true))"
    )
    con.execute(sql).fetchall()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        con.execute(sql).fetchall()
        times.append((time.perf_counter_ns() - t0) / 1e6)
    con.close()
    return float(np.median(times))


# ---------------------------------------------------------------------------------------------
# Merged-commune check and the Rust reference
# ---------------------------------------------------------------------------------------------


def merged_commune_check(data: Path, hit_codes: list[str]) -> str:
    """Says whether joining COG 2018 polygons on code is exact for the communes hit.

    It is not exact for a hit commune whose 2018 code no longer exists (a merged-away commune:
    cpts-atlas maps it to its successor) or for a current commune that absorbed others (its 2018
    polygon is only part of it: cpts-atlas dissolves the parts).
    """
    entries = json.loads((data / COG_COMMUNES).read_text(encoding="utf-8"))
    current = {e["code"]: e for e in entries if e.get("type") == "commune-actuelle"}
    gone = [c for c in hit_codes if c not in current]
    absorbed = [c for c in hit_codes if c in current and current[c].get("anciensCodes")]
    if not gone and not absorbed:
        return (
            f"none of the {len(hit_codes)} communes hit was merged between COG 2018 and "
            "COG 2026: joining on code is exact here"
        )
    return (
        f"WARNING: former codes hit {gone}, current communes that absorbed others {absorbed}: "
        "joining on code differs from cpts-atlas for these"
    )


def rust_reference() -> str | None:
    """The last `cargo bench --bench diagnosis` result for resolve/drawn_50, if there is one
    (in `$CARGO_TARGET_DIR` or `<repo>/target`).

    Criterion times batches of iterations; its samples are batch means, so the p95 over samples
    is of means, slightly narrower than a p95 over single runs.
    """
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO_ROOT / "target"))
    if not target.is_absolute():
        target = REPO_ROOT / target
    sample = target / "criterion" / "resolve" / "drawn_50" / "new" / "sample.json"
    if not sample.exists():
        return None
    s = json.loads(sample.read_text())
    per_iter_ms = [t / n / 1e6 for t, n in zip(s["times"], s["iters"], strict=True)]
    st = summary(per_iter_ms)
    return (
        f"cpts-atlas (criterion, {len(per_iter_ms)} samples, {int(sum(s['iters']))} runs): "
        f"median {st['median']:.3f} ms, p95 {st['p95']:.3f} ms (of sample means), "
        f"min {st['min']:.3f} ms — from {sample}"
    )


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

ALL_VARIANTS = ["geopandas", "shapely", "shapely+inside", "duckdb-rtree", "duckdb-bbox"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", type=Path, default=default_data_dir(),
                   help="the shared data folder (default: <repo>/../shared/data or "
                        "$CPTS_SHARED_DATA)")
    p.add_argument("--fixture", type=Path, default=FIXTURE, help="drawn polygon (GeoJSON)")
    p.add_argument("--crs", default="EPSG:6933",
                   help="equal-area CRS for the areas (default EPSG:6933, cylindrical equal-area "
                        "like cpts-atlas; EPSG:3035 LAEA Europe also works)")
    p.add_argument("--reps", type=int, default=300, help="timed queries per variant")
    p.add_argument("--warmup", type=int, default=20, help="untimed queries first")
    p.add_argument("--only", nargs="+", choices=ALL_VARIANTS, default=ALL_VARIANTS)
    p.add_argument("--duckdb-threads", type=int, default=None,
                   help="DuckDB threads (default: DuckDB's own, = cores)")
    p.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = p.parse_args()

    data = args.data_dir
    for f in (data / COMMUNES_GEOJSON, data / COG_COMMUNES, args.fixture):
        if not f.exists():
            print(f"missing input: {f} (see benches/compare/README.md)", file=sys.stderr)
            return 2

    drawn = read_drawn_polygon(args.fixture)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, numpy {np.__version__}; load average "
          f"{os.getloadavg()[0]:.2f} (other processes competing for the cores skew every number)")
    print(f"polygon: {args.fixture.name}, {len(drawn.exterior.coords) - 1} vertices; "
          f"areas in {args.crs}; {args.reps} timed queries after {args.warmup} warm-up\n")

    variants: list[Variant] = []
    for name in args.only:
        gc.collect()
        if name == "geopandas":
            v, q = setup_geopandas(data, args.crs, drawn)
        elif name in ("shapely", "shapely+inside"):
            v, q = setup_shapely(data, args.crs, drawn, inside_shortcut=name == "shapely+inside")
        else:
            v, q = setup_duckdb(data, args.crs, drawn, use_rtree=name == "duckdb-rtree",
                                threads=args.duckdb_threads)
        v.result = q()
        v.times_ms = bench(q, args.reps, args.warmup)
        st = summary(v.times_ms)
        r = v.result
        print(f"{v.name:15s} query median {st['median']:7.3f} ms  p95 {st['p95']:7.3f} ms  "
              f"min {st['min']:7.3f} ms | load {v.load_s:6.2f} s (index {v.index_s:5.3f} s)")
        diff = r.population - CPTS_ATLAS_POPULATION
        print(f"{'':15s} population {r.population:10.1f} ({diff:+.1f}"
              f" = {100 * diff / CPTS_ATLAS_POPULATION:+.3f} % vs cpts-atlas), "
              f"{r.members} communes ({r.partial} partial), {r.area_km2:.2f} km² covered")
        print(f"{'':15s} {v.note}")
        variants.append(v)
        del q
        gc.collect()

    # Cross-checks: populations agree with each other and with cpts-atlas.
    pops = [v.result.population for v in variants if v.result]
    spread = 100 * (max(pops) - min(pops)) / min(pops)
    print(f"\ncpts-atlas (reference): population {CPTS_ATLAS_POPULATION}, "
          f"{CPTS_ATLAS_COMMUNES} communes, {CPTS_ATLAS_AREA_KM2} km²")
    worst = max(abs(p / CPTS_ATLAS_POPULATION - 1) * 100 for p in pops)
    agree = spread < 0.5 and worst < 0.5
    print(f"spread between the tools here: {spread:.4f} %; largest difference from cpts-atlas: "
          f"{worst:.4f} % ({'OK' if agree else 'MORE THAN 0.5 %'})")
    first = variants[0].result
    hit = sorted({c for c, s in zip(first.codes, first.shares, strict=True) if s >= MIN_COVERAGE})
    print("merged communes: " + merged_commune_check(data, hit))
    if any(v.name.startswith("duckdb") for v in variants):
        ms = duckdb_transform_cost(args.crs, drawn)
        print(f"duckdb: one statement doing only ST_Transform of the drawn polygon takes "
              f"{ms:.1f} ms (why the polygon is projected with pyproj in the DuckDB variants)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    ref = rust_reference()
    print(ref or "cpts-atlas timing: run `cargo bench --bench diagnosis -- 'resolve/drawn_50$'`"
                 " first to print it here")

    if args.json:
        out = {
            "crs": args.crs,
            "reps": args.reps,
            "cpts_atlas_population": CPTS_ATLAS_POPULATION,
            "variants": [
                {
                    "name": v.name,
                    "note": v.note,
                    "load_s": v.load_s,
                    "index_s": v.index_s,
                    "query_ms": summary(v.times_ms),
                    "population": v.result.population,
                    "communes": v.result.members,
                    "partial": v.result.partial,
                    "area_km2": v.result.area_km2,
                }
                for v in variants
            ],
        }
        args.json.write_text(json.dumps(out, indent=2) + "\n")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
