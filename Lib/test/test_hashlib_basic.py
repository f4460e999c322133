# hashlib, hmac and the builtin hash modules (_md5, _sha1, _sha256, _sha512,
# _sha3, _blake2): digests of every guaranteed algorithm over several inputs
# (empty, short, > 1 MB), copy(), incremental updates, hmac, pbkdf2_hmac,
# blake2 parameters, errors, and threads sharing one hash object.
# Output must equal CPython 3.11's (Lib/test/test_hashlib_basic.exp).
try:
    import _sha256
except ImportError:
    print("SKIP: built without libcrypto (HAVE_LIBCRYPTO): no _sha256")
    raise SystemExit(0)

import hashlib
import hmac
import threading
import _md5, _sha1, _sha512, _sha3, _blake2

print(sorted(hashlib.algorithms_guaranteed))

INPUTS = [b"", b"abc", b"a" * 55, b"a" * 56, b"a" * 64, b"a" * 127,
          b"a" * 128, b"a" * 129, bytes(range(256)) * 3,
          b"The quick brown fox jumps over the lazy dog",
          bytes(range(256)) * 5000]           # 1.28 MB


def show(h):
    if h.name.startswith("shake"):
        return h.hexdigest(40)
    return h.hexdigest()


print("--- every algorithm, every input")
for name in sorted(hashlib.algorithms_guaranteed):
    for data in INPUTS:
        h = hashlib.new(name, data)
        print(name, len(data), show(h))
    h = getattr(hashlib, name)()
    print(name, h.name, h.digest_size, h.block_size)

print("--- incremental updates and copy")
big = bytes(range(256)) * 5000
for name in sorted(hashlib.algorithms_guaranteed):
    h = hashlib.new(name)
    for i in range(0, len(big), 7777):
        h.update(big[i:i + 7777])
    one = hashlib.new(name, big)
    same = show(h) == show(one)
    c = h.copy()
    c.update(b"more")
    h2 = hashlib.new(name, big + b"more")
    print(name, same, show(c) == show(h2), show(h) == show(one))
    # memoryview and bytearray inputs
    print(name, show(hashlib.new(name, memoryview(b"abc"))) ==
          show(hashlib.new(name, bytearray(b"abc"))),
          show(hashlib.new(name, memoryview(b"xabc")[1:])) ==
          show(hashlib.new(name, b"abc")))
    if name.startswith("shake"):
        h = hashlib.new(name, b"x")
        print(name, h.digest(0), h.hexdigest(1), len(h.digest(1000)),
              h.digest(10) == bytes.fromhex(h.hexdigest(10)))
    else:
        h = hashlib.new(name, b"x")
        print(name, h.digest() == bytes.fromhex(h.hexdigest()),
              len(h.digest()) == h.digest_size)

print("--- builtin modules")
print(_md5.md5(b"abc").hexdigest(), _md5.MD5Type, type(_md5.md5()))
print(_sha1.sha1(b"abc").hexdigest(), _sha1.SHA1Type)
print(_sha256.sha224(b"abc").hexdigest(), _sha256.sha256(string=b"abc").hexdigest())
print(_sha256.SHA224Type, _sha256.SHA256Type, _sha512.SHA384Type)
print(_sha512.sha384(b"abc").hexdigest())
print(_sha512.sha512(b"abc", usedforsecurity=False).hexdigest())
for t in (_sha3.sha3_224, _sha3.sha3_256, _sha3.sha3_384, _sha3.sha3_512):
    h = t(b"abc")
    print(t, h.name, h.hexdigest(), h._capacity_bits, h._rate_bits, h._suffix,
          type(h.copy()))
for t in (_sha3.shake_128, _sha3.shake_256):
    h = t(b"abc")
    print(t, h.name, h.hexdigest(20), h.digest_size, h.block_size, h._suffix)
print(_sha3.implementation, _sha3.keccakopt)

print("--- hmac")
for dm in ("md5", "sha1", "sha256", "sha512", "sha3_256", hashlib.sha384,
           hashlib.blake2b, hashlib.blake2s):
    for key in (b"", b"key", b"k" * 200):
        m = hmac.new(key, b"The quick brown fox", dm)
        m.update(b" jumps")
        c = m.copy()
        c.update(b" over")
        name = dm if isinstance(dm, str) else "func"
        print(name, len(key), m.name, m.digest_size, m.block_size,
              m.hexdigest(), c.hexdigest()[:16])
print(hmac.digest(b"key", b"msg", "sha256").hex())
print(hmac.digest(b"key", b"msg" * 100000, "sha1").hex())
print(hmac.compare_digest(b"abc", b"abc"), hmac.compare_digest(b"abc", b"abd"),
      hmac.compare_digest("abc", "abc"), hmac.compare_digest(b"ab", b"abc"))
for bad in [lambda: hmac.new(b"k"), lambda: hmac.new("k", digestmod="md5"),
            lambda: hmac.new(b"k", "str", "md5"),
            lambda: hmac.compare_digest("\xe9", "\xe9"),
            lambda: hmac.compare_digest(1, 2)]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)

