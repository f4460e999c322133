# marshal: byte-exact format version 4 output for plain data (the .exp
# comes from CPython 3.11), loads() of those bytes, error messages, and
# round trips of code objects (whose layout is Plait's own, so only their
# behaviour is compared).
import marshal

print("version", marshal.version)


def canon(x):
    """repr with set elements in a fixed order (hash order may differ)."""
    if isinstance(x, (set, frozenset)):
        return type(x).__name__ + "(" + ", ".join(sorted(map(canon, x))) + ")"
    if isinstance(x, (list, tuple)):
        return type(x).__name__ + "(" + ", ".join(map(canon, x)) + ")"
    if isinstance(x, dict):
        return "{" + ", ".join(canon(k) + ": " + canon(v)
                               for k, v in x.items()) + "}"
    return repr(x)


def show(label, value, *versions):
    for v in versions or (4,):
        data = marshal.dumps(value, v) if versions else marshal.dumps(value)
        back = marshal.loads(data)
        print(label, v, data.hex(), canon(back), back == value,
              type(back).__name__)


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(label, type(e).__name__, e)
    else:
        print(label, "ok", repr(r))


# singletons and scalars
show("none", None)
show("true", True)
show("false", False)
show("ellipsis", ...)
show("stopiter", StopIteration)
for n in (0, 1, -1, 255, 256, -5, 1000, -1000, 2**31 - 1, -2**31,
          2**31, -2**31 - 1, 2**32, 2**45, 2**60 + 12345, -2**63,
          10**30, -(10**40) + 7, 2**15 - 1, 2**15, 2**30, 2**75):
    show("int", n)
for f in (0.0, -0.0, 1.5, -2.25, 1e300, 1e-300, float("inf"),
          float("-inf"), 3.141592653589793):
    show("float", f)
nan = marshal.loads(marshal.dumps(float("nan")))
print("nan", nan != nan, marshal.dumps(float("nan")).hex())

# strings of every form
show("str", "")
show("str", "abc")
show("str", "hello world")
# (strings built at run time: which constants a compiler interns differs)
show("str", "".join(["x"] * 300))
e_acute = "".join([chr(0xe9), "t"])
show("str", "caf" + e_acute)
show("str", "\u20ac uro \U0001f600")
show("str", "".join(["a"] * 255))
show("str", "".join(["a"] * 256))
s = "not interned " + str(12345)
show("strvar", s)
show("surrogate", "\ud800x")

# bytes
show("bytes", b"")
show("bytes", b"\x00\x01abc\xff")
show("bytes", bytes(range(256)))
print("bytearray", marshal.dumps(bytearray(b"xy")).hex())

# containers
show("tuple", ())
show("tuple", (1, 2, 3))
show("tuple", tuple(range(300)))
show("list", [])
show("list", [1, [2, [3, None]], "s"])
show("dict", {})
show("dict", {"a": 1, "b": [2, 3], 5: None})
show("set", set())
show("set", {3, 1, 2})
show("set", {"bb", "a", "c", "dd"})
show("frozenset", frozenset())
show("frozenset", frozenset({1, "b", (1, 2)}))
show("nested", {"k": ({1, 2}, frozenset({3}), [b"x", ("y",)])})

# references
x = "shared value!"
show("refs", [x, x, (x,)])
big = 123456789012345
show("refs", (big, big))
lst = []
lst.append(lst)
data = marshal.dumps(lst)
print("selfref", data.hex())
back = marshal.loads(data)
print("selfref", back[0] is back)
made = [i * 1000 for i in range(3)]
print("fresh", marshal.dumps([i * 1000 for i in range(3)]).hex())

# older versions
for v in range(5):
    show("ver", ("abc", "a b", e_acute, 1.5, 10**20, {3, 1, 2}, [7]), v)

# reading CPython-produced bytes
for h in ("e901000000", "da03616263", "a90272000000007200000000",
          "5b02000000e9010000007200000000", "6c03000000010002000300",
          "6cfdffffff010002000300", "7b5a01617b00300030",
"3e00000000", "6603312e35",
          "67000000000000f83f", "730300000061620a",
          "7502000000c3a9", "7401000000787a",
          "4907000000e9010000", "c90100000000000080"):
    data = bytes.fromhex(h)
    err("loads " + h, marshal.loads, data)

