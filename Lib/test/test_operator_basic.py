# _operator: every function of 3.11's module, itemgetter / attrgetter /
# methodcaller (calls, reprs, __reduce__, errors), length_hint,
# _compare_digest, index, concat/iconcat, call; and operator.py, which
# re-exports the C versions.
import _operator as o
import operator


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


print([n for n in dir(o) if not n.startswith('__')])
print(operator.itemgetter is o.itemgetter, operator.add is o.add,
      operator.__dict__['call'] is o.call)

# --- arithmetic and comparison
BIN = ['add', 'sub', 'mul', 'floordiv', 'truediv', 'mod', 'pow', 'lshift',
       'rshift', 'and_', 'or_', 'xor']
for name in BIN:
    f = getattr(o, name)
    print(name, f(13, 5), f(-7, 3), f.__doc__, f.__text_signature__)
    iname = 'i' + name.rstrip('_')
    print(iname, getattr(o, iname)(13, 5), getattr(o, iname).__doc__)
for name in ['neg', 'pos', 'abs', 'inv', 'invert', 'not_', 'truth', 'index']:
    f = getattr(o, name)
    print(name, f(5), f(0), f.__doc__, f.__text_signature__)
for name in ['lt', 'le', 'eq', 'ne', 'gt', 'ge']:
    f = getattr(o, name)
    print(name, f(1, 2), f(2, 2), f('b', 'a'), f.__doc__)
print(o.is_(None, None), o.is_not(None, None), o.is_([], []))
print(o.truediv(7, 2), o.floordiv(7.5, 2), o.pow(2, -1), o.ipow(3, 4))
show(lambda: o.truediv(1, 0))
show(lambda: o.neg('a'))
show(lambda: o.lt(1, 'a'))
show(lambda: o.matmul(1, 2))
show(lambda: o.imatmul(1, 2))


class M:
    def __matmul__(self, other):
        return ('matmul', other)

    def __imatmul__(self, other):
        return ('imatmul', other)


print(o.matmul(M(), 3), o.imatmul(M(), 4))
lst = [1]
print(o.iadd(lst, [2]) is lst, lst, o.iconcat(lst, (3,)) is lst, lst)
print(o.imul([1, 2], 2), o.ior({1}, {2}), o.ixor(6, 3), o.iand(6, 3))

# --- index, truth
show(lambda: o.index(True))
show(lambda: type(o.index(True)))
show(lambda: o.index(1.5))
show(lambda: o.index(2**100))


class Idx:
    def __index__(self):
        return 7


print(o.index(Idx()), o.truth([]), o.truth([0]), o.not_(''), o.not_('x'))

# --- sequences
print(o.concat([1], [2]), o.concat('a', 'b'), o.concat((1,), (2,)))
show(lambda: o.concat(1, 2))
show(lambda: o.concat([1], (2,)))
show(lambda: o.iconcat(1, 2))
show(lambda: o.concat({}, {}))
print(o.contains([1, 2], 2), o.contains('abc', 'z'), o.countOf([1, 2, 1, 1], 1),
      o.indexOf('abcb', 'b'))
show(lambda: o.indexOf([1, 2], 5))
show(lambda: o.countOf(5, 1))
d = {}
print(o.setitem(d, 'k', 1), d, o.getitem(d, 'k'), o.delitem(d, 'k'), d)
lst = list(range(10))
print(o.getitem(lst, slice(2, 5)), o.setitem(lst, slice(0, 3), []), lst)
show(lambda: o.getitem([1], 5))
show(lambda: o.delitem({}, 'x'))

# --- argument counts
show(lambda: o.add(1))
show(lambda: o.add(1, 2, 3))
show(lambda: o.setitem([], 0))
show(lambda: o.length_hint())

# --- call
print(o.call(len, [1, 2]), o.call(dict, a=1), o.call(max, 3, 9, key=lambda v: -v))
show(lambda: o.call())
print(o.call.__doc__, o.call.__text_signature__)

# --- length_hint
print(o.length_hint([1, 2]), o.length_hint(iter([1, 2, 3])), o.length_hint(3),
      o.length_hint(3, 9), o.length_hint(3, -1), o.length_hint(range(10)))


