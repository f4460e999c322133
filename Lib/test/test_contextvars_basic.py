# contextvars / _contextvars: Context, ContextVar, Token, copy_context.
# Output is compared with CPython 3.11 (addresses are never printed).
import contextvars
import _contextvars
from contextvars import Context, ContextVar, Token, copy_context


def show(label, f):
    try:
        r = f()
    except Exception as e:
        msg = str(e).split(" at 0x")[0] if " at 0x" in str(e) else str(e)
        print(label, "->", type(e).__name__, msg)
    else:
        print(label, "->", r)


print(contextvars.Context is _contextvars.Context)
print(Context.__name__, ContextVar.__name__, Token.__name__)
print(Context.__module__, ContextVar.__module__, Token.__module__)

# ContextVar construction
show("name not str", lambda: ContextVar(1))
show("no name", lambda: ContextVar())
show("default positional", lambda: ContextVar("a", 2))
v = ContextVar("v")
d = ContextVar("d", default=10)
print(v.name, d.name)
show("name readonly", lambda: setattr(v, "name", "x"))
print(repr(v).startswith("<ContextVar name='v' at 0x"))
print(repr(d).startswith("<ContextVar name='d' default=10 at 0x"))
show("subclass ContextVar", lambda: type("X", (ContextVar,), {}))
show("subclass Context", lambda: type("X", (Context,), {}))
show("subclass Token", lambda: type("X", (Token,), {}))
print(ContextVar[int], Token[str])
show("Token()", lambda: Token())
print(repr(Token.MISSING))

# get / set / reset
show("get unset", lambda: type(v.get()))
print(v.get(5), v.get(None), d.get(), d.get(7))
show("get kw", lambda: v.get(default=3))
show("get 2 args", lambda: v.get(1, 2))
t1 = v.set(1)
print(v.get(), t1.var is v, t1.old_value is Token.MISSING)
print(repr(t1).startswith("<Token var=<ContextVar name='v' at 0x"))
t2 = v.set(2)
print(v.get(), t2.old_value)
show("token attr readonly", lambda: setattr(t2, "var", 1))
show("reset by other var", lambda: d.reset(t2))
show("reset non-token", lambda: v.reset(1))
v.reset(t2)
print(v.get())
print(repr(t2).startswith("<Token used var="))
show("reset twice", lambda: v.reset(t2))
v.reset(t1)
show("get after reset", lambda: type(v.get()))
print(v.get("fallback"))

# Context mapping protocol
ctx = copy_context()
print(type(ctx).__name__, len(ctx), v in ctx)
tv = v.set("x")
print(v in ctx, len(copy_context()) - len(ctx))
ctx2 = copy_context()
print(ctx2[v], ctx2.get(v), ctx2.get(d), ctx2.get(d, "dflt"), v in ctx2)
show("getitem missing", lambda: ctx[v])
show("getitem bad key", lambda: ctx[1])
show("contains bad key", lambda: 1 in ctx)
show("get bad key", lambda: ctx.get("a"))
print(sorted(var.name for var in ctx2))
print(sorted(var.name for var in ctx2.keys()))
print(sorted(ctx2.values(), key=str))
print(sorted((k.name, val) for k, val in ctx2.items()))
v.reset(tv)
print(ctx2[v], v in copy_context())
show("Context(1)", lambda: Context(1))
show("hash", lambda: hash(Context()))
print(Context() == Context(), Context() != Context(), Context() == 1)
print(ctx2 == ctx2.copy(), ctx2.copy() is not ctx2, ctx2 == Context())
show("copy_context arg", lambda: copy_context(1))
e = Context()
print(len(e), list(e))

# run
def body(a, b=0, *, c=0):
    v.set(a + b + c)
    return v.get(), len(copy_context())

c3 = Context()
print(c3.run(body, 1, b=2, c=3))
print(c3[v], v.get("outside"))
print(c3.run(v.get))
show("run no args", lambda: c3.run())
show("run not callable", lambda: c3.run(1))
show("reentrant run", lambda: c3.run(lambda: c3.run(len, [])))

def raiser():
    v.set("in")
    raise KeyError("boom")

show("run raises", lambda: c3.run(raiser))
print(c3[v], v.get("outside"))

# a token from one context cannot reset in another
tok_holder = []
c4 = Context()
c4.run(lambda: tok_holder.append(v.set(42)))
show("reset other ctx", lambda: v.reset(tok_holder[0]))
c4.run(lambda: v.reset(tok_holder[0]))
print(v in c4)

# copies do not see later changes
c5 = Context()
def later():
    v.set(1)
    snap = copy_context()
    v.set(2)
    return snap[v], v.get()
print(c5.run(later), c5[v])

# nested contexts
outer = Context()
inner = Context()
def nest():
    v.set("outer")
    r = inner.run(lambda: (v.get("unset"), v.set("inner") and v.get()))
    return r, v.get()
print(outer.run(nest), inner[v], outer[v])

# decimal keeps its context in a ContextVar
import decimal
print(decimal.getcontext().prec)
with decimal.localcontext() as lc:
    lc.prec = 5
    print(decimal.Decimal(1) / decimal.Decimal(7))
print(decimal.Decimal(1) / decimal.Decimal(7))

# weak references and pickling
import weakref
import pickle
import gc
wc = Context()
r = weakref.ref(wc)
print(r() is wc)
del wc
gc.collect()
print(r() is None)
show("weakref ContextVar", lambda: weakref.ref(v))
show("pickle Context", lambda: pickle.dumps(Context()))
show("pickle ContextVar", lambda: pickle.dumps(v))
show("MISSING type()", lambda: type(Token.MISSING)())
