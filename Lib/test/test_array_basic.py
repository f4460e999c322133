# array.array: construction, every method, sequence protocol, slicing,
# buffer exports, pickling, overflow and other error messages.
import array
import pickle
import copy
import io


def show(label, f, *args, **kw):
    try:
        r = f(*args, **kw)
    except Exception as e:
        print(label, type(e).__name__, e)
    else:
        print(label, repr(r))


A = array.array
print([n for n in dir(array) if not n.startswith('__')])
print([n for n in dir(A) if not n.startswith('__')])
print(array.typecodes, array.ArrayType is A, A.__module__, A.__name__)

samples = {
    'b': [-128, 0, 127], 'B': [0, 1, 255], 'u': 'a\u00e9\U0001f600',
    'h': [-32768, 5, 32767], 'H': [0, 65535], 'i': [-2**31, 7, 2**31 - 1],
    'I': [0, 2**32 - 1], 'l': [-2**63, 2**63 - 1], 'L': [0, 2**64 - 1],
    'q': [-2**63, 2**63 - 1], 'Q': [0, 2**64 - 1], 'f': [1.5, -0.25],
    'd': [1e300, -2.5, 0.1],
}
for tc in array.typecodes:
    a = A(tc, samples[tc])
    print(tc, a, a.itemsize, a.typecode, len(a), a.tobytes().hex())
    b = A(tc)
    b.frombytes(a.tobytes())
    print(' ', b == a, list(b) == list(a), A(tc, a) == a, a[::-1])
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(a, proto)) == a
    print(' ', a.__reduce_ex__(2)[1], a.__reduce_ex__(3)[1][1:3])
    m = memoryview(a)
    print(' ', m.format, m.itemsize, m.nbytes, tc == 'u' or m.tolist() == list(a))
    m.release()
    s = A(tc, samples[tc])
    s.byteswap()
    s.byteswap()
    print(' ', s == a, copy.copy(a) == a, copy.deepcopy(a) == a)

# Overflow messages.
for tc, v in [('b', 200), ('b', -200), ('B', -1), ('B', 256), ('h', 70000),
              ('h', -70000), ('H', -1), ('H', 70000), ('i', 2**31),
              ('i', -2**31 - 1), ('I', -1), ('I', 2**32), ('l', 2**63),
              ('L', -1), ('L', 2**64), ('q', 2**63), ('Q', -1), ('Q', 2**64),
              ('i', 'a'), ('i', 1.5), ('f', 'a'), ('u', 1), ('u', 'ab')]:
    show('overflow %s %r' % (tc, v), A, tc, [v])

a = A('i', [1, 2, 3, 4, 5, 6, 7, 8, 9])
print(a[0], a[-1], a[2:5], a[::2], a[::-3], a[10:], a[-100:2])
a[1:3] = A('i', [20, 30, 40])
print(a)
a[::2] = A('i', [0] * 5)
print(a)
del a[::3]
print(a)
del a[1:3]
print(a)
a[len(a):] = A('i', [100, 101])
a[0:0] = a
print(a)
del a[::-2]
print(a)
a[2] = -5
del a[0]
print(a, len(a), 100 in a, 5 in a, a.count(100), a.index(100))
a.append(7)
a.extend([8, 9])
a.extend(A('i', [10]))
a.extend(x * 2 for x in range(3))
a.insert(0, -1)
a.insert(-1, -2)
a.insert(100, 99)
print(a, a.pop(), a.pop(0), a.pop(-2))
a.remove(0)
a.reverse()
print(a, a.tolist())
a.fromlist([1, 2])
show('fromlist bad', a.fromlist, [3, 'x'])
print(a)
print(a + A('i', [5]), a * 2, 2 * A('i', [1, 2]), A('i', [1]) * -1)
b = A('i', [1, 2])
b += A('i', [3])
b *= 2
print(b)
b *= 0
print(b)
print(A('i', [1, 2]) < A('i', [1, 3]), A('i', [1, 2]) == A('d', [1.0, 2.0]),
      A('i', [1, 2]) < A('d', [1.0, 3.0]), A('b', [1]) <= A('b', [1]),
      A('b', [1, 2]) > A('b', [1]), A('i') == A('i'), A('i', [1]) != [1])
print(A('i', [1, 2, 3]).index(3, 1), A('i', [1, 2, 3, 1]).index(1, -2))
u = A('u', 'hello')
u.fromunicode(' world')
print(u, u.tounicode(), u[1], u[1:3])
print(A('d', range(3)), A('i', (1, 2)), A('b', b'\x01\x02'),
      A('i', A('b', [1, 2])), A('d', A('i', [1, 2])), A('B', bytearray(b'ab')))
print(A('i', iter([5, 6])), A('i', None) if False else A('i'))

# Files.
f = io.BytesIO()
A('h', [1, 2, 3]).tofile(f)
f.seek(0)
c = A('h')
c.fromfile(f, 2)
print(c, f.read())
f.seek(0)
show('fromfile short', c.fromfile, f, 5)
print(c)

