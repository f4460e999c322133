# complex: construction, repr, arithmetic, hashing, comparison, format.
import math
import warnings


def show(label, f):
    try:
        r = f()
    except Exception as e:
        print(label, '->', type(e).__name__, e)
    else:
        print(label, '->', repr(r))


print('--- literals and constant folding')
x = 3j
print(x, type(x).__name__, 1 + 2j, 2j * 2j, (1 + 2j) / (3 - 4j), -0j, 1e300j * 1e10)
print(0j ** 0, 2 ** 1j, 1j ** 2, (1 + 1j) ** 3, (1 + 1j) ** -2, 4 ** 0.5j)
print(abs(1j), abs(3 + 4j), abs(-5j), (3 + 4j).conjugate(), (2j).real, (2j).imag)

print('--- constructor')
args = [(), (1,), (1.5,), (2, 3), (1j,), (1j, 1j), (1 + 2j, 3 + 4j), (True, False),
        (-0.0,), (0.0, -0.0), (10**20, 10**20), (2.5, 1j)]
for a in args:
    show('complex%r' % (a,), lambda: complex(*a))
show('kw', lambda: complex(real=1, imag=2))
show('kw imag only', lambda: complex(imag=2))
show('3 args', lambda: complex(1, 2, 3))
show('bad kw', lambda: complex(x=1))
show('bytes', lambda: complex(b'1'))
show('str + imag', lambda: complex('1', 2))
show('str + imag kw', lambda: complex('1', imag=2))
show('imag str', lambda: complex(1, '2'))
show('list', lambda: complex([]))
show('imag list', lambda: complex(1, []))
show('None', lambda: complex(None))
show('huge int', lambda: complex(10**400))
show('huge int imag', lambda: complex(1, 10**400))

print('--- strings')
for s in ['1+2j', ' ( 1_0.5+2_0j ) ', '\u0661\u0662j', '-j', '+J', 'j', '1-infj',
          'NaN+nanj', '', ' ', '()', '(1', '1)', '1 +2j', '1+2', '1+j2', '1_j', '_1j',
          '1__0j', '1+_2j', 'j1', '1e5+3e-2j', '1.j', '.5j', '1..5', '1+2jj',
          '1\x002j', 'infj', '-infinityj', '1e500', '1e500j', '-1-1j', '1+-2j',
          '\t3.5\n', '(  -2.5e-3J  )', '1e1_0j', '0x10', '1j+1', '+1.5-J', 'jj',
          '\u00a01+1j\u2003', '1\u00e9j', '(1+2j)(']:
    show(repr(s), lambda: complex(s))


class WithComplex:
    def __init__(self, v):
        self.v = v

    def __complex__(self):
        return self.v


class Sub(complex):
    pass


class SubWithComplex(complex):
    def __complex__(self):
        return 5j


class WithFloat:
    def __float__(self):
        return 2.5


class WithIndex:
    def __index__(self):
        return 7


class FloatSub(float):
    pass


class BadFloat:
    def __float__(self):
        return 1


class SubFloat:
    def __float__(self):
        return FloatSub(1.25)


class Raises:
    def __float__(self):
        return 1.5

    def __complex__(self):
        raise ValueError('no complex')


print('--- conversions')
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    show('__complex__ 1+2j', lambda: complex(WithComplex(1 + 2j)))
    show('__complex__ int', lambda: complex(WithComplex(1)))
    show('__complex__ subclass', lambda: complex(WithComplex(Sub(1, 2))))
    show('__float__/__index__', lambda: complex(WithFloat(), WithIndex()))
    show('__index__', lambda: complex(WithIndex()))
    show('subclass arg', lambda: complex(Sub(1, 2)))
    show('subclass arg type', lambda: type(complex(Sub(1, 2))).__name__)
    show('subclass __complex__', lambda: complex(SubWithComplex(1)))
    show('subclass __complex__ + imag', lambda: complex(SubWithComplex(1), 1))
    show('raising __complex__', lambda: complex(Raises()))
    show('bad __float__', lambda: complex(BadFloat()))
    show('float subclass __float__', lambda: complex(SubFloat()))
    for w in caught:
        print('warning:', w.category.__name__, w.message)

s = Sub(1, 2)
print(type(s).__name__, s, type(+s).__name__, type(-s).__name__, type(s.__complex__()).__name__)
print((1j).__complex__() is not None, Sub.__mro__[1].__name__)
print(type(Sub('3+4j')).__name__, Sub('3+4j'))
print((1 + 2j).__getnewargs__(), Sub(5, 6).__getnewargs__())

print('--- repr')
nan, inf = float('nan'), float('inf')
for z in [complex(nan, nan), complex(-0.0, -0.0), complex(0.0, -0.0), complex(-0.0, 0.0),
          complex(1e20, 1e-20), complex(1e16, 2), 1e16j, complex(1, 1e16), -1j,
          complex(-1, -inf), complex(-0.0, nan), complex(inf, 0), 0.1 + 0.2j,
          complex(1 / 3, 2 / 3), complex(123456789012345678, 1), 5e-324j]:
    print(repr(z), str(z))

