import os
import os.path as osp
from collections import OrderedDict as OD


def calls(a, b, *args, **kwargs):
    f(a)
    f(a, b, c=1, d=2)
    f(*a)
    f(*a, *b)
    f(**b)
    f(a, *b, c=1, **d)
    f(a, c=1, **d, e=2)
    a.m(1, 2)
    a.m(x=1)
    a.m(*b)
    a.b.m()
    os.getcwd()
    osp.join(a, b)
    OD.fromkeys(a)
    (a
     .b
     .c(1)
     .d(
        2))
    f(x for x in a)
    f(lambda: 1, lambda x, *y, z=1, **w: x)
    print(a, b, sep="",
          end="")
    super().m()
    return f(a)(b)(c)


@dec
@dec2(1)
class C(Base, metaclass=M, **kw):
    "doc"
    x: int = 1
    y: "str"
    __private = 2

    def method(self, a, /, b, *, c=3) -> int:
        return __class__, self.__private, super().method()

    @property
    def p(self):
        def inner():
            return __class__
        return inner

    class Nested:
        def m(self):
            return self

    lam = lambda self: self.x


def closures(a):
    b = 1

    def g(c):
        nonlocal b
        b += c
        return a + b + c

    class K:
        a = a
        def m(self):
            return a, b

    return g, K, [a + i for i in range(b)], {i: b for i in a}, lambda: b


def defaults(a=1, b=[], *, c=lambda: 1, d={}, e=(1, 2)):
    def inner(x=a, *, y=b):
        return x, y
    return inner


def fstrings(a, b):
    return (f"{a}", f"{a!r}", f"{a!s:>10}", f"{a:{b}.{b}}", f"x{a}y{b}z",
            f"{a=}", f"{a!a}", f"{{}}", f"{'%s' % a}", f"{a:%Y}")
