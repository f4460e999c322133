# Closures, nonlocal, global, cells, class scopes.
def counter():
    n = 0
    def inc(step=1):
        nonlocal n
        n += step
        return n
    return inc

c = counter()
print(c(), c(), c(5))
print(c.__code__.co_freevars, counter.__code__.co_cellvars)

G = 1
def set_global():
    global G
    G = G + 1

set_global()
print(G)

def make_adders():
    return [lambda x, i=i: x + i for i in range(3)]

print([f(10) for f in make_adders()])

def late_binding():
    fs = [lambda: i for i in range(3)]
    return [f() for f in fs]

print(late_binding())

def nested():
    x = 1
    def a():
        def b():
            return x
        return b()
    x = 2
    return a()

print(nested())

def unbound():
    try:
        print(y)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    y = 1

unbound()

def free_unbound():
    def inner():
        return z
    try:
        inner()
    except NameError as e:
        print(type(e).__name__ + ":", e)
    z = 1

free_unbound()

try:
    undefined_name
except NameError as e:
    print("NameError:", e)

class K:
    v = 10
    w = [v * 2]
    def m(self):
        return self.v

print(K.w, K().m())

def class_in_func():
    x = "outer"
    class C:
        y = x
    return C.y

print(class_in_func())

def del_local():
    a = 1
    del a
    try:
        a
    except UnboundLocalError as e:
        print("del:", e)

del_local()
x = 5
def shadow():
    x = 6
    return x, globals()["x"]

print(shadow())
print(sorted(k for k in locals() if not k.startswith("__"))[:5])
