# memoryview: views, formats, casts, slicing, release, exports, comparison.
import re
import _thread


def show(label, f):
    try:
        r = f()
    except Exception as e:
        print(label, '->', type(e).__name__, e)
    else:
        if isinstance(r, memoryview):
            r = ('memoryview', r.format, r.shape, r.strides, r.tobytes())
        print(label, '->', repr(r))


def noaddr(s):
    return re.sub(r'0x[0-9a-f]+', '0x...', s)


print('--- attributes')
b = bytearray(b'abcdefgh')
m = memoryview(b)
for name in ['format', 'itemsize', 'ndim', 'shape', 'strides', 'suboffsets', 'nbytes',
             'readonly', 'c_contiguous', 'f_contiguous', 'contiguous']:
    print(name, getattr(m, name))
print(m.obj is b, len(m), noaddr(repr(m)), type(m).__name__)
ro = memoryview(b'xyz')
print(ro.readonly, ro.toreadonly().readonly, m.toreadonly().readonly, ro.obj)
print(sorted(n for n in dir(memoryview) if not n.startswith('__')))

print('--- indexing and slicing')
show('m[0]', lambda: m[0])
show('m[-1]', lambda: m[-1])
show('m[8]', lambda: m[8])
show('m[-9]', lambda: m[-9])
show('m[1:5:2]', lambda: m[1:5:2])
show('m[::-1]', lambda: m[::-1])
show('m[::-3]', lambda: m[::-3])
show('m[5:2]', lambda: m[5:2])
show('m[-3:]', lambda: m[-3:])
show('m["a"]', lambda: m['a'])
show('m[1.0]', lambda: m[1.0])
show('m[...]', lambda: m[...])
show('m[()]', lambda: m[()])
show('m[0, 1]', lambda: m[0, 1])
show('m[0:1, 0:1]', lambda: m[0:1, 0:1])
show('m[True]', lambda: m[True])
show('m[2**70]', lambda: m[2**70])
show('slice of slice', lambda: m[1:7][::2][1:])
show('slice strides', lambda: m[::-2].strides)
show('slice contiguous', lambda: (m[::2].c_contiguous, m[::2].contiguous, m[2:4].c_contiguous))
show('list', lambda: list(m))
show('list of slice', lambda: list(m[::3]))
show('reversed', lambda: list(reversed(m)))
show('in', lambda: (99 in m, 200 in m))

print('--- casts and formats')
show('cast i', lambda: m.cast('i'))
show('cast i tolist', lambda: m.cast('i').tolist())
show('cast i 2x1', lambda: m.cast('i', (2, 1)).tolist())
show('cast B 2x4', lambda: m.cast('B', [2, 4]).tolist())
show('cast B 2x2x2', lambda: m.cast('B', [2, 2, 2]).tolist())
show('cast @h', lambda: m.cast('@h').format)
show('cast x', lambda: m.cast('x'))
show('cast <i', lambda: m.cast('<i'))
show('cast ii', lambda: m.cast('ii'))
show('cast e', lambda: m.cast('e'))
show('cast int', lambda: m.cast(1))
show('cast size', lambda: m.cast('B', (3,)))
show('cast non-byte', lambda: m.cast('i').cast('h'))
show('cast back', lambda: m.cast('i').cast('B'))
show('cast c', lambda: m.cast('c').tolist())
show('cast ?', lambda: m.cast('?').tolist())
show('cast d', lambda: m.cast('d').nbytes)
show('cast shape int', lambda: m.cast('B', 3))
show('cast shape 0', lambda: m.cast('B', [8, 0]))
show('cast shape str', lambda: m.cast('B', [8, 'a']))
show('cast shape neg', lambda: m.cast('B', [-8]))
show('cast 65 dims', lambda: m.cast('B', [1] * 65))
show('cast ND->ND', lambda: m.cast('B', [2, 4]).cast('B', [4, 2]))
show('cast ND->1D', lambda: m.cast('B', [2, 4]).cast('B').shape)
show('cast non-contiguous', lambda: m[::2].cast('B'))
show('cast misaligned', lambda: m[:6].cast('i'))
show('cast 0-dim', lambda: m[:4].cast('i', []).shape)
show('cast empty shape wrong', lambda: m.cast('B', []))

