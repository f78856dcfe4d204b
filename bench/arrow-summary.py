#!/usr/bin/env python3
"""Summarizes a sample-time JMH run of ArrowPerSampleGradBench (its jmh.json) as a Markdown table.

For each (model, d) and benchmark: the median over all samples of all forks, and the range of
the per-fork medians (min-max), in microseconds; then arrow/heap and arrowCompute/heapCompute as
the ratio of the overall medians, with the range of ratios over fork pairs (fork i of one
benchmark against fork i of the other). Usage: bench/arrow-summary.py jmh.json
"""
import json
import sys


def median(hist):
    """Median of a list of [value, count] pairs."""
    pairs = sorted(hist)
    total = sum(c for _, c in pairs)
    if total == 0:
        return float("nan")
    half, seen = (total - 1) / 2.0, 0
    lo = hi = None
    for v, c in pairs:
        if lo is None and seen + c > int(half):
            lo = v
        if seen + c > int(half + 0.5):
            hi = v
            break
        seen += c
    return (lo + hi) / 2.0


def main(path):
    runs = {}
    for e in json.load(open(path)):
        name = e["benchmark"].rsplit(".", 1)[1]
        key = (e["params"]["model"], int(e["params"]["d"]))
        forks = e["primaryMetric"]["rawDataHistogram"]  # [fork][iteration][[value, count]...]
        per_fork = [median([p for it in f for p in it]) for f in forks]
        every = median([p for f in forks for it in f for p in it])
        runs.setdefault(key, {})[name] = (every, per_fork)
    names = ["heap", "arrow", "heapCompute", "arrowCompute"]
    print("| model | d | " + " | ".join(n + " (fork range)" for n in names)
          + " | arrow / heap (fork pairs) | arrowCompute / heapCompute (fork pairs) |")
    print("| --- | ---: |" + " ---: |" * (len(names) + 2))
    for (model, d) in sorted(runs):
        r = runs[(model, d)]
        cells = []
        for n in names:
            if n in r:
                every, pf = r[n]
                cells.append("%.0f (%.0f-%.0f)" % (every, min(pf), max(pf)))
            else:
                cells.append("")
        for num, den in (("arrow", "heap"), ("arrowCompute", "heapCompute")):
            if num in r and den in r:
                pairs = [a / b for a, b in zip(r[num][1], r[den][1])]
                cells.append("**%.2f** (%.2f-%.2f)" % (r[num][0] / r[den][0], min(pairs), max(pairs)))
            else:
                cells.append("")
        print("| %s | %d | %s |" % (model, d, " | ".join(cells)))


if __name__ == "__main__":
    main(sys.argv[1])
