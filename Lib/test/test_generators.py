# Generators: send, throw, close, yield from, return values,
# StopIteration -> RuntimeError, generator expressions.
def gen():
    x = yield 1
    print("got", x)
    y = yield x * 2
    print("got", y)
    return "done"

g = gen()
print(next(g), g.send(10))
try:
    g.send(20)
except StopIteration as e:
    print("StopIteration", e.value)

def catcher():
    while True:
        try:
            yield "waiting"
        except ValueError as e:
            yield "caught %s" % e

c = catcher()
print(next(c), c.throw(ValueError("boom")), next(c))

def closer():
    try:
        yield 1
        yield 2
    except GeneratorExit:
        print("closing")
        raise
    finally:
        print("finally in gen")

cl = closer()
next(cl)
cl.close()
print(cl.gi_frame is None)

def inner():
    a = yield "i1"
    yield "i2:%s" % a
    return "inner-ret"

def outer():
    r = yield from inner()
    yield "outer got " + r
    yield from [7, 8]

o = outer()
print(next(o), o.send("A"), next(o), list(o))

def delegating_throw():
    try:
        yield from catcher()
    finally:
        print("outer finally")
d = delegating_throw()
print(next(d), d.throw(ValueError("x")))
d.close()

def bad():
    raise StopIteration
    yield
try:
    next(bad())
except RuntimeError as e:
    print("RuntimeError:", e, type(e.__cause__).__name__)

def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

f = fib()
print([next(f) for _ in range(10)])
print(sum(x * x for x in range(10)), list(x for x in "abc" if x != "b"))
print(list(zip(fib(), "xyz")))

def running():
    yield gr.gi_running
gr = running()
print(next(gr), gr.gi_running)

ge = (i for i in range(3))
print(type(ge).__name__, next(ge), list(ge), list(ge))

def gen_ret():
    yield 1
    return 5
it = gen_ret()
print(list(it))
try:
    next(it)
except StopIteration as e:
    print("exhausted", e.value)

try:
    g2 = gen()
    g2.send(1)
except TypeError as e:
    print("TypeError:", e)

def counter_gen(n):
    for i in range(n):
        received = yield i
        if received:
            print("reset requested")
cg = counter_gen(3)
print(next(cg), cg.send(True), next(cg))
print(gen.__name__, g.__name__, g.__qualname__)

def thrower():
    yield 1
tg = thrower()
try:
    tg.throw(KeyError("k"))
except KeyError as e:
    print("KeyError thrown into unstarted:", e)
