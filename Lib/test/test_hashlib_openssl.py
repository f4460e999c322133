# The _hashlib module (OpenSSL): new()/openssl_* constructors, HASH and
# HASHXOF objects, HMAC objects, hmac_digest, pbkdf2_hmac, scrypt,
# compare_digest, names and 3.11's error messages.
# Output must equal CPython 3.11's (Lib/test/test_hashlib_openssl.exp).
try:
    import _hashlib as h
except ImportError:
    print("SKIP: _hashlib is not built in (Modules/config.c, libcrypto)")
    raise SystemExit(0)
import threading

print(sorted(h.openssl_md_meth_names))
print(sorted(k for k in dir(h) if not k.startswith("__")))
print(sorted(h._constructors.values()))
print(h.UnsupportedDigestmodError.__mro__, h.HASHXOF.__mro__)
print(h.get_fips_mode())

print("--- names")
for n in ["SHA256", "sha3-256", "SHA3_256", "ripemd160", "md5-sha1",
          "blake2b", "blake2s", "sha512_256", "sha512_224", "shake128",
          "sm3", "foo", "md5", "sha1", "sha224", "sha384", "sha512"]:
    try:
        o = h.new(n, b"abc")
        print(n, o.name, o.digest_size, o.block_size, type(o).__name__,
              o.hexdigest() if o.digest_size else o.hexdigest(5),
              repr(o).split(" @ ")[0])
    except Exception as e:
        print(n, type(e).__name__, e)

print("--- constructors")
for fn in sorted(h._constructors, key=lambda f: f.__name__):
    o = fn(b"abc" * 1000)
    c = o.copy()
    c.update(b"!")
    xof = o.name.startswith("shake")
    print(fn.__name__, o.name, o.hexdigest(16) if xof else o.hexdigest(),
          c.hexdigest(16) if xof else c.hexdigest(),
          fn(string=b"abc", usedforsecurity=False).digest(8) if xof
          else fn(string=b"abc", usedforsecurity=False).digest())

print("--- hmac objects")
for dm in ("md5", "sha1", "sha256", "sha3_256", h.openssl_sha512):
    m = h.hmac_new(b"key", b"msg", dm)
    c = m.copy()
    c.update(b"more")
    m.update(msg=b"x" * 5000)
    print(m.name, m.digest_size, m.block_size, m.hexdigest(),
          c.hexdigest()[:16], repr(m).split(" @ ")[0],
          h.hmac_digest(b"key", b"msg", dm).hex()[:16])
print(h.hmac_new(b"", b"abc", "sha256").hexdigest())
print(h.hmac_new(key=b"k", msg=None, digestmod="md5").hexdigest())
print(h.hmac_digest(key=b"k", msg=b"", digest="md5"))

print("--- kdf")
print(h.pbkdf2_hmac("sha256", b"password", b"salt", 4096).hex())
print(h.pbkdf2_hmac(hash_name="sha1", password=b"p", salt=b"s",
                    iterations=2, dklen=None).hex())
print(h.pbkdf2_hmac("sha512", bytearray(b"p"), memoryview(b"s"), 3, 7).hex())
print(h.scrypt(b"", salt=b"", n=16, r=1, p=1, dklen=64).hex())
print(h.scrypt(b"password", salt=b"NaCl", n=1024, r=8, p=16).hex())
print(h.scrypt(password=b"p", salt=b"s", n=16, r=1, p=1, maxmem=0,
               dklen=8).hex())

print("--- compare_digest")
for a, b in [(b"abc", b"abc"), (b"abc", b"abd"), (b"ab", b"abc"),
             ("abc", "abc"), ("abc", "abd"), (b"", b""),
             (bytearray(b"a"), memoryview(b"a"))]:
    print(h.compare_digest(a, b))

print("--- errors")
for bad in [
        lambda: h.new("sha1", "x"), lambda: h.new("sha1", 1),
        lambda: h.new(1), lambda: h.new(), lambda: h.openssl_sha1("a"),
        lambda: h.new("md5", data=b"a"), lambda: h.openssl_md5(data=b"a"),
        lambda: h.new("shake_128").digest(), lambda: h.new("sha1").update("x"),
        lambda: h.new("sha1").update(), lambda: h.new("md5").digest(1),
        lambda: type(h.new("md5"))(), lambda: h.HMAC(),
        lambda: h.hmac_new(b"k"), lambda: h.hmac_new("k", digestmod="sha1"),
        lambda: h.hmac_new(b"k", digestmod="foo"),
        lambda: h.hmac_new(b"k", digestmod=None),
        lambda: h.hmac_new(b"k", digestmod=1),
        lambda: h.hmac_new(b"k", b"", len),
        lambda: h.hmac_new(b"k", b"", "shake_128"),
        lambda: h.hmac_new(b"k", "m", "sha1"),
        lambda: h.hmac_digest(b"k", b"m", "foo"),
        lambda: h.hmac_digest(b"k", "m", "sha1"),
        lambda: h.pbkdf2_hmac("foo", b"p", b"s", 1),
        lambda: h.pbkdf2_hmac("sha1", b"p", b"s", 0),
        lambda: h.pbkdf2_hmac("sha1", b"p", b"s", 1, 0),
        lambda: h.pbkdf2_hmac("sha1", "p", b"s", 1),
        lambda: h.pbkdf2_hmac(1, b"p", b"s", 1),
        lambda: h.scrypt(b"p", salt=b"s", n=3, r=1, p=1),
        lambda: h.scrypt(b"p", salt=b"s", n=1, r=1, p=1),
        lambda: h.scrypt(b"p", n=2, r=1, p=1),
        lambda: h.scrypt(b"p", salt=b"s", n=2, r=1),
        lambda: h.scrypt(b"p", salt=b"s", n=16, r=1, p=1, dklen=0),
        lambda: h.scrypt(b"p", salt=b"s", n=2**20, r=8, p=1),
        lambda: h.compare_digest("a", b"a"), lambda: h.compare_digest(b"a", "a"),
        lambda: h.compare_digest("\xe9", "\xe9"),
        lambda: h.compare_digest(1, 1),
        lambda: h.compare_digest(a=b"a", b=b"a")]:
    try:
        print(repr(bad()))
    except Exception as e:
        print(type(e).__name__, e)

print("--- threads: one HASHXOF and one HMAC object")
x = h.new("shake_256")
m = h.hmac_new(b"k", digestmod="sha512")
chunk = b"z" * 4096


def work():
    for i in range(40):
        x.update(chunk)
        m.update(chunk)
        x.copy().hexdigest(4)
        m.copy().hexdigest()


ts = [threading.Thread(target=work) for _ in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(x.hexdigest(32) == h.new("shake_256", chunk * 160).hexdigest(32),
      m.hexdigest() == h.hmac_digest(b"k", chunk * 160, "sha512").hex())
print("done")
