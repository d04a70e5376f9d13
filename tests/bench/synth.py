"""SYNTHETIC policy tables for the benchmark — never real data, never shipped.

``write_table(n, seed)`` writes ``bench/SYNTHETIC-policies-<n>-seed<seed>.{csv,parquet}`` (the
top-level ``bench/`` folder is git-ignored) in the bundled table's input format, so the real
loader (``data.load.load_table``) reads it. Every row says it is synthetic: ``policy_id`` starts
with ``SYN``, ``title_en`` with ``[SYNTHETIC]``, ``source`` is ``SYNTHETIC benchmark row``.

What is realistic about it: places are drawn from the gazetteer with the bundled table's skew
(province weights from its row counts, a Zipf tail over cities and districts), issuing levels and
date precisions in the bundled table's proportions, dates 2016–2025 peaking in 2020–2021, 1–3
incentive categories (or none stated), a few stated amounts and government work reports.
Generation is vectorised and deterministic for ``(n, seed)``; files are cached by that key.

    python -m tests.bench.synth 1000 10000 --seed 7
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from data import schema
from geodata import gazetteer

REPO = Path(__file__).resolve().parents[2]
BENCH_DIR = REPO / "bench"
MARK = "SYNTHETIC"
SOURCE = "SYNTHETIC benchmark row — not a real policy"
COLUMNS = [
    "policy_id",
    "date_issued",
    "level",
    "province_zh",
    "city_zh",
    "district_zh",
    "issuing_body_zh",
    "issuing_body_en",
    "title_zh",
    "title_en",
    "policy_type",
    "stance",
    "incentives",
    "amount_cny",
    "sectors",
    "summary_en",
    "source",
]

# Bundled-table skew: rows per province (policies.csv), plus one so every mainland province occurs.
PROVINCE_ROWS = {
    "440000": 20, "320000": 15, "110000": 12, "310000": 8, "500000": 8, "430000": 8,
    "520000": 6, "330000": 6, "360000": 6, "370000": 5, "510000": 5, "410000": 5, "150000": 5,
    "460000": 4, "350000": 4, "530000": 4, "450000": 3, "130000": 3, "210000": 3, "630000": 3,
    "420000": 3, "220000": 2, "650000": 2, "120000": 1, "640000": 1, "340000": 1, "140000": 1,
    "620000": 1, "610000": 1,
}  # fmt: skip
LEVELS = {"national": 0.19, "provincial": 0.49, "city": 0.18, "district": 0.14}
PRECISION = {"day": 0.40, "month": 0.40, "year": 0.13, "undated": 0.07}
YEARS = np.arange(2016, 2026)
YEAR_WEIGHTS = np.array([2, 5, 6, 8, 20, 14, 9, 7, 5, 4], dtype=float)
TYPES = [c for c in schema.POLICY_TYPES if c != "unknown"]
TYPE_WEIGHTS = np.array([8, 20, 15, 25, 10, 6, 4, 12], dtype=float)
STANCES = {"support": 0.88, "regulate": 0.08, "restrict": 0.04}
INCENTIVES = [c for c in schema.INCENTIVES if c != "none-stated"]
INCENTIVE_WEIGHTS = np.array([6, 8, 4, 5, 9, 5, 10, 7, 3, 4, 6], dtype=float)
SECTORS = ["finance", "government-services", "manufacturing", "logistics", "judiciary", "energy"]
TOPICS_ZH = ["区块链产业发展", "数字经济", "区块链技术应用", "金融科技", "数字政府", "产业园建设"]
TOPICS_EN = ["blockchain industry", "digital economy", "blockchain applications", "fintech",
             "digital government", "industrial park development"]  # fmt: skip
TYPE_ZH = {c: schema.POLICY_TYPES[c].zh for c in TYPES}


def table_path(n: int, seed: int, fmt: str = "parquet") -> Path:
    return BENCH_DIR / f"{MARK}-policies-{n}-seed{seed}.{fmt}"


def _weights(w: np.ndarray) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    return w / w.sum()


def _places() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Mainland provinces with weights; their cities and districts with Zipf weights."""
    prov = gazetteer.provinces()
    prov = prov[~prov["adcode"].isin(["710000", "810000", "820000"])].copy()
    prov["w"] = prov["adcode"].map(PROVINCE_ROWS).fillna(0).to_numpy() + 1.0
    city = gazetteer.cities()
    city = city[city["province_adcode"].isin(prov["adcode"])].copy()
    city["rank"] = city.groupby("province_adcode").cumcount() + 1
    city["w"] = 1.0 / city["rank"] ** 1.1  # the capital (listed first) gets most
    dist = gazetteer.districts()
    dist = dist[dist["province_adcode"].isin(prov["adcode"])].copy()
    dist["rank"] = dist.groupby("parent_adcode").cumcount() + 1
    dist["w"] = 1.0 / dist["rank"] ** 0.8
    return prov.reset_index(drop=True), city.reset_index(drop=True), dist.reset_index(drop=True)