print("--- pbkdf2_hmac")
import warnings
warnings.simplefilter("ignore", DeprecationWarning)
for name in ("sha1", "sha256", "sha512"):
    for it in (1, 2, 1000):
        print(name, it, hashlib.pbkdf2_hmac(name, b"password", b"salt", it).hex())
    print(hashlib.pbkdf2_hmac(name, b"pw", b"salt", 10, dklen=100).hex())

print("--- blake2")
for T in (hashlib.blake2b, hashlib.blake2s):
    print(T, T.SALT_SIZE, T.PERSON_SIZE, T.MAX_KEY_SIZE, T.MAX_DIGEST_SIZE)
    mx = T.MAX_DIGEST_SIZE
    for kw in [{}, {"digest_size": 1}, {"digest_size": mx // 2},
               {"key": b"secret"}, {"key": b"k" * T.MAX_KEY_SIZE},
               {"salt": b"salty"}, {"person": b"me"},
               {"salt": b"s" * T.SALT_SIZE, "person": b"p" * T.PERSON_SIZE},
               {"fanout": 0, "depth": 255, "leaf_size": 2**32 - 1},
               {"node_offset": 2**48 - 1, "node_depth": 255,
                "inner_size": mx},
               {"last_node": True},
               {"fanout": 2, "depth": 2, "leaf_size": 4096, "node_offset": 1,
                "node_depth": 0, "inner_size": mx, "last_node": True,
                "key": b"kk", "salt": b"ss", "person": b"pp",
                "digest_size": 17}]:
        for data in (b"", b"abc", bytes(range(256)) * 600):
            h = T(data, **kw)
            print(T.__name__, sorted(kw), len(data), h.digest_size,
                  h.hexdigest())
        h = T(**kw)
        h.update(b"ab")
        h.update(b"c" * 1000)
        print(h.copy().hexdigest() == T(b"ab" + b"c" * 1000, **kw).hexdigest())
print(_blake2.BLAKE2B_SALT_SIZE, _blake2.BLAKE2S_MAX_KEY_SIZE,
      sorted(k for k in dir(_blake2) if k.isupper()))
print(hashlib.blake2b(node_offset=2**64 - 1).hexdigest())
B, S = _blake2.blake2b, _blake2.blake2s
for bad in [lambda: B(digest_size=0), lambda: B(digest_size=65),
            lambda: S(digest_size=33), lambda: B(key=b"x" * 65),
            lambda: S(key=b"x" * 33), lambda: B(salt=b"x" * 17),
            lambda: S(salt=b"x" * 9), lambda: B(person=b"x" * 17),
            lambda: S(person=b"x" * 9), lambda: B(fanout=-1),
            lambda: B(fanout=256), lambda: B(depth=0), lambda: B(depth=256),
            lambda: B(leaf_size=-1), lambda: B(leaf_size=2**32),
            lambda: B(node_offset=-1), lambda: S(node_offset=2**48),
            lambda: B(node_depth=256), lambda: B(inner_size=65),
            lambda: S(inner_size=33), lambda: B("a"), lambda: B(1),
            lambda: B(key="a"), lambda: B(b"a", b"b"),
            lambda: B(data=b"a"), lambda: B(digest_size="a"),
            lambda: B().update("x")]:
    try:
        bad()
        print("no error")
    except Exception as e:
        print(type(e).__name__, e)

print("--- errors")
for bad in [lambda: hashlib.new("nosuchhash"), lambda: hashlib.md5("str"),
            lambda: hashlib.sha256(1), lambda: hashlib.sha1().update("x"),
            lambda: hashlib.sha1().update(None),
            lambda: _md5.md5(b"a", b"b"), lambda: _md5.MD5Type(),
            lambda: _sha3.sha3_224(data=b"a"), lambda: _sha3.shake_128().digest(),
            lambda: _sha3.shake_128().digest(-1),
            lambda: _sha3.shake_128().digest(2**29)]:
    try:
        bad()
        print("no error")
    except Exception as e:
        print(type(e).__name__, e)

print("--- threads share one hash object")
CHUNK = bytes(range(256)) * 40      # 10 KB: hashed with the thread detached
SMALL = b"0123456789" * 10          # 100 B: hashed attached
NT, NU = 4, 50


def hammer(h, chunk, errors):
    try:
        for i in range(NU):
            h.update(chunk)
            if i % 10 == 0:
                show(h.copy())
                show(h)
    except Exception as e:
        errors.append(e)


for name in ("md5", "sha256", "sha3_256", "shake_128", "blake2b", "blake2s"):
    for chunk in (CHUNK, SMALL):
        h = hashlib.new(name)
        errors = []
        ts = [threading.Thread(target=hammer, args=(h, chunk, errors))
              for _ in range(NT)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        serial = hashlib.new(name, chunk * (NT * NU))
        print(name, len(chunk), errors, show(h) == show(serial))
m = hmac.new(b"key", digestmod="sha256")
errors = []
ts = [threading.Thread(target=hammer, args=(m, CHUNK, errors)) for _ in range(NT)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("hmac", errors,
      m.hexdigest() == hmac.new(b"key", CHUNK * (NT * NU), "sha256").hexdigest())
print("done")
