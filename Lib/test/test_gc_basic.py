# Cycle collection and the gc module, compared with CPython 3.11.
import gc

log = []


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

    def __del__(self):
        log.append(self.name)


def drain():
    out = sorted(log)
    log.clear()
    return out


# 1. A cycle of instances with __del__: each finalizer runs once.
gc.collect()
a = Node("a")
b = Node("b")
a.other = b
b.other = a
del a, b
print("before collect:", drain())
print("found >= 2:", gc.collect() >= 2)
print("after collect:", drain())
print("second collect:", gc.collect(), drain())

# 2. Self-referencing containers.
l = []
l.append(l)
d = {}
d["self"] = d
del l, d
print("containers found >= 2:", gc.collect() >= 2)

# 3. A longer ring of instances.
first = prev = Node(0)
for i in range(1, 50):
    n = Node(i)
    prev.other = n
    prev = n
prev.other = first
del first, prev, n
gc.collect()
print("ring:", drain() == list(range(50)))

# 4. Reachable objects survive.
keep = Node("keep")
keep.other = Node("child")
keep.other.other = keep
gc.collect()
print("kept alive:", drain(), keep.other.name, keep.other.other is keep)
del keep
gc.collect()
print("then freed:", drain())

# 5. Resurrection: __del__ runs once only.
saved = []


class Phoenix:
    def __del__(self):
        log.append("phoenix")
        saved.append(self)


p = Phoenix()
p.me = p
del p
gc.collect()
print("resurrected:", drain(), len(saved), gc.is_finalized(saved[0]))
saved[0].me = None
saved.clear()
gc.collect()
print("no second __del__:", drain())

# 6. Closures and cycles through functions.
def outer():
    x = Node("closure")

    def inner():
        return x
    x.other = inner
    return None


outer()
gc.collect()
print("closure:", drain())

# 7. Exceptions with tracebacks referring back to frames.
def fail():
    obj = Node("frame")
    try:
        raise ValueError("x")
    except ValueError as e:
        obj.other = e


fail()
gc.collect()
print("traceback cycle:", drain())

# 8. gc module API.
print("isenabled:", gc.isenabled())
gc.disable()
print("disabled:", gc.isenabled())
gc.enable()
print("enabled:", gc.isenabled())
old = gc.get_threshold()
gc.set_threshold(500)
print("threshold:", gc.get_threshold()[0])
gc.set_threshold(*old)
print("count is a 3-tuple:", len(gc.get_count()))
print("tracked:", gc.is_tracked([]), gc.is_tracked(1),
      gc.is_tracked("s"), gc.is_tracked(Node("t")))
drain()
gc.collect()
drain()
print("finalized:", gc.is_finalized([]))
target = [1, 2]
holder = [target]
print("referrers:", any(r is holder for r in gc.get_referrers(target)))
print("referents:", gc.get_referents(holder)[0] is target)
print("get_objects has holder:", any(o is holder for o in gc.get_objects()))
print("constants:", gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE,
      gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)
print("garbage:", gc.garbage)
gc.freeze()
print("frozen:", gc.get_freeze_count() > 0)
gc.unfreeze()
print("unfrozen:", gc.get_freeze_count())
stats = gc.get_stats()
print("stats:", len(stats), sorted(stats[0]))
try:
    gc.collect(3)
except ValueError as e:
    print("ValueError:", e)
print("collect(0) is an int:", type(gc.collect(0)).__name__)

# 9. gc.callbacks and DEBUG_SAVEALL.
seen = []


def on_gc(phase, info):
    seen.append((phase, sorted(info)))


gc.callbacks.append(on_gc)
gc.collect()
gc.callbacks.remove(on_gc)
print("callbacks:", seen)


class Saved:
    pass


gc.set_debug(gc.DEBUG_SAVEALL)
s = Saved()
s.me = s
del s
gc.collect()
print("saveall:", [type(x).__name__ for x in gc.garbage if type(x) is Saved])
gc.set_debug(0)
print("debug:", gc.get_debug())
gc.garbage.clear()
