# Tests of the _thread module: threads doing pure-Python work on shared
# lists, dicts and objects with exact invariants at the end, lock semantics
# and timeouts, RLock, and thread-local isolation.  Uses only _thread and
# time so it runs before `threading` is importable.  Exits non-zero on the
# first failure; runs the same on python3.11.
import _thread
import sys
import time

NTHREADS = 8
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run_threads(func, n=NTHREADS, timeout=60.0):
    """Starts n threads running func(index) and waits for all of them."""
    done = [_thread.allocate_lock() for _ in range(n)]
    for lk in done:
        lk.acquire()

    def body(i):
        try:
            func(i)
        finally:
            done[i].release()

    for i in range(n):
        _thread.start_new_thread(body, (i,))
    deadline = time.monotonic() + timeout
    for lk in done:
        left = deadline - time.monotonic()
        if left <= 0 or not lk.acquire(True, left):
            print("FAIL: threads did not finish in time")
            sys.exit(1)


def test_counter_under_lock():
    lock = _thread.allocate_lock()
    state = {"n": 0}
    iters = 5000

    def work(i):
        for _ in range(iters):
            with lock:
                state["n"] += 1

    run_threads(work)
    check(state["n"] == NTHREADS * iters, "locked counter %r" % state["n"])


def test_shared_list_appends():
    shared = []
    iters = 5000

    def work(i):
        for k in range(iters):
            shared.append((i, k))

    run_threads(work)
    check(len(shared) == NTHREADS * iters, "list length %d" % len(shared))
    check(sorted(shared) == [(i, k) for i in range(NTHREADS)
                             for k in range(iters)], "list contents")


def test_shared_dict_updates():
    d = {}
    iters = 3000

    def work(i):
        for k in range(iters):
            d[(i, k)] = k
            d.get((i, k - 1))

    run_threads(work)
    check(len(d) == NTHREADS * iters, "dict size %d" % len(d))
    check(all(d[(i, k)] == k for i in range(NTHREADS)
              for k in range(iters)), "dict values")


class Box:
    def __init__(self):
        self.count = 0
        self.lock = _thread.allocate_lock()


def test_attribute_increments():
    box = Box()
    iters = 4000

    def work(i):
        for _ in range(iters):
            with box.lock:
                box.count += 1

    run_threads(work)
    check(box.count == NTHREADS * iters, "attribute counter %d" % box.count)


def test_lock_semantics():
    lk = _thread.allocate_lock()
    check(type(lk) is _thread.LockType, "LockType")
    check(lk.acquire() is True, "acquire")
    check(lk.locked(), "locked")
    check(lk.acquire(False) is False, "non-blocking acquire of held lock")
    t0 = time.monotonic()
    check(lk.acquire(timeout=0.1) is False, "timed acquire fails")
    waited = time.monotonic() - t0
    check(0.08 <= waited < 5, "timeout waited %.3f" % waited)
    lk.release()
    check(not lk.locked(), "unlocked after release")
    try:
        lk.release()
        check(False, "release of unlocked lock")
    except RuntimeError as e:
        check(str(e) == "release unlocked lock", "message %r" % str(e))
    for kwargs, exc, msg in [
            ({"blocking": False, "timeout": 1}, ValueError,
             "can't specify a timeout for a non-blocking call"),
            ({"timeout": -2}, ValueError, "timeout value must be positive")]:
        try:
            lk.acquire(**kwargs)
            check(False, "acquire(%r) should raise" % kwargs)
        except exc as e:
            check(str(e) == msg, "message %r" % str(e))
    check(_thread.error is RuntimeError, "_thread.error")
    check(_thread.TIMEOUT_MAX > 1e6, "TIMEOUT_MAX")

    # A lock released by another thread wakes a waiter.
    lk.acquire()
    got = []

    def waiter(i):
        got.append(lk.acquire(timeout=30))

    done = _thread.allocate_lock()
    done.acquire()

    def run():
        waiter(0)
        done.release()

    _thread.start_new_thread(run, ())
    time.sleep(0.05)
    lk.release()
    check(done.acquire(timeout=30), "waiter finished")
    check(got == [True], "waiter acquired %r" % got)


def test_handoff():
    # producers append under a lock, consumers pop under it with timed
    # acquires: every item moves exactly once
    lk = _thread.allocate_lock()
    items = []
    taken = []
    per = 2000

    def work(i):
        if i % 2 == 0:
            for k in range(per):
                with lk:
                    items.append((i, k))
        else:
            got = 0
            while got < per:
                if lk.acquire(timeout=0.5):
                    if items:
                        taken.append(items.pop())
                        got += 1
                    lk.release()

    run_threads(work)
    expect = sorted((i, k) for i in range(0, NTHREADS, 2) for k in range(per))
    check(sorted(taken) == expect, "every item moved once")
    check(items == [], "nothing left")


def test_rlock():
    r = _thread.RLock()
    check(r.acquire() and r.acquire(), "recursive acquire")
    check(r._is_owned(), "_is_owned")
    state = r._release_save()
    check(not r._is_owned(), "released by _release_save")
    r._acquire_restore(state)
    r.release()
    r.release()
    try:
        r.release()
        check(False, "release of unowned RLock")
    except RuntimeError as e:
        check(str(e) == "cannot release un-acquired lock", "rlock message")
    # Another thread cannot take it while held.
    r.acquire()
    res = []
    run_threads(lambda i: res.append(r.acquire(timeout=0.05)), n=2)
    check(res == [False, False], "RLock excludes others %r" % res)
    r.release()
    total = {"n": 0}

    def work(i):
        for _ in range(2000):
            with r:
                with r:
                    total["n"] += 1

    run_threads(work)
    check(total["n"] == NTHREADS * 2000, "RLock counter %d" % total["n"])


def test_local_isolation():
    loc = _thread._local()
    loc.value = "main"
    seen = [None] * NTHREADS

    def work(i):
        seen[i] = getattr(loc, "value", None)
        loc.value = i
        for _ in range(1000):
            loc.value = loc.value + 0
        seen[i] = (seen[i], loc.value)

    run_threads(work)
    check(seen == [(None, i) for i in range(NTHREADS)], "local %r" % seen)
    check(loc.value == "main", "main's local value kept")


def test_ident():
    idents = []
    lock = _thread.allocate_lock()

    def work(i):
        with lock:
            idents.append(_thread.get_ident())
        # stay alive until every thread has recorded its ident, so no
        # ident can be reused by a later thread
        deadline = time.monotonic() + 30
        while len(idents) < NTHREADS and time.monotonic() < deadline:
            time.sleep(0.001)

    run_threads(work)
    check(len(set(idents)) == NTHREADS, "distinct idents")
    check(_thread.get_ident() not in idents, "main ident distinct")


def main():
    tests = [test_lock_semantics, test_counter_under_lock,
             test_shared_list_appends, test_shared_dict_updates,
             test_attribute_increments, test_handoff, test_rlock, test_local_isolation,
             test_ident]
    for t in tests:
        t()
    # every started thread has finished its function
    deadline = time.monotonic() + 10
    while _thread._count() and time.monotonic() < deadline:
        time.sleep(0.01)
    check(_thread._count() == 0, "_count() %d" % _thread._count())
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("ok")


main()
