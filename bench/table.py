"""The benchmark's one table, with ratios and the goals it flags (bench/run.py prints it and writes
it to bench/results.md)."""

from bench.pages import KEY

GOALS = """Flags: Q  the query count at SCALE differs from 1x;  T  time at SCALE over 1.5x the time at 1x;
      P  page time over 3x its own SQL time (the rest is Python: templates, decryption, serialising);
      L  a key page under 10% of the signed-in floor's throughput, or its p95 under 4 users >= 150 ms;
      C  the national quarterly report compiles in >= 10 s at SCALE;
      M  a web worker over 200 MB RSS after the pages, or the report worker over 400 MB."""


def page_rows(small: dict, large: dict, scale: int) -> list[str]:
    head = (
        f"{'page':24} {'q 1x':>5} {f'q {scale}x':>6} {'med 1x':>8} {f'med {scale}x':>9} {'ratio':>6} "
        f"{f'p95 {scale}x':>9} {'SQL ms':>7}  flags"
    )
    lines = [head, "-" * len(head)]
    for label, one in small.items():
        big = large[label]
        ratio = big["median"] / one["median"] if one["median"] else 0
        flags = ("Q" if big["q"] != one["q"] else "") + ("T" if ratio > 1.5 else "")
        flags += "P" if big["median"] > 3 * big["sql"] else ""
        lines.append(
            f"{label:24} {one['q']:5d} {big['q']:6d} {one['median']:8.1f} {big['median']:9.1f} "
            f"{ratio:6.2f} {big['p95']:9.1f} {big['sql']:7.1f}  {flags}"
        )
    return lines


def load_rows(load: dict, rss: list[float], scale: int) -> list[str]:
    floor = load["floor: signed in"]["rps"]
    lines = [
        f"Throughput at {scale}x under gunicorn (3 workers), 4 concurrent users:",
        f"{'target':24} {'req/s':>7} {'% floor':>8} {'median':>8} {'p95':>7}  flags",
    ]
    for label, row in load.items():
        share = 100 * row["rps"] / floor
        flag = "L" if label in KEY and (share < 10 or row["p95"] >= 150) else ""
        lines.append(
            f"{label:24} {row['rps']:7.1f} {share:7.1f}% {row['median']:8.1f} {row['p95']:7.1f}  {flag}"
        )
    worst = max(rss) if rss else 0
    lines.append(
        f"web workers' RSS after the pages: {', '.join(f'{r:.0f}' for r in rss)} MB"
        f"{'  M' if worst > 200 else ''}"
    )
    return lines


def compile_rows(small: dict, large: dict, scale: int) -> list[str]:
    slow = "  C" if large["compile_s"] >= 10 else ""
    heavy = "  M" if large["rss_mb"] > 400 else ""
    return [
        f"National quarterly report compiled (read, XLSX, PDF): 1x {small['compile_s']:.1f} s, "
        f"{scale}x {large['compile_s']:.1f} s{slow}",
        f"report worker peak RSS: 1x {small['rss_mb']:.0f} MB, {scale}x {large['rss_mb']:.0f} MB{heavy}",
    ]
