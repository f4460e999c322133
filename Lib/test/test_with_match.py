# with statements and match statements.
class CM:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, et, ev, tb):
        print("exit", self.name, et.__name__ if et else None, ev)
        return self.swallow

with CM("a") as v:
    print("body", v)
with CM("b", swallow=True):
    raise ValueError("hidden")
try:
    with CM("c"):
        raise KeyError("shown")
except KeyError as e:
    print("propagated", e)
with CM("x") as x, CM("y") as y:
    print(x, y)

def ret_in_with():
    with CM("r"):
        return "returned"
print(ret_in_with())
for i in range(3):
    with CM("loop%d" % i):
        if i == 1:
            continue
        if i == 2:
            break
try:
    with 42:
        pass
except TypeError as e:
    print("TypeError:", e)

class Point:
    __match_args__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y

def classify(obj):
    match obj:
        case 0 | 1 as small:
            return "small %d" % small
        case int(n) if n < 0:
            return "negative"
        case int():
            return "int"
        case "hello":
            return "greeting"
        case str() as s:
            return "str " + s
        case [x, y]:
            return "pair %r %r" % (x, y)
        case [first, *rest]:
            return "seq %r %r" % (first, rest)
        case {"type": "pt", "x": x, **others}:
            return "map %r %r" % (x, sorted(others))
        case Point(0, 0):
            return "origin"
        case Point(x=0, y=yy):
            return "on y axis %r" % yy
        case Point(xx, yy):
            return "point %r %r" % (xx, yy)
        case None:
            return "none"
        case True:
            return "true"
        case 2.5:
            return "float"
        case _:
            return "other"

for o in [0, 1, -3, 7, "hello", "abc", (1, 2), [1, 2, 3], [],
          {"type": "pt", "x": 1, "z": 2}, Point(0, 0), Point(0, 4),
          Point(3, 4), None, 2.5, {1, 2}, {"type": "other"}]:
    print(repr(o) if not isinstance(o, Point) else "Point", "->",
          classify(o))

def color(c):
    match c:
        case (r, g, b) if r == g == b:
            return "grey"
        case (r, _, _):
            return "red %d" % r
print(color((1, 1, 1)), color((5, 0, 0)), color("xyz"))
match {"a": 1}:
    case {"a": 1, "b": _}:
        print("no")
    case {"a": v}:
        print("a is", v)
try:
    match Point(1, 2):
        case Point(1, 2, 3):
            pass
except TypeError as e:
    print("TypeError:", e)