print('--- multi-dimensional')
g = memoryview(bytearray(range(24))).cast('B', [2, 3, 4])
print(g.shape, g.strides, g.ndim, g.nbytes, len(g), g.c_contiguous, g.f_contiguous)
show('g[1, 2, 3]', lambda: g[1, 2, 3])
show('g[-1, -1, -1]', lambda: g[-1, -1, -1])
show('g[1, 3, 0]', lambda: g[1, 3, 0])
show('g[0]', lambda: g[0])
show('g[0, 1]', lambda: g[0, 1])
show('g[0, 1, 2, 3]', lambda: g[0, 1, 2, 3])
show('g[1:]', lambda: g[1:])
show('g[1:].tolist()', lambda: g[1:].tolist())
show('g[::-1].tolist()', lambda: g[::-1].tolist())
show('g tobytes C', lambda: g.tobytes())
show('g[::-1] tobytes F', lambda: g[::-1].tobytes('F'))
show('g[::-1] tobytes A', lambda: g[::-1].tobytes('A'))
show('g tobytes X', lambda: g.tobytes('X'))
show('g tobytes None', lambda: g.tobytes(None))
show('iter g', lambda: list(g))
show('g == g[:]', lambda: g == g[:])
show('g == bytes', lambda: g == bytes(range(24)))
show('g[1:] == g[:1]', lambda: g[1:] == g[:1])


def g_set():
    g[1, 2, 3] = 99
    return g[1, 2, 3], g.tobytes()[23]


show('g set', g_set)
show('g slice set', lambda: g.__setitem__(slice(0, 1), b'x'))
i2 = memoryview(bytearray(24)).cast('i', [2, 3])
i2[1, 2] = -5
print(i2.tolist(), i2.strides, i2.itemsize)

print('--- 0-dim')
z = memoryview(bytearray(4)).cast('i', [])
show('shape', lambda: (z.shape, z.strides, z.ndim))
show('z[()]', lambda: z[()])
show('z[...] is z', lambda: z[...] is z)
show('len', lambda: len(z))
show('z[0]', lambda: z[0])
show('tolist', lambda: z.tolist())
show('list', lambda: list(z))
show('z[()] = 5', lambda: z.__setitem__((), 5))
show('z[...] = 6', lambda: z.__setitem__(Ellipsis, 6))
show('after', lambda: (z.tolist(), z.tobytes()))
show('z[0] = 1', lambda: z.__setitem__(0, 1))

print('--- item assignment and packing')


class Idx:
    def __index__(self):
        return 7

    def __repr__(self):
        return 'Idx()'


cases = [('b', [127, 128, -128, 'x', 1.0]), ('B', [-1, 255, 256, True]),
         ('h', [2**15, -2**15]), ('H', [65535, -1]), ('i', [2**31, -2**31, Idx()]),
         ('I', [2**32 - 1, 2**32]), ('l', [1.5, -2**63]), ('L', [True, -1]),
         ('q', [2**63, -2**63]), ('Q', [-1, 2**64, 2**64 - 1]), ('n', [2**63, -1]),
         ('N', [-1, 5]), ('f', [1e300, 'x', 1, 0.1]), ('d', [1, 'x', float('inf')]),
         ('?', [0, 3, 'x', None, []]), ('c', [b'x', b'xy', 'x', 1, bytearray(b'a')]),
         ('P', [-1, 2**64, 5, 'x'])]
for fmt, vals in cases:
    v = memoryview(bytearray(16)).cast(fmt)
    for x in vals:
        def assign():
            v[0] = x
            return v[0]
        show('%s %r' % (fmt, x), assign)
show('assign readonly', lambda: ro.__setitem__(0, 1))
show('del', lambda: m.__delitem__(0))
show('assign bad key', lambda: m.__setitem__('a', 1))


def slice_assign(key, value):
    m[key] = value
    return bytes(b)


show('slice same', lambda: slice_assign(slice(0, 2), b'XY'))
show('slice longer', lambda: slice_assign(slice(0, 2), b'XYZ'))
show('slice step', lambda: slice_assign(slice(0, 8, 2), b'1234'))
show('slice overlap', lambda: slice_assign(slice(1, 8), m[0:7]))
show('slice bytearray', lambda: slice_assign(slice(6, 8), bytearray(b'!!')))
show('slice wrong format', lambda: slice_assign(slice(0, 4), memoryview(b'abcd').cast('i')))
show('slice non-buffer', lambda: slice_assign(slice(0, 1), 5))
show('slice empty', lambda: slice_assign(slice(3, 3), b''))

print('--- tobytes, hex, tolist')
h = memoryview(b'\x01\x02\xab\xcd\xef')
for args in [(), (':',), (':', 2), (':', -2), ('--',), (b'|', 1), ('', 1)]:
    show('hex%r' % (args,), lambda: h.hex(*args))
