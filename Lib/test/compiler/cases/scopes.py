x = 0


class A:
    x = 1
    y = [x for _ in range(3)]
    z = (lambda: x)()

    def f(self):
        return x, __class__

    class B:
        def g(self):
            return super().g(), self.__h

    __h = 2
    __i__ = 3


def outer():
    a = 1
    b = 2

    class C:
        a = 3
        print(a, b)

        def m(self):
            nonlocal b
            b = a
            return [a + b for _ in ()]
    return C


def walrus(data):
    if any((n := v) > 3 for v in data):
        return n
    [(last := v) for v in data]
    return last, [y for x in data if (y := x * 2) > 0]


[(mod_level := i) for i in range(3)]


def star_globals():
    global x, gy
    x, *gy = 1, 2, 3
    del gy


def deep(a):
    def l1():
        def l2():
            def l3():
                return a
            return l3
        return l2
    return l1


def args(a, b=1, /, c=2, *d, e, f=3, **g):
    def inner():
        return a, b, c, d, e, f, g
    return inner


async def agen(a):
    async with a:
        yield 1
    try:
        yield 2
    finally:
        await a
    async for x in a:
        yield x


def gen_with_return():
    try:
        yield 1
        return 2
    finally:
        yield 3


def comprehension_scopes(a):
    return ([[x + y for y in a] for x in a],
            {x: [y for y in x] for x in a},
            (x for x in a for y in x if y),
            [lambda: x for x in a])
