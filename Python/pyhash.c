/* Hashing: SipHash-1-3 for str and bytes, the numeric hash of floats, the
 * identity hash of pointers, and the hash secret.
 *
 * SipHash-1-3 is written from the published SipHash description
 * (Aumasson and Bernstein): one compression round per 8-byte block and
 * three finalisation rounds.  The 128-bit key is the hash secret, chosen
 * once before any hash is computed:
 *   PYTHONHASHSEED unset or "random": random bytes from the OS;
 *   PYTHONHASHSEED=0: all zero (no randomisation);
 *   PYTHONHASHSEED=N (1..4294967295): bytes from a linear congruential
 *     generator seeded with N (x = x * 214013 + 2531011, byte = x >> 16),
 *     so a given seed gives the same hashes as CPython 3.11.
 * The secret is written once, before any thread hashes (a constructor at
 * library load), and only read afterwards. */
#include "Python.h"
#include "pyhash.h"

#include <math.h>
#include <sys/random.h>

static struct {
    uint64_t k0;
    uint64_t k1;
    int initialized;
    int bad_seed;               /* PYTHONHASHSEED was malformed */
    int use_seed;               /* a fixed seed was given */
    unsigned long seed;
} hash_secret;

static inline uint64_t
rotl64(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

#define SIPROUND(v0, v1, v2, v3)                                   \
    do {                                                           \
        v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32); \
        v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;                   \
        v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;                   \
        v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32); \
    } while (0)