# errors
err("empty", marshal.loads, b"")
err("short", marshal.loads, b"i\x01")
err("badcode", marshal.loads, b"Q")
err("badref", marshal.loads, b"r\x00\x00\x00\x00")
err("nulltuple", marshal.loads, b"(\x01\x00\x00\x000")
err("nulllist", marshal.loads, b"[\x01\x00\x00\x000")
err("nullset", marshal.loads, b"<\x01\x00\x00\x000")
err("nullobj", marshal.loads, b"0")
err("dictend", marshal.loads, b"{0")
err("dictval", marshal.loads, b"{N0")
err("unnorm", marshal.loads, b"l\x01\x00\x00\x00\x00\x00")
err("digit", marshal.loads, b"l\x01\x00\x00\x00\x00\x80")
err("tuplesize", marshal.loads, b"(\xff\xff\xff\xffN")
err("bytessize", marshal.loads, b"s\xff\xff\xff\xffN")
err("strsize", marshal.loads, b"u\xff\xff\xff\xffN")
err("asciisize", marshal.loads, b"a\xff\xff\xff\xffN")
err("listsize", marshal.loads, b"[\xff\xff\xff\xffN")
err("setsize", marshal.loads, b"<\xff\xff\xff\xffN")
err("utf8", marshal.loads, b"u\x02\x00\x00\x00\xff\xfe")
err("negone", marshal.loads, b"l\xff\xff\xff\xff\x01\x00")
err("extra", marshal.loads, b"(\x00\x00\x00\x00extra")
err("str", marshal.loads, "(")
err("bytearray", marshal.loads, bytearray(b"N"))
err("object", marshal.dumps, object())
err("inlist", marshal.dumps, [1, object()])
err("subclass", marshal.dumps, type("I", (int,), {})(3))
err("version", marshal.dumps, 1, "x")
err("float text", marshal.loads, b"f\x03abc")
err("frozen selfref", marshal.loads,
    b"\xbe\x01\x00\x00\x00r\x00\x00\x00\x00")
err("tuple selfref", marshal.loads, b"\xa9\x01r\x00\x00\x00\x00")
deep = []
for i in range(3000):
    deep = [deep]
err("deep dumps", marshal.dumps, deep)
err("deep loads", marshal.loads,
    b"[\x01\x00\x00\x00" * 2100 + b"N")
ok = []
for i in range(300):
    ok = [ok]
print("nested 300", marshal.loads(marshal.dumps(ok)) == ok)


# dump/load with file-like objects (io may be missing: a tiny one)
class File:
    def __init__(self, data=b""):
        self.data = bytearray(data)
        self.pos = 0

    def write(self, b):
        self.data += b
        return len(b)

    def read(self, n=-1):
        if n < 0:
            n = len(self.data) - self.pos
        r = bytes(self.data[self.pos:self.pos + n])
        self.pos += len(r)
        return r

    def readinto(self, buf):
        r = self.read(len(buf))
        buf[:len(r)] = r
        return len(r)


f = File()
marshal.dump({"a": (1, 2)}, f)
marshal.dump([3.5, "z"], f, 2)
marshal.dump("last", f)
print("file", bytes(f.data).hex())
g = File(bytes(f.data))
print("load", marshal.load(g), marshal.load(g), marshal.load(g))
err("load eof", marshal.load, g)
err("load short", marshal.load, File(b"i\x01"))


# code objects: round trip and run
src = '''
import sys
def f(a, b=2, *args, c, d=4, **kw):
    x = [a, b, args, c, d, sorted(kw.items())]
    def inner(y):
        return x, y, a
    try:
        1 / 0
    except ZeroDivisionError as e:
        x.append(type(e).__name__)
    return inner(len(x))

class C:
    attr = 3
    def m(self):
        return self.attr * 2

async def co():
    return 1

def gen(n):
    for i in range(n):
        yield i * i

result = (f(1, c=3, z=9), C().m(), list(gen(5)), "s",
          {1: "one"}, frozenset({7}), b"bytes", (1, (2, (3,))), -7, 10**25)
'''
code = compile(src, "marshal_src", "exec")
data = marshal.dumps(code)
code2 = marshal.loads(data)
print("code type", type(code2).__name__)
ns1, ns2 = {}, {}
exec(code, ns1)
exec(code2, ns2)
print("code result", ns2["result"] == ns1["result"], ns2["result"])
print("code equal", code2 == code)


def attrs(c, depth=0):
    names = ("co_argcount", "co_posonlyargcount", "co_kwonlyargcount",
             "co_nlocals", "co_stacksize", "co_flags", "co_firstlineno",
             "co_code", "co_names", "co_varnames", "co_cellvars",
             "co_freevars", "co_filename", "co_name", "co_qualname",
             "co_linetable", "co_exceptiontable")
    return [getattr(c, n) for n in names]


def compare(a, b, path):
    same = attrs(a) == attrs(b)
    print("co_* equal", path, same)
    subs_a = [c for c in a.co_consts if type(c).__name__ == "code"]
    subs_b = [c for c in b.co_consts if type(c).__name__ == "code"]
    for sa, sb in zip(subs_a, subs_b):
        compare(sa, sb, path + "/" + sa.co_name)


compare(code, code2, "<module>")
print("lines", list(code2.co_lines()) == list(code.co_lines()))
print("redump", marshal.loads(marshal.dumps(code2)) == code)
fn = ns2["f"]
print("call", fn(5, c=6))
try:
    ns2["C"]().m.__func__.__code__.co_name
    print("method name", ns2["C"].m.__code__.co_qualname)
except Exception as e:
    print("error", e)
err("truncated code", marshal.loads, data[:len(data) // 2])
