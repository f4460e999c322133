# Weak references (_weakref, _weakrefset), compared with CPython 3.11.
# Uses _weakref directly so that it does not depend on the rest of
# weakref.py's imports.  No addresses are printed.
import _weakref
import _weakrefset
import gc
import sys

ref = _weakref.ref
proxy = _weakref.proxy


def show(label, fn):
    try:
        print(label, repr(fn()))
    except Exception as e:
        print(label, type(e).__name__, e)


def capture_unraisable(fn):
    """Runs fn() and returns the 'Type: message' of what it reported as
    unraisable: through sys.unraisablehook when there is one, else from
    what reached file descriptor 2."""
    if hasattr(sys, "unraisablehook"):
        seen = []
        old = sys.unraisablehook
        sys.unraisablehook = lambda u: seen.append(
            "%s: %s" % (type(u.exc_value).__name__, u.exc_value))
        try:
            fn()
        finally:
            sys.unraisablehook = old
        return seen
    import posix
    r, w = posix.pipe()
    saved = posix.dup(2)
    posix.dup2(w, 2)
    try:
        fn()
    finally:
        posix.dup2(saved, 2)
        posix.close(saved)
        posix.close(w)
    text = posix.read(r, 65536).decode()
    posix.close(r)
    return [line for line in text.splitlines()
            if line.startswith(("ValueError", "ZeroDivisionError"))]


class C:
    def __init__(self, n=0):
        self.n = n

    def __repr__(self):
        return "C(%d)" % self.n

    def __hash__(self):
        return self.n

    def __eq__(self, other):
        return isinstance(other, C) and self.n == other.n

    def meth(self):
        return self.n


# 1. Basic refs: shared, call, dead.
print("== basic")
o = C(1)
r = ref(o)
print("alive:", r() is o, "shared:", r is ref(o), "type:", type(r).__name__)
print("count:", _weakref.getweakrefcount(o), "__weakref__ is r:", o.__weakref__ is r)
print("repr alive:", repr(r).split(";")[1].split(" at ")[0])
del o
print("dead:", r(), "repr dead:", repr(r).endswith("; dead>"))
show("call with arg:", lambda: r(1))
show("call with kw:", lambda: r(x=1))
show("int:", lambda: ref(1))
show("no args:", lambda: ref())
show("too many:", lambda: ref(C(), None, 1))
show("kw:", lambda: ref(C(), callback=None))
show("ref to ref:", lambda: ref(ref(C)))
show("type:", lambda: ref(C)() is C)

# 2. Callbacks: order, not for refs that died first, errors reported.
print("== callbacks")
log = []
o = C(2)
r1 = ref(o, lambda w: log.append("r1"))
r2 = ref(o, lambda w: log.append("r2"))
r3 = ref(o, lambda w: log.append("r3 dead=%s" % (w() is None)))
p1 = proxy(o, lambda w: log.append("p1"))
basic = ref(o)
gone = ref(o, lambda w: log.append("gone"))
print("refs:", [type(x).__name__ for x in _weakref.getweakrefs(o)])
print("first is basic:", _weakref.getweakrefs(o)[0] is basic)
print("callback attr:", r1.__callback__ is not None, basic.__callback__)
del gone
print("count:", _weakref.getweakrefcount(o))
del o
print("log:", log)
print("callback after:", r1.__callback__)
log.clear()
o = C(3)
cb = ref(o, 42)            # callbacks are not checked when created
print("non-callable callback kept:", cb.__callback__)
del cb


def bad(w):
    raise ValueError("boom")


def run_bad():
    o = C(4)
    keep = [ref(o, bad), ref(o, lambda w: log.append("after bad"))]
    del o
    return keep


print("unraisable:", capture_unraisable(run_bad), log)
log.clear()
del o

# 3. Hash and equality.
print("== hash/eq")
a, b = C(5), C(5)
ra, rb = ref(a), ref(b)
print("hash:", hash(ra) == hash(a), "eq alive:", ra == rb, ra != rb)
del a
print("eq one dead:", ra == rb, ra == ra, "hash cached:", hash(ra) == 5)
rc = ref(C(6))
show("hash dead never hashed:", lambda: hash(rc))
show("lt:", lambda: ra < rb)
print("eq other type:", ra == 1)
d = {rb: "x"}
print("dict lookup:", d[ref(b)])

