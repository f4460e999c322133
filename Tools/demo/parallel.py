"""N threads doing pure-Python CPU work at once.

Runs the same amount of work on 1 thread, then split over N threads, and
prints the wall-clock times and the speed-up.  On Plait (no GIL) the speed-up
approaches the number of cores; on CPython 3.11 it stays near 1.

Uses `threading` when it can be imported; otherwise (while Plait's stdlib
support is still growing) the low-level `_thread` module with locks, which
measures exactly the same thing.  The output says which one was used.

Usage: parallel.py [ITERATIONS_PER_THREAD [NTHREADS]]
"""
import sys
import time

try:
    import threading
except ImportError:
    threading = None
import _thread


def cpu_count():
    """os.cpu_count(), or /proc/cpuinfo, or 2."""
    try:
        import os
        return os.cpu_count() or 2
    except ImportError:
        pass
    try:
        with open("/proc/cpuinfo") as f:
            n = sum(1 for line in f if line.startswith("processor"))
        return n or 2
    except Exception:
        return 2


def work(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def run_threading(nthreads, per_thread):
    threads = [threading.Thread(target=work, args=(per_thread,))
               for _ in range(nthreads)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def run_thread_module(nthreads, per_thread):
    done = [_thread.allocate_lock() for _ in range(nthreads)]
    for lk in done:
        lk.acquire()

    def body(lk):
        try:
            work(per_thread)
        finally:
            lk.release()

    t0 = time.perf_counter()
    for lk in done:
        _thread.start_new_thread(body, (lk,))
    for lk in done:
        lk.acquire()
    return time.perf_counter() - t0


def main():
    per_thread = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    n = int(sys.argv[2]) if len(sys.argv) > 2 else cpu_count()
    run = run_threading if threading is not None else run_thread_module
    api = "threading" if threading is not None else "_thread"
    one = run(1, per_thread * n)
    many = run(n, per_thread)
    impl = sys.implementation.name
    print(f"{impl} ({api}): same work on 1 thread: {one:.2f}s; on {n} "
          f"threads: {many:.2f}s; speed-up {one / many:.2f}x on {n} cores")


if __name__ == "__main__":
    main()
