# The codec and error-handler registries shared by many threads: lookups
# racing on new names, search functions and error handlers registered
# concurrently, cached CodecInfo identity, search functions unregistered
# during lookups, codecs used from every thread.
# Uses only _thread so that it runs before `threading` is importable.
import _thread
import codecs

NTHREADS = 8
ROUNDS = 150
errors = []
results = [None] * NTHREADS


def run_threads(func):
    """Runs func(i) in NTHREADS threads released together; waits."""
    gate = _thread.allocate_lock()
    gate.acquire()
    done = [_thread.allocate_lock() for _ in range(NTHREADS)]
    for lk in done:
        lk.acquire()

    def body(i):
        try:
            gate.acquire()
            gate.release()
            func(i)
        finally:
            done[i].release()
    for i in range(NTHREADS):
        _thread.start_new_thread(body, (i,))
    gate.release()
    for lk in done:
        if not lk.acquire(timeout=120):
            errors.append("thread did not finish")


def make_search(idx):
    prefix = "thr_%d_" % idx

    def search(name):
        if name.startswith(prefix):
            tag = name[4:]
            return codecs.CodecInfo(
                lambda s, e="strict": (("%s:" % tag + s).encode(), len(s)),
                lambda b, e="strict": (bytes(b).decode()[len(tag) + 1:],
                                       len(b)),
                name="thr-" + tag)
        return None
    return search


def shared_search(name):
    if name == "shared_codec":
        return codecs.CodecInfo(
            lambda s, e="strict": (s.encode("latin-1"), len(s)),
            lambda b, e="strict": (bytes(b).decode("latin-1"), len(b)),
            name="shared-codec")
    return None


# Looked up once before the threads start: CPython replaces cache entries
# when lookups race, so only a warm entry has one identity everywhere.
codecs.register(shared_search)
shared_info = codecs.lookup("shared_codec")


# CPython 3.11 itself may skip a search function when another thread
# unregisters one during a lookup, so functions are only unregistered
# once the threads are done.
searches = [make_search(i) for i in range(NTHREADS)]


def worker(idx):
    try:
        codecs.register(searches[idx])
        shared = set()
        ok = 0
        for r in range(ROUNDS):
            tag = "%d_%d" % (idx, r)
            info = codecs.lookup("thr-" + tag)
            if info is not codecs.lookup("THR_" + tag):
                errors.append("cache identity %s" % tag)
            if "x\xe9".encode("thr_" + tag) != ("%s:x\xe9" % tag).encode():
                errors.append("encode %s" % tag)
            shared.add(codecs.lookup("Shared-Codec") is shared_info)
            name = "test.thr.%s" % tag
            codecs.register_error(
                name, lambda exc, t=tag: ("<%s>" % t, exc.end))
            if "a\u20acb".encode("ascii", name) != ("a<%s>b" % tag).encode():
                errors.append("handler %s" % tag)
            if b"a\xffb".decode("cp1252", name) != "a\xffb":
                errors.append("cp1252 %s" % tag)
            if b"a\x81b".decode("utf-8", "replace") != "a\ufffdb":
                errors.append("utf-8 %s" % tag)
            ok += 1
        results[idx] = (ok, shared == {True})
    except Exception as e:
        errors.append("%s: %s" % (type(e).__name__, e))


run_threads(worker)
print("errors:", errors[:5])
print("results:", results)


# Second phase: search functions registered and unregistered while other
# lookups run.  The churned functions always sit after the ones looked up
# (CPython scans the live list by index), and nothing here depends on the
# cache, which every unregister clears.
def churner(idx):
    try:
        ok = 0
        for r in range(ROUNDS):
            def dummy(name):
                return None
            codecs.register(dummy)
            tag = "%d_%d" % ((idx + 1) % NTHREADS, r)
            if codecs.lookup("thr_" + tag).name != "thr-" + tag:
                errors.append("churn lookup %s" % tag)
            if "\xe9".encode("cp1252") != b"\xe9":
                errors.append("churn cp1252")
            codecs.unregister(dummy)
            ok += 1
        results[idx] = ok
    except Exception as e:
        errors.append("%s: %s" % (type(e).__name__, e))


run_threads(churner)
print("errors:", errors[:5])
print("results:", results)
for f in searches + [shared_search]:
    codecs.unregister(f)
try:
    codecs.lookup("thr_0_0")
except LookupError as e:
    print("LookupError:", e)
print(codecs.lookup_error("test.thr.3_7")(UnicodeEncodeError(
    "ascii", "\xe9", 0, 1, "x")))
