def loops(x, y):
    while x:
        if y:
            break
        elif x > 2:
            continue
        x -= 1
    else:
        y = 2
    for i in range(x):
        for j in range(i):
            if i == j:
                break
        else:
            continue
        break
    while True:
        pass
    while 1:
        if x: break
    while 0:
        x += 1
    return x, y


def branches(a, b, c):
    if a and b or c:
        return 1
    elif not a or (b and not c):
        return 2
    elif a < b < c:
        return 3
    elif (a if b else c):
        return 4
    elif a is None and b is not None:
        return 5
    if 0:
        return 6
    if 1:
        pass
    if __debug__:
        x = 1
    return a < b == c != a


def nested_finally(f):
    for x in f:
        try:
            try:
                return x
            finally:
                if x:
                    continue
        finally:
            print(x)
    try:
        pass
    finally:
        return 3


def handlers(g):
    try:
        g()
    except ValueError as e:
        print(e)
    except (TypeError, KeyError):
        raise
    except Exception as e:
        raise RuntimeError from e
    else:
        return 1
    finally:
        print("done")
    try:
        g()
    except:
        pass
    try:
        g()
    except* ValueError as eg:
        print(eg)
    except* TypeError:
        pass


async def asyncs(a):
    async with a as b, a as c:
        await b
    async for x in a:
        if x:
            break
    else:
        pass
    return [y async for y in a if await y], {await z for z in a}


def gens(a):
    x = yield
    y = yield x
    z = yield from a
    return (q for q in a if q), lambda: (yield)


def withs(a):
    with a:
        pass
    with a as (b, c), a as d:
        return b
    with a:
        with a:
            raise ValueError


def assigns(a):
    a.b.c = a[1:2] = a[::2] = a
    a.b += 1
    a[0] **= 2
    a[1:3] //= 4
    x, *y, z = a
    (p, q), [r, s] = a
    t = u = v = a
    del a[0], a.b, t
    w: int = 5
    a.x: int = 3
    a[0]: int
    global gg
    gg = 1
    x, y = y, x
    x, y, z = z, y, x
    return x