show('hex kw', lambda: h.hex(sep='.', bytes_per_sep=3))
show('hex of slice', lambda: h[::-1].hex())
show('tolist formats', lambda: [memoryview(bytes(range(250, 256))).cast(f).tolist()
                                for f in 'bBc?'])
show('tolist h', lambda: memoryview(bytes(range(250, 256))).cast('h').tolist())
show('tolist d', lambda: memoryview(bytearray(16)).cast('d').tolist())

print('--- comparison')
a = memoryview(b'abc')
show('== bytes', lambda: a == b'abc')
show('== bytearray', lambda: a == bytearray(b'abc'))
show('!= bytes', lambda: a != b'abd')
show('== str', lambda: a == 'abc')
show('== int', lambda: a == 1)
show('== shorter', lambda: a == b'ab')
show('< ', lambda: a < a)
show('c vs B', lambda: a.cast('c') == a)
show('b vs B', lambda: memoryview(b'\x01\xff').cast('b') == memoryview(b'\x01\xff'))
show('b vs B small', lambda: memoryview(b'\x01\x02').cast('b') == memoryview(b'\x01\x02'))
show('i vs B', lambda: memoryview(b'\x01\x00\x00\x00').cast('i') == memoryview(b'\x01'))
nanv = memoryview(bytearray(8)).cast('d')
nanv[0] = float('nan')
show('nan view == itself', lambda: nanv == nanv)
show('nan view == copy', lambda: nanv == memoryview(bytearray(nanv.tobytes())).cast('d'))
show('slices equal', lambda: memoryview(b'aXbXc')[::2] == b'abc')
show('2-D vs 1-D', lambda: memoryview(b'abcd').cast('B', [2, 2]) == b'abcd')
show('2-D vs 2-D', lambda: memoryview(b'abcd').cast('B', [2, 2]) == memoryview(b'abcd').cast('c', [2, 2]))

print('--- hashing')
show('hash ro == bytes', lambda: hash(memoryview(b'abc')) == hash(b'abc'))
show('hash c', lambda: hash(memoryview(b'abc').cast('c')) == hash(b'abc'))
show('hash b', lambda: hash(memoryview(b'abc').cast('b')) == hash(b'abc'))
show('hash slice', lambda: hash(memoryview(b'aXbXc')[::2]) == hash(b'abc'))
show('hash writable', lambda: hash(memoryview(bytearray(2))))
show('hash i', lambda: hash(memoryview(b'abcd').cast('i')))
show('hash cached', lambda: (lambda v: (hash(v), v.release(), hash(v))[0] == hash(b'q'))(memoryview(b'q')))
show('dict key', lambda: {memoryview(b'k'): 1}[b'k'])

print('--- release and exports')
b = bytearray(b'abcdefgh')
m = memoryview(b)
show('append while exported', lambda: b.append(1))
show('extend while exported', lambda: b.extend(b'xy'))
show('setitem fine', lambda: (b.__setitem__(0, 65), m[0])[1])
s = m[1:]
show('release parent', lambda: m.release())
show('append while slice alive', lambda: b.append(1))
show('slice still reads', lambda: s.tobytes())
show('release slice', lambda: s.release())
show('append after all released', lambda: (b.append(33), bytes(b))[1])
show('released m[0]', lambda: m[0])
show('released len', lambda: len(m))
show('released format', lambda: m.format)
show('released shape', lambda: m.shape)
show('released obj', lambda: m.obj)
show('released tobytes', lambda: m.tobytes())
show('released tolist', lambda: m.tolist())
show('released hex', lambda: m.hex())
show('released cast', lambda: m.cast('B'))
show('released slice', lambda: m[1:])
show('released setitem', lambda: m.__setitem__(0, 1))
show('released hash', lambda: hash(m))
show('released enter', lambda: m.__enter__())
show('released memoryview(m)', lambda: memoryview(m))
show('released bytes(m)', lambda: bytes(m))
show('released release again', lambda: m.release())
show('released == itself', lambda: m == m)
show('released == b', lambda: m == b)
print(noaddr(repr(m)))
b2 = bytearray(b'12345')
outer = memoryview(b2)
inner = memoryview(outer)
show('inner obj', lambda: inner.obj is b2)
show('release outer (inner shares buffer)', lambda: outer.release())
show('b2 resize with inner', lambda: b2.append(1))
show('inner release', lambda: inner.release())
show('b2 resize after', lambda: (b2.append(54), bytes(b2))[1])
with memoryview(bytearray(b'ctx')) as cm:
    print('in with', cm.tobytes())