class H:
    def __init__(self, v):
        self.v = v

    def __length_hint__(self):
        return self.v


class Len:
    def __len__(self):
        return 4

    def __length_hint__(self):
        return 99


print(o.length_hint(H(5)), o.length_hint(H(NotImplemented), 7), o.length_hint(Len()))
show(lambda: o.length_hint(H(-2)))
show(lambda: o.length_hint(H('a')))
show(lambda: o.length_hint(3, 'x'))
print(o.length_hint.__doc__)

# --- _compare_digest
print(o._compare_digest(b'abc', b'abc'), o._compare_digest(b'abc', b'abd'),
      o._compare_digest(b'ab', b'abc'), o._compare_digest('abc', 'abc'),
      o._compare_digest('', ''), o._compare_digest(bytearray(b'x'), b'x'))
show(lambda: o._compare_digest('a', b'a'))
show(lambda: o._compare_digest(b'a', 'a'))
show(lambda: o._compare_digest('\xe9', '\xe9'))
show(lambda: o._compare_digest(1, 2))
show(lambda: o._compare_digest(1, b'a'))

# --- itemgetter
g = o.itemgetter(1)
print(g([10, 20]), g('xy'), g((5, 6)), g({1: 'one'}), repr(g))
g2 = o.itemgetter(0, -1, slice(1, 3))
print(g2('abcd'), repr(g2), repr(o.itemgetter('a', None)))
print(g.__reduce__(), g2.__reduce__())
print(sorted([(2, 'b'), (1, 'z'), (3, 'a')], key=o.itemgetter(1)))
show(lambda: o.itemgetter())
show(lambda: o.itemgetter(1, x=2))
show(lambda: g([1, 2], 3))
show(lambda: g())
show(lambda: g(x=1))
show(lambda: o.itemgetter(5)('ab'))
show(lambda: o.itemgetter(5)((1, 2)))
show(lambda: o.itemgetter(-1)((1, 2)))
show(lambda: o.itemgetter(2**70)((1, 2)))
show(lambda: g.x)
print(type(g).__name__, type(g).__module__, type(g).__qualname__)
print(o.itemgetter.__doc__)

# --- attrgetter


class Obj:
    pass


a = Obj()
a.x = 1
a.b = Obj()
a.b.c = 'deep'
print(o.attrgetter('x')(a), o.attrgetter('b.c')(a), o.attrgetter('x', 'b.c')(a))
print(repr(o.attrgetter('x')), repr(o.attrgetter('b.c', 'x')))
print(o.attrgetter('b.c', 'x').__reduce__(), o.attrgetter('x').__reduce__())
print(o.attrgetter('real.imag')(3), o.attrgetter('real', 'imag')(3))


class S(str):
    pass


print(repr(o.attrgetter(S('real'))), o.attrgetter(S('real'))(5))
show(lambda: o.attrgetter())
show(lambda: o.attrgetter(1))
show(lambda: o.attrgetter('x', 2))
show(lambda: o.attrgetter('x', y=1))
show(lambda: o.attrgetter('nope')(3))
show(lambda: o.attrgetter('a..b')(3))
show(lambda: o.attrgetter('x.')(a))
show(lambda: o.attrgetter('x')())
print(o.attrgetter.__doc__)

# --- methodcaller
m = o.methodcaller('split', ',', maxsplit=1)
print(m('a,b,c'), repr(m))
m2 = o.methodcaller('upper')
print(m2('abc'), repr(m2), m2.__reduce__())
m3 = o.methodcaller('replace', 'a', 'b')
print(m3('aaa'), repr(m3), m3.__reduce__())
print(repr(o.methodcaller('foo', 1, 'x', k=2, j=[1])))
show(lambda: o.methodcaller())
show(lambda: o.methodcaller(1))
show(lambda: o.methodcaller(name='upper'))
show(lambda: m2('abc', 1))
show(lambda: m2(x=1))
show(lambda: o.methodcaller('nope')(1))
print(o.methodcaller.__doc__)

# --- the types are final and not instantiable as subclasses
for t in (o.itemgetter, o.attrgetter, o.methodcaller):
    try:
        class Sub(t):
            pass
        print('subclassed', t.__name__)
    except TypeError as e:
        print(e)
print(o.__doc__)
