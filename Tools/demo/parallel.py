"""N threads doing pure-Python CPU work at once.

Runs the same amount of work on 1 thread, then split over N threads, and
prints the wall-clock times and the speed-up.  On Plait (no GIL) the speed-up
approaches the number of cores; on CPython 3.11 it stays near 1.
"""
import os
import sys
import threading
import time


def work(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def run(nthreads, per_thread):
    threads = [threading.Thread(target=work, args=(per_thread,))
               for _ in range(nthreads)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def main():
    n = os.cpu_count() or 2
    per_thread = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    one = run(1, per_thread * n)
    many = run(n, per_thread)
    impl = sys.implementation.name
    print(f"{impl}: same work on 1 thread: {one:.2f}s; on {n} threads: "
          f"{many:.2f}s; speed-up {one / many:.2f}x on {n} cores")


if __name__ == "__main__":
    main()
