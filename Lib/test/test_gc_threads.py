# Eight threads build and drop cycles of objects with __del__ while the
# main thread collects in a loop: every finalizer runs exactly once.
import _thread
import gc
import time

NTHREADS = 8
NCYCLES = 2000

lock = _thread.allocate_lock()
finalized = [0]
done = [0]


class Node:
    def __del__(self):
        with lock:
            finalized[0] += 1


def worker():
    for i in range(NCYCLES):
        a = Node()
        b = Node()
        a.other = b
        b.other = a
        if i % 500 == 0:
            gc.collect()
    with lock:
        done[0] += 1


for _ in range(NTHREADS):
    _thread.start_new_thread(worker, ())
while True:
    with lock:
        if done[0] == NTHREADS:
            break
    gc.collect()
    time.sleep(0.001)
gc.collect()
gc.collect()
print("finalized:", finalized[0], "expected:", 2 * NTHREADS * NCYCLES)
print("second collect finds nothing new:", gc.collect() == 0)