/* Reads 8 little-endian bytes. */
static inline uint64_t
load_le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* SipHash-1-3 of src[0:len] under key (k0, k1). */
static uint64_t
siphash13(uint64_t k0, uint64_t k1, const unsigned char *src, size_t len)
{
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
    uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
    uint64_t v3 = k1 ^ 0x7465646279746573ULL;
    uint64_t b = (uint64_t)len << 56;
    size_t nblocks = len / 8;
    for (size_t i = 0; i < nblocks; i++) {
        uint64_t m = load_le64(src + 8 * i);
        v3 ^= m;
        SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    const unsigned char *tail = src + 8 * nblocks;
    for (size_t i = 0; i < (len & 7); i++) {
        b |= (uint64_t)tail[i] << (8 * i);
    }
    v3 ^= b;
    SIPROUND(v0, v1, v2, v3);
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

/* Parses PYTHONHASHSEED: 0 and *seed set, or -1 if malformed. */
static int
parse_hash_seed(const char *s, unsigned long *seed)
{
    if (strcmp(s, "random") == 0) {
        *seed = 0;
        return 1;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *s == '-' || *s == '+' || *end != '\0' ||
        errno != 0 || v > 4294967295ULL) {
        return -1;
    }
    *seed = (unsigned long)v;
    return 0;
}

/* Fills the key from the linear congruential generator seeded with seed. */
static void
secret_from_seed(unsigned long seed)
{
    unsigned char buf[16];
    uint32_t x = (uint32_t)seed;
    for (size_t i = 0; i < sizeof(buf); i++) {
        x = x * 214013u + 2531011u;
        buf[i] = (unsigned char)((x >> 16) & 0xff);
    }
    hash_secret.k0 = load_le64(buf);
    hash_secret.k1 = load_le64(buf + 8);
}

static void
secret_from_os(void)
{
    unsigned char buf[16];
    size_t got = 0;
    while (got < sizeof(buf)) {
        ssize_t n = getrandom(buf + got, sizeof(buf) - got, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            /* No entropy source: fall back to something that varies. */
            uint64_t t = (uint64_t)getpid() * 0x9E3779B97F4A7C15ULL;
            memcpy(buf, &t, sizeof(t));
            memcpy(buf + 8, &buf, sizeof(void *));
            break;
        }
        got += (size_t)n;
    }
    hash_secret.k0 = load_le64(buf);
    hash_secret.k1 = load_le64(buf + 8);
}

/* Chooses the secret once, at library load, before any thread exists. */
__attribute__((constructor)) static void
hash_secret_init(void)
{
    if (hash_secret.initialized) {
        return;
    }
    hash_secret.initialized = 1;
    const char *env = getenv("PYTHONHASHSEED");
    unsigned long seed = 0;
    int r = (env != NULL && *env != '\0') ? parse_hash_seed(env, &seed) : 1;
    if (r < 0) {
        hash_secret.bad_seed = 1;
        secret_from_os();
    }
    else if (r == 1) {
        secret_from_os();
    }
    else if (seed == 0) {
        hash_secret.k0 = hash_secret.k1 = 0;
        hash_secret.use_seed = 1;
    }
    else {
        secret_from_seed(seed);
        hash_secret.use_seed = 1;
        hash_secret.seed = seed;
    }
}

int
_Py_HashRandomization_Init(void)
{
    hash_secret_init();
    if (hash_secret.bad_seed) {
        return -1;
    }
    return 0;
}

int
_Py_HashSecret_GetSeed(unsigned long *seed)
{
    *seed = hash_secret.seed;
    return hash_secret.use_seed;
}

/* str and bytes hash their raw representation; the empty one hashes to 0
   as in CPython. */
Py_hash_t
_Py_HashBytes(const void *src, Py_ssize_t len)
{
    if (len == 0) {
        return 0;
    }
    Py_hash_t x = (Py_hash_t)siphash13(hash_secret.k0, hash_secret.k1,
                                       (const unsigned char *)src,
                                       (size_t)len);
    return x == -1 ? -2 : x;
}

static Py_hash_t
siphash13_funcdef(const void *src, Py_ssize_t len)
{
    return (Py_hash_t)siphash13(hash_secret.k0, hash_secret.k1,
                                (const unsigned char *)src, (size_t)len);
}

static PyHash_FuncDef siphash13_def = {
    siphash13_funcdef, "siphash13", 64, 128
};

PyHash_FuncDef *
PyHash_GetFuncDef(void)
{
    return &siphash13_def;
}

/* Identity hash: the address rotated by 4 bits, since objects are at least
   16-byte aligned and the low bits carry nothing. */
Py_hash_t
_Py_HashPointerRaw(const void *p)
{
    size_t y = (size_t)p;
    y = (y >> 4) | (y << (8 * sizeof(void *) - 4));
    return (Py_hash_t)y;
}

Py_hash_t
_Py_HashPointer(const void *p)
{
    Py_hash_t x = _Py_HashPointerRaw(p);
    return x == -1 ? -2 : x;
}

Py_hash_t
Py_HashPointer(const void *p)
{
    return _Py_HashPointer(p);
}

/* hash(float): the value of the rational v reduced modulo P = 2**61 - 1,
   with the sign applied afterwards, so that equal ints, floats and
   Fractions hash alike.  v = m * 2**e with 0.5 <= m < 1; the mantissa is
   consumed 28 bits at a time (multiplying by 2**28 mod P is a rotation of
   the 61-bit residue), then the residue is multiplied by 2**e mod P, also
   a rotation since 2**61 == 1 (mod P). */
Py_hash_t
_Py_HashDouble(PyObject *inst, double v)
{
    if (!isfinite(v)) {
        if (isinf(v)) {
            return v > 0 ? _PyHASH_INF : -_PyHASH_INF;
        }
        return _Py_HashPointer(inst);
    }
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    Py_uhash_t x = 0;
    while (m != 0.0) {
        x = ((x << 28) & _PyHASH_MODULUS) | x >> (_PyHASH_BITS - 28);
        m *= 268435456.0;       /* 2**28 */
        e -= 28;
        Py_uhash_t y = (Py_uhash_t)m;
        m -= (double)y;
        x += y;
        if (x >= _PyHASH_MODULUS) {
            x -= _PyHASH_MODULUS;
        }
    }
    /* Reduce e modulo 61, as a non-negative rotation count. */
    e = e >= 0 ? e % _PyHASH_BITS
               : _PyHASH_BITS - 1 - ((-1 - e) % _PyHASH_BITS);
    x = ((x << e) & _PyHASH_MODULUS) | x >> (_PyHASH_BITS - e);
    x = x * (Py_uhash_t)(Py_hash_t)sign;
    if ((Py_hash_t)x == -1) {
        x = (Py_uhash_t)-2;
    }
    return (Py_hash_t)x;
}

/* SipHash-1-3 of `src` keyed by (key, 0): what _imp.source_hash gives
   hash-based .pyc files. */
uint64_t
_Py_KeyedHash(uint64_t key, const void *src, Py_ssize_t len)
{
    return siphash13(key, 0, (const unsigned char *)src, (size_t)len);
}
