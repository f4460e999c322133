# The _struct module: formats, sizes, alignment, every format char, the
# 3.11 error messages, buffers, Struct objects, iter_unpack, the shared
# format cache under threads.  Output must match python3.11.
import struct
def t(f, *a):
    try: print(repr(f(*a)))
    except Exception as e: print(type(e).__name__, e)
for fmt in 'bBhHiIlLqQnNP':
    for v in (2**70, -2**70, 2**31, -2**31-1, 2**63, -1, 1.5, 'x', None):
        t(struct.pack, fmt, v)
for fmt in '<b <B <h <H <i <I <l <L <q <Q'.split():
    for v in (2**70, -2**70, 2**31, -2**31-1, 2**64, -1, 1.5):
        t(struct.pack, fmt, v)
for fmt in ('<n','=N','>P','<e','f','d','e'): t(struct.pack, fmt, 1)
t(struct.pack, 'e', 1e6); t(struct.pack, 'f', 1e300); t(struct.pack, '<f', 1e300); t(struct.pack, 'd', 'x'); t(struct.pack, 'e', 'x')
t(struct.pack, 'c', b'ab'); t(struct.pack, 'c', 'a'); t(struct.pack, 's', 'a'); t(struct.pack, 'p', 1)
t(struct.pack, '3', 1); t(struct.pack, 'z', 1); t(struct.pack, 'ii', 1); t(struct.pack, 'i', 1, 2)
t(struct.unpack, 'i', b'123'); t(struct.unpack, 'i', 'abcd'); t(struct.unpack, 'i', 5)
t(struct.unpack_from, 'i', b'123'); t(struct.unpack_from, 'i', b'12345', 3); t(struct.unpack_from, 'i', b'12345', 9); t(struct.unpack_from, 'i', b'12345', -9); t(struct.unpack_from, 'i', b'12345', -4)
t(struct.pack_into, 'i', bytearray(3), 0, 1); t(struct.pack_into, 'i', bytearray(6), 3, 1); t(struct.pack_into, 'i', bytearray(6), 9, 1); t(struct.pack_into, 'i', bytearray(6), -9, 1); t(struct.pack_into, 'i', b'123456', 0, 1)
t(struct.pack_into, 'i', bytearray(6)); t(struct.pack_into, 'i'); t(struct.pack_into, 'i', bytearray(6), 0)
t(struct.iter_unpack, '', b''); t(struct.iter_unpack, 'i', b'12345')
t(struct.Struct, 5); t(struct.Struct); t(struct.calcsize, 5); t(struct.pack); t(struct.pack, 5)
t(struct.calcsize, '99999999999999999999i'); t(struct.calcsize, '9223372036854775807i'); t(struct.calcsize, '2305843009213693951q')
t(struct.calcsize, 'i i'); t(struct.calcsize, '3 i'); t(struct.calcsize, 'bi'); t(struct.calcsize, '=bi'); t(struct.calcsize, 'b0i'); t(struct.calcsize, '@?xhcPe')
s = struct.Struct('<3sx2p?')
print(s.format, s.size, s.pack(b'abcdef', b'xyz', 5), s.unpack(b'abc\x00\x01x\x01'))
t(setattr, s, 'format', 'i'); t(setattr, s, 'size', 3)
print(struct.pack('>hHe', -2, 65535, 1.5), struct.unpack('<e', b'\x00\x7c'), struct.unpack('e', b'\x01\x00')[0] == 2.0**-24)
print(list(struct.iter_unpack('<h', b'\x01\x00\x02\x00')))
it = struct.iter_unpack('<h', b'\x01\x00\x02\x00'); print(it.__length_hint__(), type(it))
t(struct.pack, '?', []); t(struct.unpack, '??', b'\x00\x05')
t(struct.pack, 'i', True); t(struct.pack, '5s', b'ab'); t(struct.pack, '0s', b'ab');t(struct.pack, '3p', b'abcdef'); t(struct.pack, '300p', b'a'*300)
t(struct.unpack, '300p', b'\xff'+b'a'*299)
class I:
    def __index__(self): return 7
t(struct.pack, 'i', I()); t(struct.pack, 'd', I()); t(struct.pack, 'f', 3)
t(struct.pack, 'i', 2**100)
t(struct.unpack, 'i', bytearray(b'1234'))
print(struct.Struct("i").unpack_from(b"12345678", offset=4))
t(struct.Struct('i').pack_into, bytearray(8), 4, 7)
print(struct.Struct('i').__init__('h'))
t(struct.pack, 'e', float('nan')); t(struct.pack,'<e', 65504.0); t(struct.pack,'<e', 65520.0); t(struct.pack,'<e', 5.960464477539063e-08); t(struct.pack,'<e', 2.9e-08); t(struct.pack,'<e', float('-inf'))
t(struct.unpack, '<e', b'\x00\xfc'); t(struct.unpack, '<e', b'\x01\x7e'); t(struct.unpack, '<f', b'\x00\x00\xc0\x7f')
t(struct.pack, 'b', -129); t(struct.pack, 'B', 256); t(struct.pack, 'x'); t(struct.pack, 'c', bytearray(b'a'))
t(struct.Struct, 'i\0'); t(struct.calcsize, 'ï'); t(struct.Struct, b'\xff')
print(struct.Struct(b'<i').format)
t(struct.unpack, b'i', bytearray(b'1234'))
t(struct.pack, '?', 0)
t(struct.unpack_from, 'i', b'12345', -2); t(struct.pack_into, 'i', bytearray(6), -2, 1); t(struct.pack_into, 'i', bytearray(6), -4, 1)
ba = bytearray(8); struct.pack_into('<hh', ba, -4, 1, 2); print(ba)
print(struct.calcsize('ce'), struct.calcsize('cd'), struct.calcsize('c?'), struct.calcsize('cf'), struct.calcsize('cq'), struct.calcsize('cl'), struct.calcsize('cn'))
s=struct.Struct('i'); s.__init__('hh'); print(s.format, s.size)
class S(struct.Struct):
  def __init__(self, a, b): super().__init__('i'*a)
