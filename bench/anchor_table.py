"""Joins torch_anchor.py's output (torch-f32.txt, torch-f64.txt) with JMH's TransformBench
results (jmh.json) in one directory and prints the Markdown ratio table of anchor-compare.sh.
Standard library only."""
import json, re, sys, pathlib

# torch_anchor.py line prefix -> TransformBench workload id, in the script's order
NAMES = [("W1 ", "W1"), ("W2 linreg psgrad d=5 ", "W2d5"), ("W2 linreg psgrad d=100 ", "W2d100"),
         ("W3 mlp", "W3"), ("W3-loop", "W3loop"), ("W4 ", "W4"), ("W5a", "W5a"), ("W5b", "W5b"),
         ("W5c", "W5c"), ("W6a", "W6a"), ("W6b", "W6b"), ("W7", "W7"), ("W8", "W8"),
         ("W9a", "W9a"), ("W9b", "W9b")]

def torch_ms(path):
    ms = {}
    for line in path.read_text().splitlines():
        for prefix, wid in NAMES:
            if line.startswith(prefix):
                ms[wid] = (float(re.split(r"\t", line)[1].split()[0]), line.split("\t")[0])
    return ms

def jmh_ms(path):
    ms = {}
    for r in json.loads(path.read_text()):
        p = r["params"]
        ms[(p["workload"], p["dtype"])] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"])
    return ms

def main(d):
    d = pathlib.Path(d)
    ours = jmh_ms(d / "jmh.json")
    rows = ["| id | workload | dtype | sparkfunc ms/call | PyTorch ms/call | speedup |",
            "| --- | --- | --- | ---: | ---: | ---: |"]
    for dt in ("f32", "f64"):
        theirs = torch_ms(d / f"torch-{dt}.txt")
        for _, wid in NAMES:
            if wid not in theirs:
                continue
            if (wid, dt) not in ours:
                rows.append(f"| {wid} | {theirs[wid][1]} | {dt} | failed (see the JMH log) | {theirs[wid][0]:.3f} | - |")
                continue
            (o, err), (t, name) = ours[(wid, dt)], theirs[wid]
            mark = "" if t / o >= 2 else " (< 2x)"
            rows.append(f"| {wid} | {name} | {dt} | {o:.3f} ± {err:.3f} | {t:.3f} | {t / o:.2f}x{mark} |")
    load = (d / "load.txt").read_text().strip().splitlines() if (d / "load.txt").exists() else []
    print("\n".join(rows))
    print("\nLoad average (1/5/15 min): " + "; ".join(load))

if __name__ == "__main__":
    main(sys.argv[1])
