# warnings filters with real regular expressions (filterwarnings message=
# and module=, -W option strings through warnings._processoptions), matched
# by the C machinery in _warnings.  Needs `re` (the _sre module).
import sys
import warnings

THIS = __file__


def fmt(w):
    name = "THIS" if w.filename == THIS else w.filename
    return (str(w.message), w.category.__name__, name, w.lineno)


class Collect:
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)
        return len(s)


with warnings.catch_warnings(record=True) as log:
    warnings.resetwarnings()
    warnings.simplefilter("always")
    warnings.filterwarnings("ignore", message="skip")
    warnings.filterwarnings("ignore", message=r"num\d+$")
    warnings.filterwarnings("ignore", category=UserWarning, module="other")
    warnings.filterwarnings("error", module="__main__", lineno=38)
    print("filters", warnings.filters[:4])
    warnings.warn("skip this")
    warnings.warn("SKIP that too")
    warnings.warn("keep this")
    warnings.warn("num42")
    warnings.warn("num42x")
    try:
        warnings.warn("line 38 raises")
    except UserWarning as e:
        print("raised", e)
    warnings.warn_explicit("other module", UserWarning, "o.py", 1,
                           module="other")
    warnings.warn_explicit("other module dep", DeprecationWarning, "o.py", 1,
                           module="other")
    warnings.warn_explicit("another", UserWarning, "o.py", 1,
                           module="otherwise")
print("log", [fmt(w) for w in log])

err = Collect()
saved = sys.stderr
sys.stderr = err
with warnings.catch_warnings(record=True) as log:
    warnings.resetwarnings()
    warnings._processoptions(["error::RuntimeWarning",
                              "ignore:hush:UserWarning",
                              "always::UserWarning:__main__",
                              "bogus-action",
                              "ignore::NoSuchWarning"])
    print("options", warnings.filters)
    warnings.warn("hush now")
    warnings.warn("shown")
    try:
        warnings.warn("as error", RuntimeWarning)
    except RuntimeWarning as e:
        print("raised", e)
sys.stderr = saved
print("stderr", repr("".join(err.parts)))
print("log", [fmt(w) for w in log])
warnings.resetwarnings()
print("done")
