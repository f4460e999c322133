# Argument binding and its error messages.
def f(a, b=2, /, c=3, *args, d, e=5, **kw):
    return (a, b, c, args, d, e, sorted(kw.items()))

print(f(1, d=4))
print(f(1, 2, 3, 4, 5, d=6, z=7, y=8))
print(f(*[1, 2], **{"d": 9, "c": 10}))

def g(x, y):
    return x - y

calls = [
    lambda: g(1),
    lambda: g(1, 2, 3),
    lambda: g(1, y=2, x=3),
    lambda: g(1, z=2),
    lambda: f(d=1),
    lambda: f(1),
    lambda: f(1, a=2, d=3),
    lambda: g(),
    lambda: (lambda *, k: k)(),
    lambda: (lambda a, /: a)(a=1),
    lambda: (lambda: 0)(1),
    lambda: (lambda a, b, c: 0)(1),
    lambda: (lambda a, *, b, c: 0)(1),
    lambda: (lambda a=1: 0)(1, 2),
    lambda: g(**{1: 2}),
    lambda: g(*1),
    lambda: g(**1),
    lambda: g(1, **{"y": 2, "x": 3}),
    lambda: len(),
    lambda: len(1, 2),
]
for c in calls:
    try:
        c()
    except TypeError as e:
        print("TypeError:", e)

def defaults(a, b=[]):
    b.append(a)
    return b

print(defaults(1), defaults(2))
print(defaults.__defaults__, f.__kwdefaults__)
print(f.__code__.co_argcount, f.__code__.co_posonlyargcount,
      f.__code__.co_kwonlyargcount, f.__code__.co_varnames)

def kwonly(*, a, b=2):
    return a, b

print(kwonly(a=1), kwonly(b=3, a=4))

def star(*args, **kwargs):
    return args, sorted(kwargs)

print(star(), star(1, *[2, 3], *(4,), x=1, **{"y": 2}, z=3))

def ann(a: int, b: "str" = "x") -> list:
    pass

print(ann.__annotations__)
print(f.__name__, f.__qualname__, ann.__defaults__)

def outer():
    def inner():
        pass
    return inner

print(outer().__qualname__)

def deco(fn):
    def wrapper(*a, **k):
        return ("wrapped", fn(*a, **k))
    return wrapper

@deco
def decorated(x):
    return x * 2

print(decorated(21))
print((lambda *a, **k: (a, k))(1, b=2))
