# _queue.SimpleQueue and queue.Queue, single-threaded behaviour and errors.
import queue
import _queue
import time
import threading


def show(label, f):
    try:
        r = f()
    except Exception as e:
        print(label, "->", type(e).__name__, repr(str(e)))
    else:
        print(label, "->", r)


print(queue.Empty is _queue.Empty, queue.SimpleQueue is _queue.SimpleQueue)
print(_queue.Empty.__mro__)
print(_queue.Empty.__module__, _queue.SimpleQueue.__module__)
print(_queue.SimpleQueue[int])

q = _queue.SimpleQueue()
print(q.empty(), q.qsize())
show("get_nowait empty", q.get_nowait)
show("get block=False", lambda: q.get(False))
show("get timeout=0.01", lambda: q.get(timeout=0.01))
show("get timeout=0", lambda: q.get(True, 0))
show("get timeout=-0.0", lambda: q.get(timeout=-0.0))
show("get timeout=-1", lambda: q.get(timeout=-1))
show("get timeout=-1.5", lambda: q.get(True, -1.5))
show("get timeout str", lambda: q.get(timeout="a"))
show("get timeout nan", lambda: q.get(True, float("nan")))
show("get timeout huge", lambda: q.get(True, 1e300))
show("get timeout huge int", lambda: q.get(True, 10 ** 30))
show("nonblocking ignores timeout", lambda: q.get(False, -1))
show("get bad kw", lambda: q.get(x=1))
show("get 3 args", lambda: q.get(1, 2, 3))
show("get_nowait arg", lambda: q.get_nowait(1))
show("put no item", lambda: q.put())
show("put 4 args", lambda: q.put(1, 2, 3, 4))
show("put_nowait no item", lambda: q.put_nowait())
show("SimpleQueue(1)", lambda: _queue.SimpleQueue(1))
show("SimpleQueue(x=1)", lambda: _queue.SimpleQueue(x=1))

for i in range(5):
    q.put(i)
q.put(5, block=False, timeout=-5)
q.put_nowait(6)
q.put(item=7)
q.put_nowait(item=8)
print(q.empty(), q.qsize())
print([q.get() for _ in range(3)], q.get(False), q.get_nowait(),
      q.get(timeout=1), q.get(True, 0))
print(q.qsize(), q.get(block=True), q.get(), q.qsize(), q.empty())

# growth and wrap-around of the ring buffer keep FIFO order
out = []
for rnd in range(50):
    for i in range(rnd):
        q.put((rnd, i))
    for i in range(rnd // 2):
        out.append(q.get())
while not q.empty():
    out.append(q.get())
print(len(out), out == sorted(out))

# None and the queue itself can be stored
q.put(None)
q.put(q)
print(q.get() is None, q.get() is q)

# a blocked get() is woken by a put from another thread
def later():
    time.sleep(0.05)
    q.put("late")
t = threading.Thread(target=later)
t.start()
print(q.get(timeout=10))
t.join()

# subclasses
class MyQ(_queue.SimpleQueue):
    def __init__(self, n):
        for i in range(n):
            self.put(i)
m = MyQ(3)
print(m.qsize(), m.get(), type(m).__name__)

# queue.Queue (pure Python over threading.Condition)
Q = queue.Queue(maxsize=2)
Q.put(1)
Q.put(2)
show("Queue full", lambda: Q.put(3, timeout=0.01))
show("Queue put_nowait full", lambda: Q.put_nowait(3))
print(Q.get(), Q.get(), Q.qsize())
show("Queue empty", lambda: Q.get(timeout=0.01))
L = queue.LifoQueue()
P = queue.PriorityQueue()
for x in (3, 1, 2):
    L.put(x)
    P.put(x)
print([L.get() for _ in range(3)], [P.get() for _ in range(3)])

import gc
q2 = _queue.SimpleQueue()
q2.put(q2)
del q2
gc.collect()
print("done")

import weakref
import pickle
wq = _queue.SimpleQueue()
r = weakref.ref(wq)
print(r() is wq)
del wq
gc.collect()
print(r() is None)
show("pickle SimpleQueue", lambda: pickle.dumps(_queue.SimpleQueue()))
