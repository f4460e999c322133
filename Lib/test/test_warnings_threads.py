# Shared warning state and marshal used by many threads at once: warnings
# issued from every thread while others mutate the filters (simplefilter,
# _filters_mutated, direct list edits), and marshal dumping/loading a list
# another thread keeps mutating.  Nothing may crash, every recorded
# warning must be complete, and marshal round trips must give lists.
# (_thread rather than threading: threading needs more of the stdlib.)
import _thread
import _warnings
import marshal
import warnings

NTHREADS = 8
ROUNDS = 300
errors = []
recorded = []
lock = _thread.allocate_lock()


class Flag:
    """A start gate and a stop flag (a list append is atomic)."""

    def __init__(self):
        self.items = []

    def set(self):
        self.items.append(1)

    def is_set(self):
        return bool(self.items)


go = Flag()
stop = Flag()


class Barrier:
    def wait(self):
        while not go.is_set():
            pass


barrier = Barrier()


def record(msg):
    # _showwarnmsg replacement: called by the C code with a WarningMessage
    with lock:
        recorded.append((str(msg.message), msg.category.__name__))


def warner(idx):
    try:
        barrier.wait()
        for r in range(ROUNDS):
            _warnings.warn("t%d-%d" % (idx, r % 7), UserWarning)
            try:
                _warnings.warn_explicit("e%d" % idx, RuntimeWarning,
                                        "f%d.py" % idx, r)
            except RuntimeWarning:
                pass
    except Exception as e:
        errors.append(("warner", idx, repr(e)))


def mutator():
    try:
        barrier.wait()
        while not stop.is_set():
            warnings.simplefilter("always")
            warnings.filters.insert(0, ("error", None, RuntimeWarning,
                                        None, 0))
            warnings._filters_mutated()
            del warnings.filters[0]
            warnings._filters_mutated()
    except Exception as e:
        errors.append(("mutator", repr(e)))


shared = [1, "two", (3,), [4.0]]


def marshaller():
    try:
        barrier.wait()
        n = 0
        while not stop.is_set():
            if n % 2:
                shared.append((n, "x%d" % n))
            elif len(shared) > 4:
                shared.pop()
            back = marshal.loads(marshal.dumps(shared))
            if type(back) is not list or back[:4] != [1, "two", (3,),
                                                       [4.0]]:
                errors.append(("marshal", repr(back[:4])))
            n += 1
    except Exception as e:
        errors.append(("marshaller", repr(e)))


def run(fn, done, *args):
    try:
        fn(*args)
    finally:
        done.release()


saved = warnings._showwarnmsg
warnings._showwarnmsg = record
warnings.simplefilter("always")
warner_locks = []
for i in range(NTHREADS):
    done = _thread.allocate_lock()
    done.acquire()
    warner_locks.append(done)
    _thread.start_new_thread(run, (warner, done, i))
other_locks = []
for fn in (mutator, marshaller):
    done = _thread.allocate_lock()
    done.acquire()
    other_locks.append(done)
    _thread.start_new_thread(run, (fn, done))
go.set()
for done in warner_locks:
    done.acquire()
stop.set()
for done in other_locks:
    done.acquire()
warnings._showwarnmsg = saved
warnings.resetwarnings()

bad = [r for r in recorded if r[1] not in ("UserWarning", "RuntimeWarning")]
print("errors", errors[:3])
print("bad records", bad[:3])
print("user warnings recorded", sum(1 for r in recorded
                                    if r[1] == "UserWarning") > 0)
