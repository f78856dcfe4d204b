"""PyTorch (CPU, 1 thread) on the workloads of the JMH benchmarks, for side-by-side ratios.

Run: /usr/bin/python3 bench/torch_kernels.py   (Debian's python3-torch; apt-get install -y python3-torch)
Prints one line per workload: name, median time per call, and GFLOP/s or GB/s (same accounting
as io.sparkfunc.bench.Work: 2n^3 flops per n x n matmul; 3N, 2N, N elements moved by add,
exp/tanh, sum). Timing follows shared/bench/torch_anchor.py: warm, calibrate, median of 7.
"""
import statistics, time, torch

torch.set_num_threads(1)
torch.manual_seed(0)


def bench(fn, reps=7, min_time=1.0):
    fn()
    t0 = time.perf_counter(); n = 0
    while time.perf_counter() - t0 < 0.3:
        fn(); n += 1
    per = max(1, int(n * min_time / 0.3 / reps))
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(per):
            fn()
        times.append((time.perf_counter() - t) / per)
    return statistics.median(times)


for dtype, name in ((torch.float32, "f32"), (torch.float64, "f64")):
    for n in (64, 256, 1024):
        a, b = torch.rand(n, n, dtype=dtype) * 2 - 1, torch.rand(n, n, dtype=dtype) * 2 - 1
        c = torch.empty(n, n, dtype=dtype)
        t = bench(lambda: torch.mm(a, b, out=c))
        print(f"mm {name} n={n}\t{t * 1e3:.4f} ms\t{2 * n ** 3 / t / 1e9:.1f} GFLOP/s", flush=True)
    N = 1_000_000
    x, z = torch.rand(N, dtype=dtype) * 2 - 1, torch.rand(N, dtype=dtype) * 2 - 1
    y = torch.empty(N, dtype=dtype)
    elt = x.element_size()
    for op, fn, arrays in (("add", lambda: torch.add(x, z, out=y), 3),
                           ("exp", lambda: torch.exp(x, out=y), 2),
                           ("tanh", lambda: torch.tanh(x, out=y), 2),
                           ("sum", lambda: torch.sum(x), 1)):
        t = bench(fn)
        print(f"{op} {name} N=1e6 (out=)\t{t * 1e3:.4f} ms\t{arrays * N * elt / t / 1e9:.1f} GB/s", flush=True)
    for op, fn, arrays in (("add", lambda: x + z, 3), ("exp", lambda: x.exp(), 2), ("tanh", lambda: x.tanh(), 2)):
        t = bench(fn)
        print(f"{op} {name} N=1e6 (new tensor)\t{t * 1e3:.4f} ms\t{arrays * N * elt / t / 1e9:.1f} GB/s", flush=True)