show('after with', lambda: cm.tobytes())
b3 = bytearray(b'abc')
with memoryview(b3) as cm2:
    copied = bytes(cm2)
b3.append(100)
print('after with copy', copied, bytes(b3))
it = iter(memoryview(b'it'))
print('iter', next(it), next(it))
show('iter end', lambda: next(it))

print('--- constructor')
show('memoryview(1)', lambda: memoryview(1))
show('memoryview()', lambda: memoryview())
show('memoryview(object=)', lambda: memoryview(object=b'x').tobytes())
show('memoryview(str)', lambda: memoryview('abc'))
show('memoryview(x, y)', lambda: memoryview(b'a', b'b'))
show('bytes(view)', lambda: bytes(memoryview(b'hello')[1:4]))
show('bytearray(view)', lambda: bytearray(memoryview(b'hello')[1:3]))
show('bytes(2-D)', lambda: bytes(memoryview(b'abcd').cast('B', [2, 2])))
show('bytes(i)', lambda: bytes(memoryview(b'abcd').cast('i')))
show('join', lambda: b'-'.join([memoryview(b'a'), memoryview(b'bc')]))
show('bytes + view', lambda: b'x' + memoryview(b'yz'))
show('bytearray += view', lambda: bytearray(b'x') + memoryview(b'yz'))
show('int.from_bytes', lambda: int.from_bytes(memoryview(b'\x01\x02'), 'big'))
show('float(view)', lambda: float(memoryview(b'1.5')))
show('str(view)', lambda: noaddr(str(memoryview(b'x'))))


print('--- release from inside conversions')
# __index__/__float__/__bool__ that release the view: never touch freed
# memory; a slice taken before its bounds are converted stays valid.
state = {}


class Releaser:
    def __init__(self, value):
        self.value = value

    def __index__(self):
        state['m'].release()
        state['ba'] = bytearray(128)
        return self.value

    __float__ = __index__

    def __bool__(self):
        state['m'].release()
        return True


def fresh(fmt='B', shape=None):
    m = memoryview(bytearray(b'\xff' * 128))
    m = m.cast(fmt) if shape is None else m.cast(fmt, shape)
    state['m'] = m
    return m


show('m[R]', lambda: fresh()[Releaser(4)])
show('m[:R]', lambda: list(fresh()[:Releaser(4)]))
show('m[R:8]', lambda: list(fresh()[Releaser(4):8]))
show('m[R, 0]', lambda: fresh('B', (64, 2))[Releaser(4), 0])
show('m[R] = 42', lambda: fresh().__setitem__(Releaser(4), 42))
show('m[:R] = spam', lambda: fresh().__setitem__(slice(None, Releaser(4)), b'spam'))
show('m[0] = R', lambda: fresh().__setitem__(0, Releaser(4)))
for fmt in 'bhilqnBHILQNfd?':
    show('m[0] = R %s' % fmt, lambda: fresh(fmt).__setitem__(0, Releaser(4)))
show('index checked before value', lambda: fresh().__setitem__(200, b'x'))
show('tuple of slices set', lambda: fresh().__setitem__((slice(0, 1), slice(0, 1)), 1))
show('mixed tuple set', lambda: fresh().__setitem__((0, slice(0, 1)), 1))
show('mixed tuple get', lambda: fresh('B', (64, 2))[0, slice(0, 1)])
show('1-tuple set', lambda: (lambda m: (m.__setitem__((3,), 7), m[3])[1])(fresh()))

print('--- threads')
# Readers race release(): every read either succeeds or raises the released
# ValueError; nothing crashes, and the bytearray resizes once all are gone.
# (_thread rather than threading: the test must not depend on os.)
data = bytearray(range(256)) * 64
errors = []
ok_reads = [0]
lock = _thread.allocate_lock()


def reader(view):
    n = 0
    for _ in range(200):
        try:
            t = view.tobytes()
            assert len(t) == len(data)
            assert view[5] == 5
            n += 1
        except ValueError as e:
            if 'released' not in str(e):
                errors.append(e)
            break
    with lock:
        ok_reads[0] += n


for round_ in range(5):
    view = memoryview(data)
    done = []
    for _ in range(4):
        finished = _thread.allocate_lock()
        finished.acquire()
        done.append(finished)

        def run(view=view, finished=finished):
            try:
                reader(view)
            finally:
                finished.release()
        _thread.start_new_thread(run, ())
    view.release()
    for finished in done:
        finished.acquire()
    data.append(0)
    data.pop()
print('thread errors', errors, 'resized ok', len(data))
