# Imports of a helper package (Lib/test/plait_helpers).
import sys

BASE = __file__.rpartition("/")[0] + "/"

def rel(path):
    return path[len(BASE):] if path.startswith(BASE) else path

import plait_helpers
import plait_helpers.sub.leaf2
from plait_helpers import mod as m, MOD_VALUE
from plait_helpers.sub import SUB, PKG_ATTR

print(__name__, plait_helpers.__name__, plait_helpers.__package__)
print(rel(plait_helpers.__file__), [rel(p) for p in plait_helpers.__path__])
print(m.VALUE, MOD_VALUE, SUB, PKG_ATTR, m.where())
print(plait_helpers.sub.leaf2.LEAF, plait_helpers.sub.__package__)
spec = plait_helpers.sub.__spec__
print(spec.name, spec.parent, rel(spec.origin), spec.has_location,
      [rel(p) for p in spec.submodule_search_locations])
print(m.__spec__.name, m.__spec__.parent, m.__spec__.submodule_search_locations)
print(m.__spec__.loader is m.__loader__, rel(m.__loader__.get_filename()))
print("plait_helpers.mod" in sys.modules, sys.modules["plait_helpers.mod"] is m)
import plait_helpers.mod as again
print(again is m)

from plait_helpers import circ_a
print(circ_a.A, circ_a.get_b())

for stmt in ["import no_such_module_xyz",
             "import plait_helpers.nope",
             "import plait_helpers.mod.deeper",
             "from plait_helpers import nope",
             "from plait_helpers.mod import nope",
             "import plait_helpers.sub.leaf",
             "from plait_helpers import cyc1",
             "from . import x"]:
    try:
        exec(stmt, {"__name__": "__main__"})
    except ImportError as e:
        print(type(e).__name__ + ":", str(e).replace(BASE, ""),
              "| name =", e.name)

try:
    import plait_helpers.broken
except ValueError as e:
    print("ValueError:", e, "plait_helpers.broken" in sys.modules)

mod = __import__("plait_helpers.sub", fromlist=["SUB"])
print(mod.__name__, mod.SUB)
top = __import__("plait_helpers.sub")
print(top.__name__)
print(type(sys).__name__, sys.__spec__ is None or sys.__spec__.origin)
import keyword
print(keyword.iskeyword("def"), keyword.iskeyword("match"))