# 4. Subclassing ref.
print("== subclass")


class KeyedRef(ref):
    __slots__ = ("key",)

    def __new__(cls, ob, callback, key):
        self = ref.__new__(cls, ob, callback)
        self.key = key
        return self

    def __init__(self, ob, callback, key):
        super().__init__(ob, callback)


class MyRef(ref):
    def __init__(self, ob, callback=None, **kw):
        super().__init__(ob, callback)
        self.kw = kw


o = C(7)
k = KeyedRef(o, lambda w: log.append("keyed %s" % w.key), "K")
m = MyRef(o, x=1)
print("keyed:", k.key, k() is o, type(k).__name__)
print("myref:", m.kw, m is not ref(o), m() is o)
show("ref kw init:", lambda: ref.__init__(ref(o), o, x=1))
show("bad new:", lambda: ref.__new__(int, o))
wm = ref(m)
print("weakref to subclass ref:", wm() is m)
del o
print("log:", log, "m dead:", m())
log.clear()
del m
print("subclass ref freed:", wm())

# 5. Proxies.
print("== proxy")


class Num:
    def __init__(self, v):
        self.v = v

    def __repr__(self):
        return "Num"

    def __add__(self, o):
        return "add %r" % (o,)

    def __radd__(self, o):
        return "radd %r" % (o,)

    def __iadd__(self, o):
        return "iadd %r" % (o,)

    def __len__(self):
        return 3

    def __getitem__(self, i):
        return i * 2

    def __setitem__(self, i, v):
        log.append(("set", i, v))

    def __delitem__(self, i):
        log.append(("del", i))

    def __contains__(self, x):
        return x == 1

    def __bool__(self):
        return False

    def __int__(self):
        return 7

    def __index__(self):
        return 8

    def __float__(self):
        return 1.5

    def __neg__(self):
        return "neg"

    def __iter__(self):
        return iter([1, 2])

    def __str__(self):
        return "str!"

    def __lt__(self, o):
        return "lt"

    def __call__(self, *a, **k):
        return ("called", a, k)

    def __pow__(self, o, m=None):
        return ("pow", o, m)


n = Num(1)
p = proxy(n)
print("type:", type(p).__name__, "shared:", p is proxy(n))
print("ops:", p + 1, 1 + p, p + p, -p, p < 1, p ** 2, pow(p, 2, 3))
q = p
q += 5
print("iadd:", q)
print("seq:", len(p), p[4], 1 in p, 2 in p, list(p))
p[1] = 2
del p[3]
print("log:", log)
log.clear()
print("conv:", bool(p), int(p), float(p), [10, 20, 30, 40, 50, 60, 70, 80, 90][p], str(p))
print("call:", p(1, k=2))
p.attr = 5
print("attr:", n.attr, p.attr, p.v, p.__class__.__name__)
del p.attr
print("attr deleted:", hasattr(n, "attr"))
show("hash:", lambda: hash(p))
show("next:", lambda: next(p))


class It:
    def __iter__(self):
        return self

    def __next__(self):
        return "nxt"

    def __bytes__(self):
        return b"bytes"

    def __reversed__(self):
        return iter("rev")


itobj = It()
pi = proxy(itobj)
print("next proxy:", next(pi), type(pi).__name__, bytes(pi), list(reversed(pi)))
print("repr alive:", repr(p).split(" to ")[1].split(" at ")[0])
del n
print("repr dead:", repr(p).split(" to ")[1].split(" at ")[0])
for label, fn in [("getattr", lambda: p.v), ("add", lambda: p + 1),
                  ("bool", lambda: bool(p)), ("len", lambda: len(p)),
                  ("str", lambda: str(p)), ("call", lambda: p()),
                  ("iter", lambda: iter(p)), ("eq", lambda: p == 1)]:
    show("dead " + label + ":", fn)
plain = C(8)
pp = proxy(plain)
print("plain proxy type:", type(pp).__name__, pp.meth(), pp == plain, plain == pp)
show("proxy to int:", lambda: proxy(1))
show("proxy kw:", lambda: proxy(plain, callback=None))
show("proxy to proxy:", lambda: proxy(pp))
pcb = proxy(plain, lambda w: log.append("proxy cb %s" % type(w).__name__))
del plain
print("log:", log)
log.clear()

