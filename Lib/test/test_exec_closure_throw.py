# exec()/eval() of code objects with free variables, and generator.throw()
# of a class whose __new__ returns a non-exception (both crashed before)
def f(x):
    return lambda: x + 1
g = f(3)
def t(fn):
    try: fn()
    except BaseException as e: print(type(e).__name__, e)
t(lambda: eval(g.__code__))
t(lambda: exec(g.__code__))
t(lambda: exec(g.__code__, {}, closure=5))
t(lambda: exec(g.__code__, {}, closure=(1,)))
t(lambda: exec(g.__code__, {}, closure=()))
t(lambda: exec((lambda: 1).__code__, {}, closure=g.__closure__))
t(lambda: exec('1', {}, closure=g.__closure__))
print(exec(g.__code__, {}, closure=g.__closure__))
class E(Exception):
    def __new__(cls, *args, **kwargs):
        return cls
def r(): raise E
t(r)
def boring():
    yield
gen = boring()
t(lambda: gen.throw(E))
t(lambda: next(gen))
