"""Module docstring."""
from __future__ import annotations
from __future__ import division

import typing


def f(a: int, b: "str" = None, *args: typing.List[int], c: dict[str, int],
      **kw: Callable[[int], None]) -> tuple[int, ...]:
    x: list[int] = []
    y: (a if b else c)
    return x


class C:
    a: int
    b: List[Dict[str, Tuple[int, ...]]] = {}
    c: lambda x: (x, -x)
    d: f(*a, **b, c=1)
    e: 1 + 2 * -3 ** 4 / (5 - 6)
    f: a is not b and not c or d < e <= f
    g: [x for x in y if x] + {k: v for k, v in z} + {s for s in t}
    h: (x for x in y)
    i: "a" "b" + f"x{y!r:>{w}}z"
    j: x[1:2, ::3, ...] + x[()] + x[1,] + x[a, b]
    k: 1.5e300 * 1e10 + 1j + 0.1 + 1e-7 + 1e22
    l: None | True | False | ...
    m: a.b.c(d)[e] + (1).real + -(-x) + (+x) + ~(~x)
    n: (a := 1) if 0 else 0
    o: await x if 0 else 0
    p: b"x" + u"y" + "\n\t\\'\""
    q: lambda *, a=1, **k: 0
    r: lambda a, /, b, *c, d, **e: 0
    s: (yield) if 0 else 0
    t: x if y else (z if w else v)
    u: (a, b), (c,), ()
    v: a @ b // c % d << e >> f & g ^ h | i
    w: 2 ** -1 + (-2) ** 2 + (2 ** 3) ** 4 + 2 ** 3 ** 4
