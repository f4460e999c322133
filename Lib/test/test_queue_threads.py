# Concurrency checks for _queue.SimpleQueue, queue.Queue and contextvars:
# many threads, bounded time, invariants checked at the end.  Exit 0 = pass.
import contextvars
import decimal
import queue
import sys
import threading
import _queue

PRODUCERS = 4
CONSUMERS = 4
PER_PRODUCER = 3000
STOP = object()


def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)


def run_threads(threads):
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
        check(not t.is_alive(), "thread did not finish")


def exchange(q, get):
    """N producers x M consumers; every item must arrive exactly once."""
    received = [[] for _ in range(CONSUMERS)]

    def produce(p):
        for i in range(PER_PRODUCER):
            q.put((p, i))

    def consume(c):
        out = received[c]
        while True:
            item = get(q)
            if item is STOP:
                return
            out.append(item)

    consumers = [threading.Thread(target=consume, args=(c,))
                 for c in range(CONSUMERS)]
    producers = [threading.Thread(target=produce, args=(p,))
                 for p in range(PRODUCERS)]
    for t in consumers:
        t.start()
    run_threads(producers)
    for _ in consumers:
        q.put(STOP)
    for t in consumers:
        t.join(120)
        check(not t.is_alive(), "consumer did not finish")
    allitems = [x for r in received for x in r]
    check(len(allitems) == PRODUCERS * PER_PRODUCER,
          "lost or duplicated items: %d" % len(allitems))
    check(set(allitems) == {(p, i) for p in range(PRODUCERS)
                            for i in range(PER_PRODUCER)}, "wrong items")
    # each consumer sees each producer's items in order (FIFO)
    for r in received:
        for p in range(PRODUCERS):
            seq = [i for (pp, i) in r if pp == p]
            check(seq == sorted(seq), "FIFO order broken")
    check(q.empty(), "queue not empty at the end")


def get_blocking(q):
    return q.get()


def get_polling(q):
    while True:
        try:
            return q.get(timeout=0.001)
        except queue.Empty:
            pass


def get_nowait_spin(q):
    while True:
        try:
            return q.get_nowait()
        except queue.Empty:
            pass


exchange(_queue.SimpleQueue(), get_blocking)
exchange(_queue.SimpleQueue(), get_polling)
exchange(_queue.SimpleQueue(), get_nowait_spin)
exchange(queue.Queue(), get_blocking)
exchange(queue.Queue(maxsize=16), get_polling)
print("queues ok")

# -------------------------------------------------------------- contexts
var = contextvars.ContextVar("var", default="default")
var.set("main")

# a new thread starts with an empty context
seen = []
t = threading.Thread(target=lambda: seen.append(var.get()))
run_threads([t])
check(seen == ["default"], "new thread context not empty: %r" % seen)
check(var.get() == "main", "main context changed")

# each thread's sets are private to it
errors = []


def private(n):
    for i in range(2000):
        var.set((n, i))
        if var.get() != (n, i):
            errors.append((n, i, var.get()))


run_threads([threading.Thread(target=private, args=(n,)) for n in range(6)])
check(not errors, "thread saw another thread's value: %r" % errors[:3])
check(var.get() == "main", "main context changed by threads")

# a context passed to another thread and run there
ctx = contextvars.copy_context()
out = []
t = threading.Thread(target=lambda: out.append(ctx.run(var.get)))
run_threads([t])
check(out == ["main"], "context run in thread: %r" % out)

# two threads entering the same context: the second gets RuntimeError
shared = contextvars.Context()
entered = threading.Event()
release = threading.Event()


def holder():
    def inside():
        var.set("holder")
        entered.set()
        release.wait(60)
    shared.run(inside)


h = threading.Thread(target=holder)
h.start()
check(entered.wait(60), "holder did not enter")
try:
    shared.run(var.get)
except RuntimeError as e:
    check("is already entered" in str(e), "wrong message: %s" % e)
else:
    check(False, "second enter did not fail")
# reading a context entered by another thread is allowed
check(shared[var] == "holder", "read of entered context")
release.set()
h.join(60)
check(shared.run(var.get) == "holder", "re-enter after exit")

# concurrent claims: exactly one thread wins each round
for rnd in range(20):
    c = contextvars.Context()
    barrier = threading.Barrier(4)
    gate = threading.Event()
    results = []

    def claim():
        barrier.wait()
        try:
            c.run(gate.wait, 60)
            results.append("ran")
        except RuntimeError:
            results.append("refused")
            gate.set()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    run_threads(threads)
    # the winner ran; the losers were refused while it was inside, or ran
    # after it had left (the gate was already set)
    check(results.count("ran") >= 1, "nobody entered: %r" % results)
    check(len(results) == 4, "missing results")

# readers of a context while its owner keeps setting values
live = contextvars.Context()
stop = threading.Event()
reader_errors = []


def writer():
    def body():
        for i in range(5000):
            var.set(i)
    live.run(body)
    stop.set()


def reader():
    while not stop.is_set():
        try:
            v = live.get(var, -1)
            n = len(live)
            items = list(live.items())
            if not (v == -1 or isinstance(v, int)) or n > 1 or len(items) > 1:
                reader_errors.append((v, n, items))
            live.copy()
        except Exception as e:
            reader_errors.append(e)


run_threads([threading.Thread(target=writer)]
            + [threading.Thread(target=reader) for _ in range(3)])
check(not reader_errors, "reader errors: %r" % reader_errors[:3])
check(live[var] == 4999, "final value")

# decimal keeps its context in a ContextVar: per-thread precision
dec_errors = []


def dec_worker(prec):
    with decimal.localcontext() as lc:
        lc.prec = prec
        for _ in range(200):
            r = decimal.Decimal(1) / decimal.Decimal(7)
            if len(str(r)) - 2 != prec:
                dec_errors.append((prec, str(r)))
    if decimal.getcontext().prec != 28:
        dec_errors.append(("restore", decimal.getcontext().prec))


run_threads([threading.Thread(target=dec_worker, args=(p,))
             for p in (5, 10, 15, 20)])
check(not dec_errors, "decimal contexts mixed: %r" % dec_errors[:3])
check(decimal.getcontext().prec == 28, "main decimal context changed")
print("contexts ok")