print(S(2,3).size, S(2,3).pack(1,2))
s=struct.Struct.__new__(struct.Struct); print(repr(s.format), s.size)
for v in [1e-8, 2.9e-08, 3e-08, 6.1e-5, 6.103515625e-05, 0.1, 1/3, 65519.99, -0.0, 1e-30]:
    print(struct.pack('<e', v), struct.unpack('<e', struct.pack('<e', v))[0] == v)
print(struct.unpack('>f', b'\x3f\x80\x00\x00'), struct.pack('!d', 1.5), struct.pack('=Q', 2**64-1))
print(list(struct.iter_unpack('>hb', b'\x00\x01\x02\x00\x03\x04')))
print(struct.pack('@bhq', 1, 2, 3), struct.pack('=bhq', 1, 2, 3), struct.pack('>3s0i', b'ab'))
it = struct.iter_unpack('b', b'\x01\x02'); print(next(it), it.__length_hint__(), list(it), it.__length_hint__(), list(it))
struct._clearcache()
print(struct.pack(b'<i', 5), struct.calcsize('  '))

# sizes and round trips of every format char in every mode
for mode in '@=<>!':
    sizes = []
    for c in 'xcbB?hHiIlLqQnNPefdsp':
        try:
            sizes.append('%s%d' % (c, struct.calcsize(mode + c)))
        except struct.error as e:
            sizes.append('%s:%s' % (c, e))
    print(mode, ' '.join(sizes))
for mode in '<>=@':
    for c, vals in (('b', (-128, 127, 0)), ('B', (0, 255)),
                    ('h', (-32768, 32767)), ('H', (0, 65535)),
                    ('i', (-2**31, 2**31 - 1)), ('I', (0, 2**32 - 1)),
                    ('q', (-2**63, 2**63 - 1)), ('Q', (0, 2**64 - 1)),
                    ('?', (True, False)), ('d', (1.5, -0.0, 1e300)),
                    ('f', (0.5, -2.0)), ('e', (0.5, -2.0, 65504.0))):
        f = mode + str(len(vals)) + c
        b = struct.pack(f, *vals)
        print(f, b.hex(), struct.unpack(f, b) == vals)
print(struct.calcsize('@bq'), struct.calcsize('@qb'), struct.calcsize('@b2xi'),
      struct.calcsize('@3sh'), struct.calcsize('@?d'), struct.calcsize('@hP'))
print(struct.pack('@bqb', 1, 2, 3).hex(), struct.pack('=bqb', 1, 2, 3).hex())
print(struct.unpack('<4s2x2p', b'abcd\x00\x00\x05z'))
print(struct.unpack_from('<h', bytearray(b'\x00\x01\x02'), offset=1),
      struct.Struct('>h').unpack_from(b'\x00\x01\x02', 1))
ba = bytearray(6)
struct.Struct('<hh').pack_into(ba, 2, 258, -1)
print(ba, struct.Struct('<i').size, struct.Struct(b'>h').format)
s = struct.Struct('<hh')
print(list(s.iter_unpack(bytes(range(8)))), s.unpack(b'\x01\x00\x02\x00'))
class Idx:
    def __index__(self):
        return 300
print(struct.pack('<H', Idx()), struct.pack('<?', Idx()))

# Many threads share the format cache (and clear it) while packing and
# unpacking; every result must be right and nothing may crash.
import _thread
formats = ['<%di' % n for n in range(1, 40)] + ['>%dh' % n for n in range(1, 40)]
lock = _thread.allocate_lock()
state = {'bad': 0, 'done': 0}
NT = 8

def worker(k):
    bad = 0
    for rep in range(60):
        for i, f in enumerate(formats):
            n = struct.calcsize(f) // (4 if 'i' in f else 2)
            vals = tuple(range(k, k + n))
            b = struct.pack(f, *vals)
            if struct.unpack(f, b) != vals or len(b) != struct.calcsize(f):
                bad += 1
            if (rep + i + k) % 97 == 0:
                struct._clearcache()
        s = struct.Struct('<q')
        if s.unpack(s.pack(k * rep)) != (k * rep,):
            bad += 1
    with lock:
        state['bad'] += bad
        state['done'] += 1

for k in range(NT):
    _thread.start_new_thread(worker, (k,))
import time
while True:
    with lock:
        if state['done'] == NT:
            break
    time.sleep(0.01)
print('threads', state)

# one iterator shared by threads: every record exactly once
data = struct.pack('<2000i', *range(2000))
it = struct.iter_unpack('<i', data)
seen = []
state2 = {'done': 0}

def eat():
    got = []
    for (v,) in it:
        got.append(v)
    with lock:
        seen.extend(got)
        state2['done'] += 1

for k in range(4):
    _thread.start_new_thread(eat, ())
while True:
    with lock:
        if state2['done'] == 4:
            break
    time.sleep(0.01)
print('shared iterator', len(seen), sorted(seen) == list(range(2000)))
