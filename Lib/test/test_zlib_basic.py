# zlib over the system library: one-shot and streaming APIs, checksums,
# constants, error messages, and gzip/zipfile/tarfile round trips.
import zlib
import io
import os


def show(label, f, *args, **kw):
    try:
        r = f(*args, **kw)
    except Exception as e:
        print(label, type(e).__name__, e)
    else:
        print(label, r if not isinstance(r, bytes) else r[:60])


print([n for n in dir(zlib) if not n.startswith('__')])
print(sorted(n for n in dir(zlib.compressobj()) if not n.startswith('__')))
print(sorted(n for n in dir(zlib.decompressobj()) if not n.startswith('__')))
print(type(zlib.compressobj()), type(zlib.decompressobj()), zlib.error)
for n in sorted(dir(zlib)):
    if n.startswith(('Z_', 'MAX', 'DEF')):
        print(n, getattr(zlib, n))
print(zlib.ZLIB_VERSION == zlib.ZLIB_RUNTIME_VERSION, zlib.__version__)

data = b''.join(b'line %d of some text, repeated\n' % i for i in range(3000))
c = zlib.compress(data)
print(len(data), len(c), c[:16].hex(), zlib.crc32(c), zlib.adler32(c))
assert zlib.decompress(c) == data
for level in (0, 1, 6, 9):
    for wbits in (9, 15, -15, 31, 25):
        cc = zlib.compress(data[:5000], level, wbits)
        print(level, wbits, len(cc), zlib.crc32(cc))
        assert zlib.decompress(cc, wbits) == data[:5000]
print(zlib.decompress(zlib.compress(b'x' * 100, wbits=31), 47))
print(zlib.decompress(zlib.compress(b'abc'), bufsize=0))
print(zlib.crc32(b'hello'), zlib.crc32(b'hello', 12345), zlib.crc32(b''),
      zlib.adler32(b'hello'), zlib.adler32(b'hello', 7),
      zlib.crc32(bytearray(b'abc')), zlib.crc32(memoryview(b'abc')))

# Streaming compression, all flush modes.
co = zlib.compressobj(9, zlib.DEFLATED, -12, 9, zlib.Z_FILTERED)
parts = [co.compress(data[i:i + 7000]) for i in range(0, len(data), 7000)]
parts.append(co.flush(zlib.Z_SYNC_FLUSH))
parts.append(co.compress(b'tail'))
parts.append(co.flush(zlib.Z_FULL_FLUSH))
parts.append(co.flush())
stream = b''.join(parts)
print(len(stream), zlib.crc32(stream))
assert zlib.decompress(stream, -12) == data + b'tail'
show('after finish', co.compress, b'x')
show('copy after finish', co.copy)
show('flush after finish', co.flush)

co = zlib.compressobj()
a = co.compress(data[:1000])
co2 = co.copy()
r1 = a + co.compress(b'one') + co.flush()
r2 = a + co2.compress(b'two') + co2.flush()
print(zlib.decompress(r1)[-3:], zlib.decompress(r2)[-3:])
import copy
co3 = copy.copy(zlib.compressobj())
print(type(co3).__name__)

# Streaming decompression with max_length, unconsumed_tail, unused_data.
d = zlib.decompressobj()
out = []
buf = c + b'EXTRA'
while buf and not d.eof:
    chunk = d.decompress(buf, 1000)
    out.append(chunk)
    buf = d.unconsumed_tail
print(len(out), sum(map(len, out)), d.eof, d.unused_data, d.unconsumed_tail)
print(d.decompress(b'more'), d.unused_data)
assert b''.join(out) == data

d = zlib.decompressobj()
pieces = [d.decompress(c[i:i + 100]) for i in range(0, len(c), 100)]
pieces.append(d.flush())
assert b''.join(pieces) == data
print('piecewise ok', d.eof)

d = zlib.decompressobj()
x = d.decompress(c[:5000], 10)
d2 = d.copy()
print(len(x), len(d.unconsumed_tail), d2.decompress(b'', 5))
print(len(d.flush()), d.eof)

# zdict
zd = b'line of some text, repeated'
co = zlib.compressobj(zdict=zd)
cz = co.compress(data[:300]) + co.flush()
dz = zlib.decompressobj(zdict=zd)
print(len(cz), dz.decompress(cz) == data[:300])
show('no zdict', zlib.decompressobj().decompress, cz)
co = zlib.compressobj(wbits=-15, zdict=zd)
cz = co.compress(b'of some text') + co.flush()
print(zlib.decompressobj(wbits=-15, zdict=zd).decompress(cz))

# Errors.
show('e1', zlib.compress, 1)
show('e2', zlib.compress, b'a', 99)
show('e3', zlib.decompress, b'abc')
show('e4', zlib.decompress, b'x\x9c')
show('e5', zlib.compressobj, 99)
show('e6', zlib.decompress, b'')
show('e7', zlib.decompress, b'a', 15, -1)
show('e8', zlib.crc32, 'a')
show('e9', zlib.decompressobj().decompress, b'a', -1)
show('e10', zlib.compressobj().flush, 99)
show('e11', zlib.decompressobj().flush, 0)
show('e12', zlib.compressobj, 1, 2)
show('e13', zlib.decompressobj, 15, 'x')
show('e14', zlib.decompressobj, 99)
show('e15', zlib.compressobj, zdict=1)
show('e16', zlib.decompress, zlib.compress(b'abc')[:-3])
show('e17', zlib.decompress, b'x\x9c' + b'\xff' * 10)

# Standard library users.
tmp = '/tmp/plait_test_zlib_%d' % os.getpid()
os.mkdir(tmp)
try:
    import gzip
    g = gzip.compress(data, mtime=0)
    print('gzip', len(g), zlib.crc32(g), gzip.decompress(g) == data)
    p = os.path.join(tmp, 'f.gz')
    with gzip.open(p, 'wb') as f:
        f.write(data)
    with gzip.open(p, 'rb') as f:
        print('gzip file', f.read() == data)
    with gzip.open(p, 'rt') as f:
        print('gzip text', f.readline(), len(f.readlines()))
except ImportError as e:
    print('gzip unavailable')
try:
    import zipfile
    p = os.path.join(tmp, 'f.zip')
    with zipfile.ZipFile(p, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('a.txt', data)
        z.writestr('b.txt', b'hello')
    with zipfile.ZipFile(p) as z:
        print('zip', z.namelist(), z.read('a.txt') == data, z.read('b.txt'),
              z.testzip())
except ImportError as e:
    print('zipfile unavailable')
try:
    import tarfile
    p = os.path.join(tmp, 'f.tar.gz')
    src = os.path.join(tmp, 'member.txt')
    with open(src, 'wb') as f:
        f.write(data)
    with tarfile.open(p, 'w:gz') as t:
        t.add(src, arcname='member.txt')
    with tarfile.open(p, 'r:gz') as t:
        # Read the member through the gzip layer directly (extractfile and
        # extractall need more of io/os than this test is about).
        m = t.getmember('member.txt')
        t.fileobj.seek(m.offset_data)
        print('tar', t.getnames(), t.fileobj.read(m.size) == data)
except ImportError as e:
    print('tarfile unavailable')
finally:
    for n in os.listdir(tmp):
        os.unlink(os.path.join(tmp, n))
    os.rmdir(tmp)
