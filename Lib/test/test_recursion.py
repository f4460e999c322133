# Recursion limit -> RecursionError; deep recursion never crashes.
import sys
print(sys.getrecursionlimit())

def down(n):
    return down(n + 1)

try:
    down(0)
except RecursionError as e:
    print("RecursionError:", e)

class R:
    def __repr__(self):
        return repr(self)
try:
    repr(R())
except RecursionError as e:
    print("RecursionError:", e)

class A:
    def __getattr__(self, name):
        return getattr(self, name)
try:
    A().x
except RecursionError as e:
    print("RecursionError via __getattr__")

def mutual_a(n):
    return mutual_b(n)
def mutual_b(n):
    return mutual_a(n)
for i in range(3):
    try:
        mutual_a(0)
    except RecursionError:
        print("again", i)

def ok_depth(n):
    return 0 if n == 0 else 1 + ok_depth(n - 1)
print(ok_depth(900))

sys.setrecursionlimit(200)
try:
    ok_depth(500)
except RecursionError:
    print("limit 200 enforced")
print(ok_depth(150))
sys.setrecursionlimit(1000)

def gen_rec(n):
    yield from gen_rec(n + 1)
try:
    next(gen_rec(0))
except RecursionError:
    print("generator recursion")

nested = []
for _ in range(100000):
    nested = [nested]
try:
    s = repr(nested)
    print("repr ok", len(s))
except RecursionError:
    print("repr RecursionError")
try:
    sys.setrecursionlimit(0)
except ValueError as e:
    print("ValueError:", e)