def _pick_within(rng: np.random.Generator, groups: pd.Series, weights: pd.Series, keys: np.ndarray):
    """For each key, the position of one row of its group, drawn by weight (-1 if no group)."""
    out = np.full(len(keys), -1, dtype=np.int64)
    by_group = pd.Series(np.arange(len(groups))).groupby(groups.to_numpy()).apply(np.asarray)
    for key, where in pd.Series(np.arange(len(keys))).groupby(keys).groups.items():
        members = by_group.get(key)
        if members is None:
            continue
        p = _weights(weights.to_numpy()[members])
        out[np.asarray(where)] = rng.choice(members, size=len(where), p=p)
    return out


def generate(n: int, seed: int = 42) -> pd.DataFrame:
    """``n`` synthetic rows in the bundled input format (``data/policies.csv`` columns)."""
    rng = np.random.default_rng(seed)
    prov, city, dist = _places()
    level = rng.choice(list(LEVELS), size=n, p=_weights(list(LEVELS.values())))
    p_pos = rng.choice(len(prov), size=n, p=_weights(prov["w"]))
    p_code = prov["adcode"].to_numpy()[p_pos]
    needs_city = np.isin(level, ["city", "district"])
    c_pos = np.full(n, -1, dtype=np.int64)
    c_pos[needs_city] = _pick_within(rng, city["province_adcode"], city["w"], p_code[needs_city])
    needs_dist = (level == "district") & (c_pos >= 0)
    d_pos = np.full(n, -1, dtype=np.int64)
    d_pos[needs_dist] = _pick_within(
        rng, dist["parent_adcode"], dist["w"], city["adcode"].to_numpy()[c_pos[needs_dist]]
    )
    national = level == "national"
    province_zh = np.where(national, "", prov["name_zh"].to_numpy()[p_pos])
    city_zh = np.where(c_pos >= 0, city["name_zh"].to_numpy()[np.maximum(c_pos, 0)], "")
    district_zh = np.where(d_pos >= 0, dist["name_zh"].to_numpy()[np.maximum(d_pos, 0)], "")
    level = np.where((level == "district") & (d_pos < 0), "city", level)

    year = rng.choice(YEARS, size=n, p=_weights(YEAR_WEIGHTS))
    month = rng.integers(1, 13, size=n)
    day = rng.integers(1, 29, size=n)
    prec = rng.choice(list(PRECISION), size=n, p=_weights(list(PRECISION.values())))
    y, m, d = (pd.Series(a).astype(str) for a in (year, month, day))
    m, d = m.str.zfill(2), d.str.zfill(2)
    date = np.select(
        [prec == "day", prec == "month", prec == "year"],
        [(y + "-" + m + "-" + d).to_numpy(), (y + "-" + m).to_numpy(), y.to_numpy()],
        "",
    )

    # incentives: none stated for 30 %, else 1–3 distinct categories
    k = np.where(rng.random(n) < 0.3, 0, rng.choice([1, 2, 3], size=n, p=[0.5, 0.35, 0.15]))
    keys = rng.random((n, len(INCENTIVES))) ** (1.0 / _weights(INCENTIVE_WEIGHTS))  # weighted
    order = np.argsort(-keys, axis=1)[:, :3]
    names = np.asarray(INCENTIVES, dtype=object)[order]
    inc = pd.Series(names[:, 0])
    for j in (1, 2):
        inc = inc.where(k <= j, inc + ";" + names[:, j])
    inc = inc.where(k > 0, "none-stated")

    ptype = rng.choice(TYPES, size=n, p=_weights(TYPE_WEIGHTS))
    stance = rng.choice(list(STANCES), size=n, p=_weights(list(STANCES.values())))
    topic = rng.integers(0, len(TOPICS_ZH), size=n)
    work_report = (rng.random(n) < 0.05) & ~national
    place = pd.Series(np.where(district_zh != "", district_zh, np.where(city_zh != "", city_zh,
                                                                        province_zh)))  # fmt: skip
    place = place.where(~national, "国家")
    serial = pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(7)
    title_zh = (
        place + "关于推进" + pd.Series(np.asarray(TOPICS_ZH)[topic]) + "的"
        + pd.Series([TYPE_ZH[t] for t in ptype]) + "（合成" + serial + "）"
    )  # fmt: skip
    title_zh = title_zh.where(~work_report, y + "年" + place + "政府工作报告（合成" + serial + "）")
    title_en = (
        "[SYNTHETIC] " + pd.Series(ptype).str.replace("-", " ") + " on "
        + pd.Series(np.asarray(TOPICS_EN)[topic]) + " no. " + serial
    )  # fmt: skip
    issuer_zh = place + "人民政府"
    issuer_en = pd.Series(np.where(national, "State Council (synthetic)", "People's Government "
                                   "(synthetic)"))  # fmt: skip
    amount = np.where(rng.random(n) < 0.06, rng.integers(1, 500, size=n) * 1_000_000, 0)
    sectors = pd.Series(np.asarray(SECTORS)[rng.integers(0, len(SECTORS), size=n)])
    sectors = sectors.where(rng.random(n) < 0.6, "")
    return pd.DataFrame(
        {
            "policy_id": "SYN" + serial,
            "date_issued": date,
            "level": level,
            "province_zh": province_zh,
            "city_zh": city_zh,
            "district_zh": district_zh,
            "issuing_body_zh": issuer_zh,
            "issuing_body_en": issuer_en,
            "title_zh": title_zh,
            "title_en": title_en,
            "policy_type": ptype,
            "stance": stance,
            "incentives": inc,
            "amount_cny": pd.Series(amount).astype(str).where(amount > 0, ""),
            "sectors": sectors,
            "summary_en": "[SYNTHETIC] generated for benchmarking; describes no real policy.",
            "source": SOURCE,
        },
        columns=COLUMNS,
    )


def write_table(n: int, seed: int = 42, fmt: str = "parquet", force: bool = False) -> Path:
    """Write (or reuse the cached) synthetic table of ``n`` rows; returns its path."""
    path = table_path(n, seed, fmt)
    if path.exists() and not force:
        return path
    BENCH_DIR.mkdir(exist_ok=True)
    (BENCH_DIR / "README-SYNTHETIC.txt").write_text(
        "Files here are SYNTHETIC tables written by tests/bench/synth.py for benchmarking.\n"
        "They describe no real policy. Never copy them into data/.\n",
        encoding="utf-8",
    )
    df = generate(n, seed)
    tmp = path.with_suffix(path.suffix + ".tmp")
    if fmt == "csv":
        df.to_csv(tmp, index=False, encoding="utf-8")
    else:
        df.to_parquet(tmp, index=False)
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sizes", nargs="+", type=int)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--format", choices=("csv", "parquet"), default="parquet")
    p.add_argument("--force", action="store_true")
    args = p.parse_args(argv)
    for n in args.sizes:
        print(write_table(n, args.seed, args.format, args.force))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
