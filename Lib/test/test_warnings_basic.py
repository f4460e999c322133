# The warnings machinery: _warnings (C) driven through Lib/warnings.py and
# directly; filters, actions, registries, stacklevel, C-level warnings and
# the built-in formatter used while the warnings module is not imported.
# Output is compared with CPython 3.11 (no `re` or `io` needed).
import sys
import _warnings
import warnings

THIS = __file__


def short(name):
    return "THIS" if name == THIS else name


def fmt(w):
    return (str(w.message), w.category.__name__, short(w.filename),
            w.lineno)


class Pattern:
    """Stands in for a compiled regex: filters only call .match()."""

    def __init__(self, prefix):
        self.prefix = prefix

    def match(self, s):
        return s.startswith(self.prefix)

    def __repr__(self):
        return "Pattern(%r)" % self.prefix


print("defaults", warnings.filters)
print("same list", _warnings.filters is warnings.filters)
print("defaultaction", _warnings._defaultaction, warnings.defaultaction)
print("onceregistry", type(_warnings._onceregistry).__name__,
      _warnings._onceregistry is warnings.onceregistry)


def emit(text, cat=UserWarning):
    warnings.warn(text, cat)     # line reported: this one


# ---------------------------------------------------------------- actions
for action in ("always", "default", "module", "once", "ignore"):
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter(action)
        for i in range(3):
            emit("msg-" + action)
        emit("other-" + action)
        warnings.warn("direct-" + action)
        warnings.warn("direct-" + action)
    print(action, [fmt(w) for w in log])

with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        emit("boom")
    except UserWarning as e:
        print("error raised", type(e).__name__, e.args)
    try:
        warnings.warn(RuntimeWarning("instance"))
    except RuntimeWarning as e:
        print("error raised", type(e).__name__, e.args)

# categories and filter order
with warnings.catch_warnings(record=True) as log:
    warnings.resetwarnings()
    warnings.simplefilter("always")
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("error", FutureWarning, append=True)
    warnings.warn("dep", DeprecationWarning)
    warnings.warn("pend", PendingDeprecationWarning)
    warnings.warn("fut", FutureWarning)
    warnings.warn("user", UserWarning)
    print("filters", warnings.filters[:3])
print("categories", [fmt(w) for w in log])

# message / module "regex" objects and line numbers
with warnings.catch_warnings(record=True) as log:
    warnings.resetwarnings()
    warnings.simplefilter("always")
    warnings.filters.insert(0, ("ignore", Pattern("skip"), Warning, None, 0))
    warnings.filters.insert(0, ("ignore", None, Warning, Pattern("__ma"),
                                96))
    warnings._filters_mutated()
    warnings.warn("skip me")
    warnings.warn("keep me")
    warnings.warn("line filtered")  # line 96
    warnings.warn_explicit("explicit", UserWarning, "fake.py", 96,
                           module="__main__")
    warnings.warn_explicit("explicit2", UserWarning, "fake.py", 97,
                           module="__main__")
    warnings.warn_explicit("skip explicit", UserWarning, "fake.py", 1)
print("patterns", [fmt(w) for w in log])

# ---------------------------------------------------------------- registry
def registry_keys(reg):
    return sorted((k[0], k[1].__name__) + tuple(k[2:]) for k in reg
                  if k != "version")


with warnings.catch_warnings(record=True) as log:
    warnings.resetwarnings()
    warnings.simplefilter("default")
    reg = {}
    for i in range(2):
        warnings.warn_explicit("r1", UserWarning, "f.py", 5, registry=reg)
    print("registry default", registry_keys(reg), "version" in reg)
    warnings.simplefilter("module")
    warnings.warn_explicit("r1", UserWarning, "f.py", 5, registry=reg)
    print("after mutation", registry_keys(reg))
    warnings.warn_explicit("r1", UserWarning, "f.py", 6, registry=reg)
    print("module action", registry_keys(reg))
    warnings.simplefilter("once")
    warnings.warn_explicit("r2", UserWarning, "f.py", 1)
    warnings.warn_explicit("r2", UserWarning, "g.py", 2)
    print("onceregistry", registry_keys(warnings.onceregistry))
    warnings.simplefilter("ignore")
    reg2 = {}
    warnings.warn_explicit("r3", UserWarning, "f.py", 5, registry=reg2)
    print("ignore registry", registry_keys(reg2))
print("registry log", [fmt(w) for w in log])