# 6. Built-in types that take weak references.
print("== builtin types")


def gen():
    yield 1


import _thread
import _collections
samples = [("type", C), ("function", gen), ("builtin", len),
           ("method", C(0).meth), ("set", set()), ("frozenset", frozenset([1])),
           ("module", sys), ("code", gen.__code__), ("generator", gen()),
           ("lock", _thread.allocate_lock()), ("RLock", _thread.RLock()),
           ("local", _thread._local()), ("deque", _collections.deque())]
for name, obj in samples:
    try:
        w = ref(obj)
        print(name, "ok", w() is obj)
    except TypeError as e:
        print(name, "TypeError", e)
for obj in [1, "s", (), [], {}, 1.5, None, object(), b"", range(1)]:
    show("not weakrefable:", lambda: ref(obj))
for make in [set, lambda: frozenset([1]), _thread.allocate_lock, _thread.RLock,
             _thread._local, _collections.deque, lambda: (lambda: 0),
             lambda: C(0).meth, lambda: gen()]:
    obj = make()
    w = ref(obj, lambda w: log.append("died"))
    del obj
print("builtin deaths:", len(log))
log.clear()

# 7. __del__ and resurrection (3.11: finalizer first, then weakrefs).
print("== __del__")
saved = []


class Phoenix:
    def __del__(self):
        log.append("del sees ref alive: %s" % (self.wr() is self))
        if len(saved) == 0:
            saved.append(self)


ph = Phoenix()
ph.wr = ref(ph, lambda w: log.append("phoenix cb"))
w = ph.wr
del ph
print("resurrected:", log, w() is saved[0])
log.clear()
saved.clear()
print("after second death:", log, w())
log.clear()

# 8. Cyclic garbage: the GC clears weakrefs and calls callbacks.
print("== gc")
gc.collect()


class Node:
    pass


a, b = Node(), Node()
a.other, b.other = b, a
wa = ref(a, lambda w: log.append("cb a"))
wb = ref(b, lambda w: log.append("cb b"))
pa = proxy(a)
del a, b
print("before collect:", wa() is not None, log)
print("collected >= 2:", gc.collect() >= 2)
print("after collect:", wa(), wb(), sorted(log))
print("callback attr after gc:", wa.__callback__ is not None)
show("proxy after gc:", lambda: pa.other)
log.clear()

# A weakref that is itself part of the garbage: no callback.
x = Node()
x.self = x
x.wr = ref(x, lambda w: log.append("should not run"))
del x
gc.collect()
print("garbage weakref callback:", log)

# A callback that is part of a cycle with its weakref.
y = Node()
holder = Node()
holder.cb = lambda w: log.append("holder cb")
holder.self = holder
holder.r = ref(y, holder.cb)
del holder
gc.collect()
del y
print("callback kept alive by weakref:", log)
log.clear()

# 9. _remove_dead_weakref and WeakSet.
print("== helpers")
o = C(9)
dct = {"a": ref(o), "b": ref(C(10)), "c": 5}
_weakref._remove_dead_weakref(dct, "a")
_weakref._remove_dead_weakref(dct, "b")
show("not a weakref:", lambda: _weakref._remove_dead_weakref(dct, "c"))
_weakref._remove_dead_weakref(dct, "missing")
print("dict:", sorted(dct))
show("not dict:", lambda: _weakref._remove_dead_weakref([], 1))
print("getweakrefs int:", _weakref.getweakrefs(1), _weakref.getweakrefcount(1))
ws = _weakrefset.WeakSet()
items = [C(i) for i in range(5)]
for i in items:
    ws.add(i)
print("weakset:", len(ws), C(2) in ws)
del items[:3]
print("weakset after:", len(ws), sorted(x.n for x in ws))

print("== names")
print(_weakref.ReferenceType is ref, _weakref.ProxyType.__name__,
      _weakref.CallableProxyType.__name__, ref.__module__, ref.__name__)
print(sorted(n for n in dir(_weakref) if not n.startswith("__")))
print(ref[int])
print("done")
