"""Thread scaling: 1 thread doing W vs K threads doing W each.

Run with any Python that has `subprocess` (the host's python3.11):

    python3.11 Tools/bench/threads_scaling.py [--python ./python] [-k 2]
        [-n ITERATIONS] [-r RUNS]

For each interpreter (Plait's ./python and python3.11) it times, in a fresh
process, the pure-Python loop of Tools/demo/parallel.py on 1 thread and on K
threads (each thread the same W iterations), RUNS times each, and prints
the median times and speed-up = K * T1 / TK (K is perfect scaling; CPython
3.11 with its GIL gets about 1.0).  Also prints CPU-time / wall-time of the
K-thread run (near K when the threads really run at once) and the CPU cost
ratio CPU_K / (K * CPU_1): near 1.0 when threads do not slow each other
down (no contended cache line); unlike wall times it stays meaningful on a
loaded machine.

The inner measurement (`--inner K W`) uses only `_thread` and `time`, so it
runs on Plait before `threading` imports.  Not a test: numbers depend on
the machine's load.
"""
import sys
import time

import _thread


def work(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def inner(k, w):
    """Runs k threads doing w iterations each; prints wall and CPU time."""
    done = [_thread.allocate_lock() for _ in range(k)]
    for lk in done:
        lk.acquire()

    def body(lk):
        try:
            work(w)
        finally:
            lk.release()

    c0 = time.process_time()
    t0 = time.perf_counter()
    for lk in done:
        _thread.start_new_thread(body, (lk,))
    for lk in done:
        lk.acquire()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(wall, cpu)


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def measure(python, k, w, runs):
    """Median (wall, cpu) of `runs` fresh-process runs of inner(k, w)."""
    import subprocess
    walls, cpus = [], []
    for _ in range(runs):
        out = subprocess.run([python, __file__, "--inner", str(k), str(w)],
                             check=True, capture_output=True, text=True)
        wall, cpu = map(float, out.stdout.split())
        walls.append(wall)
        cpus.append(cpu)
    return median(walls), median(cpus)


def main(argv):
    import argparse
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser()
    p.add_argument("--python", default=os.path.join(here, "..", "..",
                                                      "python"))
    p.add_argument("--host", default="python3.11")
    p.add_argument("-k", type=int, default=2)
    p.add_argument("-n", type=int, default=3_000_000)
    p.add_argument("-r", "--runs", type=int, default=3)
    a = p.parse_args(argv)
    print(f"work per thread W={a.n} iterations, K={a.k}, median of "
          f"{a.runs} runs, {os.cpu_count()} cpus, load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"{'interpreter':<28}{'T1 (s)':>9}{'TK (s)':>9}"
          f"{'speed-up':>10}{'cpu/wall':>10}{'cpu cost':>10}")
    for python in (a.python, a.host):
        t1, c1 = measure(python, 1, a.n, a.runs)
        tk, ck = measure(python, a.k, a.n, a.runs)
        print(f"{python:<28}{t1:>9.2f}{tk:>9.2f}"
              f"{a.k * t1 / tk:>9.2f}x{ck / tk:>10.2f}"
              f"{ck / (a.k * c1):>10.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--inner":
        inner(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main(sys.argv[1:])