with warnings.catch_warnings(record=True) as log:
    warnings.resetwarnings()
    warnings.simplefilter("default")
    globals().pop("__warningregistry__", None)
    for i in range(2):
        warnings.warn("global registry")
    print("__warningregistry__", registry_keys(__warningregistry__))
    print("log", [fmt(w) for w in log])
    warnings.simplefilter("default")     # bumps the version: shown again
    warnings.warn("global registry")
    print("log", [fmt(w) for w in log])


# ---------------------------------------------------------------- stacklevel
def level3(n):
    warnings.warn("level %d" % n, stacklevel=n)


def level2(n):
    level3(n)


def level1(n):
    level2(n)


with warnings.catch_warnings(record=True) as log:
    warnings.simplefilter("always")
    for n in (1, 2, 3, 4, 50):
        level1(n)
    _warnings.warn("c direct", stacklevel=1)
    _warnings.warn("c deep", UserWarning, 99)
    print("stacklevel", [fmt(w) for w in log])
print("sys registry", registry_keys(sys.__dict__.get("__warningregistry__",
                                                     {})))


# ---------------------------------------------------------------- C API
class F(float):
    pass


class HasFloat:
    def __float__(self):
        return F(2.5)


with warnings.catch_warnings(record=True) as log:
    warnings.simplefilter("always")
    v = float(HasFloat())
    print("float", v)
    print("c-level", [fmt(w) for w in log])
with warnings.catch_warnings():
    warnings.simplefilter("error", DeprecationWarning)
    try:
        float(HasFloat())
    except DeprecationWarning as e:
        print("c-level error", e)

# the compiler's warnings go through PyErr_WarnExplicit
with warnings.catch_warnings(record=True) as log:
    warnings.simplefilter("always")
    compile("x = 1 is 1\n", "src.py", "exec")
    print("compiler", [fmt(w) for w in log])

# ---------------------------------------------------------------- errors
def err(label, fn, *args, **kw):
    try:
        fn(*args, **kw)
    except Exception as e:
        print(label, type(e).__name__, e)
    else:
        print(label, "ok")


err("bad category", _warnings.warn, "x", int)
err("bad category2", _warnings.warn, "x", "str")
err("registry type", _warnings.warn_explicit, "m", UserWarning, "f.py", 1,
    registry=[])
err("globals type", _warnings.warn_explicit, "m", UserWarning, "f.py", 1,
    module_globals=[])
saved_filters = warnings.filters
warnings.filters = [("bogus", None, Warning, None, 0)]
err("bad action", _warnings.warn, "m1")
warnings.filters = [("x", None)]
err("short filter", _warnings.warn, "m2")
warnings.filters = [(1, None, Warning, None, 0)]
err("action type", _warnings.warn, "m3")
warnings.filters = ()
err("filters type", _warnings.warn, "m4")
warnings.filters = saved_filters
saved_show = warnings._showwarnmsg
warnings._showwarnmsg = 42
with warnings.catch_warnings():
    warnings.simplefilter("always")
    err("showwarnmsg", _warnings.warn, "m5")
warnings._showwarnmsg = saved_show


# ---------------------------------------------------------------- display
class Collect:
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)
        return len(s)

    def text(self):
        return "".join(self.parts).replace(THIS, "THIS")


# showwarning overridden: warnings.py formats, C decides
shown = []
saved = warnings.showwarning
warnings.showwarning = lambda *a: shown.append((str(a[0]), a[1].__name__,
                                                 short(a[2]), a[3]))
with warnings.catch_warnings():
    warnings.simplefilter("always")
    warnings.warn("via showwarning")
    warnings.warn_explicit("explicit", SyntaxWarning, "nofile.py", 7)
warnings.showwarning = saved
print("showwarning", shown)

# formatting through warnings.py (no source line for a missing file)
err_out = Collect()
saved_err = sys.stderr
sys.stderr = err_out
with warnings.catch_warnings():
    warnings.simplefilter("always")
    warnings.warn_explicit("formatted", UserWarning, "nofile.py", 3)
sys.stderr = saved_err
print("python format", repr(err_out.text()))

# the C formatter: the warnings module is not imported
mod = sys.modules.pop("warnings")
err_out = Collect()
sys.stderr = err_out
try:
    _warnings.warn("builtin display")
    _warnings.warn_explicit("explicit display", UserWarning, "nofile.py", 3)
    _warnings.warn_explicit(RuntimeWarning("inst"), UserWarning, "", 4)
    _warnings.warn("deep display", stacklevel=40)
    float(HasFloat())
finally:
    sys.stderr = saved_err
    sys.modules["warnings"] = mod
print("c format", repr(err_out.text()))
print("done")
