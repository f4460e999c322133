# object.__reduce_ex__/__reduce__/__getstate__ and the __reduce__ of methods
import copyreg
class A:
    def __init__(self): self.x = 1
class S:
    __slots__ = ('a', 'b')
class SD(S):
    pass
class L(list): pass
class D(dict): pass
class N:
    def __getnewargs__(self): return (1, 2)
    def __new__(cls, *a): return object.__new__(cls)
class NX:
    def __getnewargs_ex__(self): return ((1,), {'k': 2})
    def __new__(cls, *a, **k): return object.__new__(cls)
class Bad:
    def __getnewargs_ex__(self): return 5
class R:
    def __reduce__(self): return (R, ())
a = A()
print(a.__reduce_ex__(2)[1:3], a.__reduce_ex__(4)[0].__name__)
s = S(); s.a = 5
print(s.__reduce_ex__(2)[1:3])
sd = SD(); sd.b = 3; sd.z = 4
print(sd.__reduce_ex__(2)[1:3], S().__reduce_ex__(2)[2])
l = L([1, 2]); l.q = 1
r = l.__reduce_ex__(2); print(r[1:3], list(r[3]), r[4])
d = D(a=1); r = d.__reduce_ex__(2); print(r[1:4], list(r[4]))
print(N().__reduce_ex__(2)[1:3], NX().__reduce_ex__(2)[0].__name__, NX().__reduce_ex__(2)[1:3])
try: Bad().__reduce_ex__(2)
except TypeError as e: print(e)
print(R().__reduce_ex__(2))
print(a.__reduce__()[0].__name__, a.__reduce_ex__(0)[0].__name__, a.__reduce_ex__(1)[1:])
for o in (1, 'x', (1,), [1], {1: 2}, 1.5, None, int, len):
    try: print(type(o).__name__, o.__reduce_ex__(2)[0].__name__ if not isinstance(o.__reduce_ex__(2), str) else o.__reduce_ex__(2))
    except Exception as e: print(type(o).__name__, type(e).__name__, e)
try: object().__reduce_ex__('x')
except TypeError as e: print(e)
print(sorted(set(dir(object))))
class M:
    def f(self): pass
print(len.__reduce__(), [].append.__reduce__(), list.append.__reduce__())
print(M().f.__reduce__()[0], M().f.__reduce__()[1][1])
print(list.__dict__['__add__'].__reduce__(), [].__add__.__reduce__())