print('--- arithmetic')
vals = [0, 1, -2, 2.5, -0.5, 1j, 2 - 3j, complex(0.0, -0.0), True]
for a in vals:
    for b in vals:
        if isinstance(a, complex) or isinstance(b, complex):
            row = []
            for op in ('+', '-', '*', '/', '**'):
                try:
                    row.append(repr(eval('a %s b' % op)))
                except Exception as e:
                    row.append(type(e).__name__)
            print(repr(a), repr(b), ' '.join(row))
show('(1e200+0j)**2', lambda: (1e200 + 0j) ** 2)
show('inf**2', lambda: complex(inf) ** 2)
show('inf**2.5', lambda: complex(inf) ** 2.5)
show('nan**2', lambda: complex(nan) ** 2)
show('0j**-1', lambda: 0j ** -1)
show('0j**-1.5', lambda: 0j ** -1.5)
show('0j**1j', lambda: 0j ** 1j)
show('0j**0', lambda: 0j ** 0)
show('pow mod', lambda: pow(1j, 2, 3))
show('1j**101', lambda: (1.0001j) ** 101)
show('1j**100', lambda: (1.0001j) ** 100)
show('1j**-100', lambda: (1.0001j) ** -100)
show('abs big', lambda: abs(complex(1e308, 1e308)))
show('abs inf nan', lambda: abs(complex(inf, nan)))
show('abs nan', lambda: abs(complex(nan, 1)))
show('1j/0', lambda: 1j / 0)
show('1/0j', lambda: 1 / 0j)
show('1j/0.0', lambda: 1j / 0.0)
show('1j + huge', lambda: 1j + 10**400)
show('1j // 2', lambda: 1j // 2)
show('1j % 2', lambda: 1j % 2)
show('divmod', lambda: divmod(1j, 2))
show('1j + "a"', lambda: 1j + 'a')
show('"a" * 1j', lambda: 'a' * 1j)
show('-(1+2j)', lambda: -(1 + 2j))
show('+(1+2j)', lambda: +(1 + 2j))
show('bool 0j', lambda: bool(0j))
show('bool -0j', lambda: bool(complex(-0.0, -0.0)))
show('bool 1e-300j', lambda: bool(1e-300j))

print('--- conversions out')
show('int(1j)', lambda: int(1j))
show('float(1j)', lambda: float(1j))
show('round(1j)', lambda: round(1j))
show('math.sqrt(1j)', lambda: math.sqrt(1j))
show('math.floor(1j)', lambda: math.floor(1j))
show('1j < 2j', lambda: 1j < 2j)
show('1j >= 1', lambda: 1j >= 1)
show('math.isclose', lambda: math.isclose(1j, 1j))

print('--- comparison and hashing')
pairs = [(1 + 0j, 1), (1 + 0j, 1.0), (1 + 1j, 1), (0j, 0), (0j, False), (1j, 1j),
         (complex(2**53 + 1), 2**53 + 1), (complex(2**53), 2**53), (complex(nan), nan),
         (1j, 'x'), (1j, None), (complex(0.5), 0.5)]
for a, b in pairs:
    print(repr(a), repr(b), a == b, b == a, a != b, b != a)
for z in [0j, 1 + 0j, 1j, -1j, 1.5 + 2.5j, complex(3, 0), complex(-1, -1), complex(inf, 0),
          complex(0, inf), complex(1e300, 1e300), complex(2**62, 0), complex(-0.0, 0.0)]:
    print(repr(z), hash(z))
print(hash(complex(3, 0)) == hash(3), hash(complex(2.5, 0)) == hash(2.5),
      hash(complex(-1, 0)) == hash(-1), {1: 'a'}[1 + 0j], len({1, 1.0, 1 + 0j}))

print('--- format')
specs = ['', '10', '<30', '^30', '>30', '*^30', '+', ' ', '-', '.2', '.2f', '.3e', 'g',
         'G', 'E', 'F', 'n', '%', 'd', '=20', '020', '0', ',', '_.2f', ',.3f', 'z.1f',
         '#', '#.0f', 'r', 's', '.0', '.1', '+.3g', '10.2g', 'x', '0<10', 'x<10', ',n',
         ',_', '+#', '\u00e9^14.2f', ' .1e']
for z in [1 + 2j, -1.5 - 2.25j, 2j, -0j, complex(-0.0, 0), complex(0.0, -0.0),
          complex(nan, inf), 1e20 + 1e-20j, 3 + 0j, 123456.789 + 987654.321j]:
    print(repr(z))
    for spec in specs:
        show('  %r' % spec, lambda: format(z, spec))
show('__format__ int', lambda: (1j).__format__(5))
print('{:>12}|{:<10.1f}|{}'.format(1 + 1j, 2 - 2j, 3j))
print(f'{1+2j!r:>10} {2.5j:.3} {-1j}')
print('%s %r' % (1j, 1 + 1j))

print('--- misc')
print(complex.__name__, isinstance(1j, complex), issubclass(bool, complex))
print(sorted(n for n in dir(complex) if not n.startswith('__')))
show('set attr', lambda: setattr(1j, 'real', 2))
show('real is float', lambda: type((1j).real).__name__)
print(sum([1j, 2, 3.5]), [1j] * 2, max([1, 2]) + 1j)
print((1 + 2j) in [1 + 2j], (1 + 2j) in {1 + 2j: 1})
