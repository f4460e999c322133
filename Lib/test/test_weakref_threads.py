# Weak references under contention (exit status 0 = pass).
#
# Threads share a pool of objects.  Makers create basic refs, refs with
# callbacks and proxies to whatever a slot holds; derefers call refs and
# proxies they find in a shared list; droppers replace pool slots (so the
# old objects die, on whichever thread drops the last reference), some of
# them inside reference cycles that only the collector frees; one thread
# collects in a loop.  Checked: a ref never returns anything but its own
# referent or None, a proxy never reaches another object, the basic ref is
# shared while it is alive, and at the end every callback reference that
# was kept alive fired exactly once, after its referent was gone.
import _thread
import _weakref
import gc
import sys
import time

NTHREADS = 6
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10000  # smaller under TSan
POOL = 32

ref = _weakref.ref
proxy = _weakref.proxy
lock = _thread.allocate_lock()
errors = []
done = [0]
fired = []          # refs whose callback ran (list.append is atomic)
kept = []           # callback refs kept alive until the end
seen = []           # refs for derefers (bounded, replaced in place)
counter = [0]


class Obj:
    def __init__(self, ident):
        self.ident = ident
        self.other = None


class IdentRef(ref):
    __slots__ = ("ident",)

    def __new__(cls, ob, callback=None):
        self = ref.__new__(cls, ob, callback)
        self.ident = ob.ident
        return self

    def __init__(self, ob, callback=None):
        super().__init__(ob, callback)


def new_ident():
    with lock:
        counter[0] += 1
        return counter[0]


def fail(msg):
    errors.append(msg)


def on_death(w):
    if w() is not None:
        fail("callback saw a live referent")
    fired.append(w)


def make_obj(cyclic):
    o = Obj(new_ident())
    if cyclic:
        partner = Obj(-1)
        o.other = partner
        partner.other = o
    return o


pool = [make_obj(False) for _ in range(POOL)]
for _ in range(64):
    seen.append(IdentRef(pool[0]))


def maker(seed):
    x = seed
    for i in range(ROUNDS):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        o = pool[x % POOL]
        r1 = ref(o)
        r2 = ref(o)
        if r1 is not r2:
            fail("basic ref not shared")
        if r1() is not o:
            fail("live ref lost its referent")
        p = proxy(o)
        if p.ident != o.ident:
            fail("proxy reached another object")
        w = IdentRef(o, on_death)
        if i % 7 == 0:
            kept.append(w)
        seen[x % len(seen)] = IdentRef(o)
        if _weakref.getweakrefcount(o) < 1:
            fail("weakref count")
        for each in _weakref.getweakrefs(o):
            target = each() if not isinstance(each, _weakref.ProxyType) else o
            if target is not None and target is not o:
                fail("getweakrefs returned a foreign ref")
        del o, r1, r2, p, w


def derefer(seed):
    x = seed
    for i in range(ROUNDS * 2):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        r = seen[x % len(seen)]
        o = r()
        if o is not None and o.ident != r.ident:
            fail("ref returned another object")
        if o is not None:
            p = proxy(o)
            o = None
            try:
                if p.ident != r.ident:
                    fail("proxy returned another object")
            except ReferenceError:
                pass
            p = None
        o = r()
        try:
            h = hash(r)
        except TypeError:
            h = None        # died before it was ever hashed
        if o is not None and h != hash(o):
            fail("hash differs from the referent's")
        o = None


def dropper(seed):
    x = seed
    for i in range(ROUNDS):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        pool[x % POOL] = make_obj(i % 3 == 0)


def collector():
    while True:
        with lock:
            if done[0] == NTHREADS:
                return
        gc.collect()
        time.sleep(0.002)


def run(fn, seed):
    try:
        fn(seed)
    except BaseException as e:
        fail("%s raised %s: %s" % (fn.__name__, type(e).__name__, e))
    with lock:
        done[0] += 1


kinds = [maker, derefer, dropper]
for n in range(NTHREADS):
    _thread.start_new_thread(run, (kinds[n % len(kinds)], n * 7919 + 1))
collector()

# Everything dies: kept callback refs must each fire exactly once.
for i in range(POOL):
    pool[i] = None
seen.clear()
gc.collect()
gc.collect()
alive = [w for w in kept if w() is not None]
if alive:
    fail("%d kept refs still alive" % len(alive))
counts = {}
for w in fired:
    counts[id(w)] = counts.get(id(w), 0) + 1
wrong = [w for w in kept if counts.get(id(w), 0) != 1]
if wrong:
    fail("%d of %d kept refs did not fire exactly once"
         % (len(wrong), len(kept)))

if errors:
    for e in sorted(set(errors)):
        print("FAIL:", e, "x%d" % errors.count(e))
    sys.exit(1)
print("ok:", len(kept), "kept refs fired once")
