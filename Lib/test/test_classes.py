# Classes: inheritance, super, properties, class/static methods, dunders,
# __slots__, metaclasses, __init_subclass__, __set_name__.
class Base:
    kind = "base"
    def __init__(self, x):
        self.x = x
    def describe(self):
        return "%s(%r)" % (type(self).__name__, self.x)
    def __repr__(self):
        return "<%s>" % self.describe()

class Child(Base):
    kind = "child"
    def __init__(self, x, y):
        super().__init__(x)
        self.y = y
    def describe(self):
        return super().describe() + "+" + str(self.y)

c = Child(1, 2)
print(c, c.kind, Base.kind, isinstance(c, Base), issubclass(Child, Base))
print([k.__name__ for k in Child.__mro__])

class A:
    def who(self):
        return ["A"]
class B1(A):
    def who(self):
        return ["B1"] + super().who()
class B2(A):
    def who(self):
        return ["B2"] + super().who()
class D(B1, B2):
    def who(self):
        return ["D"] + super().who()
print(D().who(), [k.__name__ for k in D.__mro__])

class P:
    def __init__(self):
        self._v = 0
    @property
    def v(self):
        return self._v
    @v.setter
    def v(self, value):
        if value < 0:
            raise ValueError("negative")
        self._v = value
    @v.deleter
    def v(self):
        self._v = None

p = P()
p.v = 3
print(p.v)
try:
    p.v = -1
except ValueError as e:
    print("ValueError:", e)
del p.v
print(p.v)

class M:
    count = 0
    @classmethod
    def make(cls):
        cls.count += 1
        return cls()
    @staticmethod
    def add(a, b):
        return a + b

class N(M):
    pass

print(type(N.make()).__name__, N.count, M.count, M.add(2, 3), M().add(1, 1))

class Vec:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
    __rmul__ = __mul__
    def __eq__(self, o):
        return isinstance(o, Vec) and (self.x, self.y) == (o.x, o.y)
    def __hash__(self):
        return hash((self.x, self.y))
    def __len__(self):
        return 2
    def __getitem__(self, i):
        return (self.x, self.y)[i]
    def __iter__(self):
        yield self.x
        yield self.y
    def __bool__(self):
        return bool(self.x or self.y)
    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)
    def __lt__(self, o):
        return (self.x, self.y) < (o.x, o.y)
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __call__(self, z):
        return self.x + self.y + z
    def __contains__(self, v):
        return v in (self.x, self.y)

v = Vec(1, 2)
print(v + Vec(3, 4), v * 2, 3 * v, -v, len(v), v[1], list(v), bool(Vec(0, 0)))
print(v == Vec(1, 2), v != Vec(1, 2), sorted([Vec(2, 1), Vec(1, 5)]), v(10))
print(2 in v, 5 in v, {v: 1}[Vec(1, 2)])
try:
    v.z = 1
except AttributeError as e:
    print("AttributeError:", e)
print(hasattr(v, "__dict__"))

class Meta(type):
    def __new__(mcls, name, bases, ns, **kw):
        ns["tag"] = kw.get("tag", name.lower())
        return super().__new__(mcls, name, bases, ns)
    def __call__(cls, *a):
        inst = super().__call__(*a)
        inst.created_by = "Meta"
        return inst

class T(metaclass=Meta, tag="tee"):
    def __init__(self, a=0):
        self.a = a

t = T(5)
print(type(T).__name__, T.tag, t.a, t.created_by)

class Plugin:
    registry = []
    def __init_subclass__(cls, name=None, **kw):
        super().__init_subclass__(**kw)
        Plugin.registry.append(name or cls.__name__)

class Foo(Plugin, name="foo"):
    pass
class Bar(Plugin):
    pass
print(Plugin.registry)

class Field:
    def __set_name__(self, owner, name):
        self.name = name
    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return obj.__dict__.get(self.name, "unset:" + self.name)

class Rec:
    f = Field()
print(Rec().f, Rec.f.name)

class G:
    def __getattr__(self, name):
        return "dyn_" + name
g = G()
g.real = 1
print(g.real, g.other)

class Ctx:
    def __init__(self):
        self.data = {}
    def __setitem__(self, k, v):
        self.data[k] = v
    def __getitem__(self, k):
        return self.data[k]
    def __delitem__(self, k):
        del self.data[k]

cx = Ctx()
cx["a"] = 1
cx["a"] += 5
print(cx["a"])
del cx["a"]
print(cx.data)

class Str:
    def __str__(self):
        return "str!"
    def __format__(self, spec):
        return "fmt:" + spec
print(str(Str()), f"{Str():xyz}", format(Str(), "q"))
print(Child.__name__, Child.__qualname__, Child.__bases__[0].__name__)
try:
    Base()
except TypeError as e:
    print("TypeError:", e)
try:
    object().foo
except AttributeError as e:
    print("AttributeError:", e)
try:
    c.nope
except AttributeError as e:
    print("AttributeError:", e)