# Buffer exports block resizing.
b = A('b', [1, 2, 3])
m = memoryview(b)
for label, op in [('append', lambda: b.append(1)), ('pop', b.pop),
                  ('extend', lambda: b.extend([1])),
                  ('del', lambda: b.__delitem__(0)),
                  ('slice', lambda: b.__setitem__(slice(0, 1), A('b'))),
                  ('iadd', lambda: b.__iadd__(b)),
                  ('imul', lambda: b.__imul__(2)),
                  ('frombytes', lambda: b.frombytes(b'a')),
                  ('insert', lambda: b.insert(0, 1)),
                  ('setitem', lambda: b.__setitem__(0, 5)),
                  ('reverse', b.reverse), ('byteswap', b.byteswap),
                  ('slice same size',
                   lambda: b.__setitem__(slice(0, 1), A('b', [9])))]:
    show(label, op)
m[1] = 42
print(b, m.tolist())
m.release()
b.append(4)
print(b)

# Pickling, iterators.
class Sub(A):
    pass

s = Sub('i', [1, 2])
s.attr = 'x'
t = pickle.loads(pickle.dumps(s, 4))
print(type(t).__name__, t, t.attr, repr(s))
it = iter(A('i', [1, 2, 3]))
next(it)
print(type(it).__name__, it.__reduce__()[1:], list(pickle.loads(pickle.dumps(it))))
print(list(it), list(it))
print(array._array_reconstructor(A, 'i', 9, b'\x00\x00\x00\x01'),
      array._array_reconstructor(A, 'h', 8, b'\x01\x00\x00\x00'),
      array._array_reconstructor(A, 'd', 15, b'\x3f\x80\x00\x00'),
      array._array_reconstructor(A, 'u', 19, b'\x00a\x00b'),
      array._array_reconstructor(A, 'Q', 11, b'\x00' * 7 + b'\x05'))

# Errors.
a = A('i', [1, 2])
for label, op in [
        ('typecode', lambda: A('z')), ('str init', lambda: A('i', 'ab')),
        ('bytes len', lambda: A('i', b'abc')), ('index', lambda: a.index(5)),
        ('remove', lambda: a.remove(5)), ('pop empty', lambda: A('i').pop()),
        ('pop range', lambda: a.pop(5)), ('getitem', lambda: a[5]),
        ('setitem', lambda: a.__setitem__(5, 1)), ('add list', lambda: a + [1]),
        ('add kind', lambda: a + A('b')), ('mul str', lambda: a * 'x'),
        ('tounicode', a.tounicode), ('fromunicode', lambda: a.fromunicode('x')),
        ('frombytes', lambda: a.frombytes(b'abc')),
        ('extend kind', lambda: a.extend(A('b'))),
        ('slice assign list', lambda: a.__setitem__(slice(0, 2), [1])),
        ('ext slice size', lambda: a.__setitem__(slice(0, 2, 2), A('i', [1, 2]))),
        ('fromlist', lambda: a.fromlist(3)), ('no args', lambda: A()),
        ('three args', lambda: A('i', [1], 2)), ('kw', lambda: A('i', x=1)),
        ('fromfile', lambda: a.fromfile(1, 2)),
        ('fromfile neg', lambda: a.fromfile(io.BytesIO(), -1)),
        ('hash', lambda: hash(a)), ('delitem', lambda: a.__delitem__(9)),
        ('insert', lambda: a.insert('x', 1)), ('count', lambda: a.count()),
        ('recon type', lambda: array._array_reconstructor(int, 'i', 1, b'')),
        ('recon tc', lambda: array._array_reconstructor(A, 'x', 1, b'')),
        ('recon mf', lambda: array._array_reconstructor(A, 'i', 99, b'')),
        ('recon len', lambda: array._array_reconstructor(A, 'i', 8, b'abc')),
        ('recon items', lambda: array._array_reconstructor(A, 'i', 8, 'x')),
        ('set str', lambda: a.__setitem__(0, 'x')),
        ('set d str', lambda: A('d', [1]).__setitem__(0, 'x')),
        ('set u int', lambda: A('u', 'a').__setitem__(0, 1)),
        ('index str', lambda: a['x']),
        ('slice int', lambda: a.__setitem__(slice(None), 5)),
        ('u from i', lambda: A('u', A('i', [1]))),
        ('i from u', lambda: A('i', A('u', 'a'))),
        ('tc int', lambda: A(1)), ('tc long', lambda: A('ii')),
        ('iadd list', lambda: a.__iadd__([1])),
        ('frombytes str', lambda: a.frombytes('x')),
        ('index bad start', lambda: a.index(1, 'x')),
        ('I neg', lambda: A('I', [1]).__setitem__(0, -1)),
        ('fromunicode int', lambda: A('u').fromunicode(1))]:
    show(label, op)
print(a)
