# Threads hammering one array (appends, pops, slices, reads, buffer
# exports) and one zlib Compress/Decompress pair; exit status 0 = pass.
import array
import threading
import zlib
import sys

N = 4
ROUNDS = 2000
a = array.array('q')
errors = []


def retry(op):
    # A reader's memoryview export makes resizing fail with BufferError
    # until it is released; that is the designed behaviour, so retry.
    while True:
        try:
            return op()
        except BufferError:
            pass


def mutator(k):
    try:
        for i in range(ROUNDS):
            retry(lambda: a.append(k))
            # extending from an array is one resize (a list is appended
            # item by item and may stop half way, as in 3.11)
            retry(lambda: a.extend(array.array('q', [k, k])))
            if i % 3 == 0:
                retry(a.pop)
            if i % 50 == 0:
                a[0:2] = array.array('q', [k, k])
                a.reverse()
    except Exception as e:
        errors.append(e)


def reader():
    try:
        for i in range(ROUNDS):
            n = len(a)
            s = a[:10]
            assert all(0 <= x < N for x in s), s
            try:
                m = memoryview(a)
            except BufferError:
                continue
            if len(m):
                assert 0 <= m[0] < N
            m.release()
            a.tolist()
            k = a.count(0)
            assert k >= 0
    except BufferError:
        pass
    except Exception as e:
        errors.append(e)


threads = [threading.Thread(target=mutator, args=(k,)) for k in range(N)]
threads += [threading.Thread(target=reader) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
# Every mutator added 3 per round and popped one every third round.
if errors:
    print('errors:', errors[:3])
    sys.exit(1)
expect = N * (3 * ROUNDS - (ROUNDS + 2) // 3)
if len(a) != expect:
    print('length', len(a), 'expected', expect)
    sys.exit(1)
assert all(0 <= x < N for x in a)

# zlib: independent big one-shot operations in parallel (they detach),
# plus one Compress object shared by all threads (its lock serialises
# them: the stream must stay valid).
data = bytes(range(256)) * 400
shared = zlib.compressobj()
pieces = []
plock = threading.Lock()


def zworker(k):
    try:
        for i in range(20):
            c = zlib.compress(data + bytes([k, i]), 6)
            assert zlib.decompress(c) == data + bytes([k, i])
            assert zlib.crc32(data) == zlib.crc32(data)
            with plock:
                pieces.append(shared.compress(bytes([k]) * 1000))
    except Exception as e:
        errors.append(e)


threads = [threading.Thread(target=zworker, args=(k,)) for k in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
pieces.append(shared.flush())
out = zlib.decompress(b''.join(pieces))
if len(out) != N * 20 * 1000 or errors:
    print('zlib failure', len(out), errors[:3])
    sys.exit(1)

# The same Compress object driven without an outer lock: calls are
# serialised by the object's own mutex, so the stream stays valid even
# though the order of chunks is arbitrary.
shared = zlib.compressobj()
chunks = []


def zshared(k):
    for i in range(50):
        chunks.append(shared.compress(bytes([k]) * 7000))


threads = [threading.Thread(target=zshared, args=(k,)) for k in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
total = sum(map(len, chunks)) + len(shared.flush())
# Chunk order in the list may differ from call order, so the stream is
# not checked byte for byte; every call must simply have succeeded and
# the object must still be usable.
if total <= 0 or len(chunks) != N * 50:
    print('shared compressobj failure', total, len(chunks))
    sys.exit(1)
sys.exit(0)
