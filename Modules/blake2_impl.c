/* blake2_impl.c: BLAKE2b and BLAKE2s written from the algorithm description
 * of RFC 7693 (compression function, G mixing, IVs, message schedule) and
 * the parameter block of the BLAKE2 specification (salt, personalization
 * and the tree-hashing fields fanout, depth, leaf length, node offset,
 * node depth, inner length, last-node flag).
 *
 * No locking: every function works on a caller-owned state (the _blake2
 * objects hold their own mutex).  No mutable static data. */
#include <string.h>
#include "blake2_impl.h"

/* The message word permutations of RFC 7693 section 2.7; BLAKE2b's rounds
   10 and 11 reuse rows 0 and 1. */
static const uint8_t blake2_sigma[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};

static const uint64_t blake2b_iv[8] = {
    0x6A09E667F3BCC908ULL, 0xBB67AE8584CAA73BULL,
    0x3C6EF372FE94F82BULL, 0xA54FF53A5F1D36F1ULL,
    0x510E527FADE682D1ULL, 0x9B05688C2B3E6C1FULL,
    0x1F83D9ABFB41BD6BULL, 0x5BE0CD19137E2179ULL,
};

static const uint32_t blake2s_iv[8] = {
    0x6A09E667UL, 0xBB67AE85UL, 0x3C6EF372UL, 0xA54FF53AUL,
    0x510E527FUL, 0x9B05688CUL, 0x1F83D9ABUL, 0x5BE0CD19UL,
};

/* Little-endian loads and stores, byte by byte (any alignment, any host). */
static uint64_t
load64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static uint32_t
load32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static void
store64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void
store32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static inline uint64_t
rotr64(uint64_t x, unsigned n)
{
    return (x >> n) | (x << (64 - n));
}

static inline uint32_t
rotr32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

/* The mixing function G of RFC 7693 section 3.1 for BLAKE2b (rotations
   32, 24, 16, 63).  Inlined with constant indices by the compiler. */
static inline void
g64(uint64_t *v, int a, int b, int c, int d, uint64_t x, uint64_t y)
{
    v[a] = v[a] + v[b] + x;
    v[d] = rotr64(v[d] ^ v[a], 32);
    v[c] = v[c] + v[d];
    v[b] = rotr64(v[b] ^ v[c], 24);
    v[a] = v[a] + v[b] + y;
    v[d] = rotr64(v[d] ^ v[a], 16);
    v[c] = v[c] + v[d];
    v[b] = rotr64(v[b] ^ v[c], 63);
}

/* G for BLAKE2s (rotations 16, 12, 8, 7). */
static inline void
g32(uint32_t *v, int a, int b, int c, int d, uint32_t x, uint32_t y)
{
    v[a] = v[a] + v[b] + x;
    v[d] = rotr32(v[d] ^ v[a], 16);
    v[c] = v[c] + v[d];
    v[b] = rotr32(v[b] ^ v[c], 12);
    v[a] = v[a] + v[b] + y;
    v[d] = rotr32(v[d] ^ v[a], 8);
    v[c] = v[c] + v[d];
    v[b] = rotr32(v[b] ^ v[c], 7);
}

/* ---------------------------------------------------------------- BLAKE2b */

/* The compression function F of RFC 7693 section 3.2 for BLAKE2b: mixes
   one 128-byte block into S->h.  final: this is the last block. */
static void
blake2b_compress(_PyBlake2bState *S, const uint8_t *block, int final)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) {
        m[i] = load64(block + 8 * i);
    }
    for (int i = 0; i < 8; i++) {
        v[i] = S->h[i];
        v[i + 8] = blake2b_iv[i];
    }
    v[12] ^= S->t[0];
    v[13] ^= S->t[1];
    if (final) {
        v[14] = ~v[14];
        if (S->last_node) {
            v[15] = ~v[15];
        }
    }
    for (int r = 0; r < 12; r++) {
        const uint8_t *s = blake2_sigma[r % 10];
        /* Columns, then diagonals (RFC 7693 section 3.2). */
        g64(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
        g64(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
        g64(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
        g64(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
        g64(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
        g64(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
        g64(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
        g64(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++) {
        S->h[i] ^= v[i] ^ v[i + 8];
    }
}

/* Adds n bytes to the 128-bit message counter. */
static void
blake2b_count(_PyBlake2bState *S, uint64_t n)
{
    S->t[0] += n;
    if (S->t[0] < n) {
        S->t[1]++;
    }
}

/* See blake2_impl.h. */
void
_PyBlake2b_Init(_PyBlake2bState *S, const _PyBlake2Params *P,
                const uint8_t *key)
{
    uint8_t pb[64];
    memset(pb, 0, sizeof(pb));
    pb[0] = P->digest_size;
    pb[1] = P->key_size;
    pb[2] = P->fanout;
    pb[3] = P->depth;
    store32(pb + 4, P->leaf_size);
    store64(pb + 8, P->node_offset);
    pb[16] = P->node_depth;
    pb[17] = P->inner_size;
    memcpy(pb + 32, P->salt, _PyBlake2b_SALTBYTES);
    memcpy(pb + 48, P->person, _PyBlake2b_PERSONALBYTES);
    memset(S, 0, sizeof(*S));
    for (int i = 0; i < 8; i++) {
        S->h[i] = blake2b_iv[i] ^ load64(pb + 8 * i);
    }
    S->outlen = P->digest_size;
    S->last_node = P->last_node;
    if (P->key_size > 0) {
        memcpy(S->buf, key, P->key_size);
        S->buflen = _PyBlake2b_BLOCKBYTES;
    }
}

/* See blake2_impl.h.  A full buffer is compressed only when more input
   arrives, so the last block is always compressed by Final. */
void
_PyBlake2b_Update(_PyBlake2bState *S, const void *in, size_t len)
{
    const uint8_t *p = in;
    while (len > 0) {
        if (S->buflen == _PyBlake2b_BLOCKBYTES) {
            blake2b_count(S, _PyBlake2b_BLOCKBYTES);
            blake2b_compress(S, S->buf, 0);
            S->buflen = 0;
        }
        if (S->buflen == 0) {
            /* Whole blocks straight from the input, keeping the last. */
            while (len > _PyBlake2b_BLOCKBYTES) {
                blake2b_count(S, _PyBlake2b_BLOCKBYTES);
                blake2b_compress(S, p, 0);
                p += _PyBlake2b_BLOCKBYTES;
                len -= _PyBlake2b_BLOCKBYTES;
            }
        }
        size_t n = _PyBlake2b_BLOCKBYTES - S->buflen;
        if (n > len) {
            n = len;
        }
        memcpy(S->buf + S->buflen, p, n);
        S->buflen += n;
        p += n;
        len -= n;
    }
}

/* See blake2_impl.h. */
void
_PyBlake2b_Final(_PyBlake2bState *S, uint8_t *out)
{
    uint8_t full[_PyBlake2b_OUTBYTES];
    blake2b_count(S, S->buflen);
    memset(S->buf + S->buflen, 0, _PyBlake2b_BLOCKBYTES - S->buflen);
    blake2b_compress(S, S->buf, 1);
    for (int i = 0; i < 8; i++) {
        store64(full + 8 * i, S->h[i]);
    }
    memcpy(out, full, S->outlen);
}

/* ---------------------------------------------------------------- BLAKE2s */

/* The compression function F for BLAKE2s (32-bit words, 10 rounds,
   rotations 16, 12, 8, 7): mixes one 64-byte block into S->h. */
static void
blake2s_compress(_PyBlake2sState *S, const uint8_t *block, int final)
{
    uint32_t m[16], v[16];
    for (int i = 0; i < 16; i++) {
        m[i] = load32(block + 4 * i);
    }
    for (int i = 0; i < 8; i++) {
        v[i] = S->h[i];
        v[i + 8] = blake2s_iv[i];
    }
    v[12] ^= S->t[0];
    v[13] ^= S->t[1];
    if (final) {
        v[14] = ~v[14];
        if (S->last_node) {
            v[15] = ~v[15];
        }
    }
    for (int r = 0; r < 10; r++) {
        const uint8_t *s = blake2_sigma[r];
        g32(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
        g32(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
        g32(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
        g32(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
        g32(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
        g32(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
        g32(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
        g32(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++) {
        S->h[i] ^= v[i] ^ v[i + 8];
    }
}

/* Adds n bytes to the 64-bit message counter. */
static void
blake2s_count(_PyBlake2sState *S, uint32_t n)
{
    S->t[0] += n;
    if (S->t[0] < n) {
        S->t[1]++;
    }
}

/* See blake2_impl.h. */
void
_PyBlake2s_Init(_PyBlake2sState *S, const _PyBlake2Params *P,
                const uint8_t *key)
{
    uint8_t pb[32];
    memset(pb, 0, sizeof(pb));
    pb[0] = P->digest_size;
    pb[1] = P->key_size;
    pb[2] = P->fanout;
    pb[3] = P->depth;
    store32(pb + 4, P->leaf_size);
    /* 48-bit node offset in bytes 8..13. */
    for (int i = 0; i < 6; i++) {
        pb[8 + i] = (uint8_t)(P->node_offset >> (8 * i));
    }
    pb[14] = P->node_depth;
    pb[15] = P->inner_size;
    memcpy(pb + 16, P->salt, _PyBlake2s_SALTBYTES);
    memcpy(pb + 24, P->person, _PyBlake2s_PERSONALBYTES);
    memset(S, 0, sizeof(*S));
    for (int i = 0; i < 8; i++) {
        S->h[i] = blake2s_iv[i] ^ load32(pb + 4 * i);
    }
    S->outlen = P->digest_size;
    S->last_node = P->last_node;
    if (P->key_size > 0) {
        memcpy(S->buf, key, P->key_size);
        S->buflen = _PyBlake2s_BLOCKBYTES;
    }
}

/* See blake2_impl.h. */
void
_PyBlake2s_Update(_PyBlake2sState *S, const void *in, size_t len)
{
    const uint8_t *p = in;
    while (len > 0) {
        if (S->buflen == _PyBlake2s_BLOCKBYTES) {
            blake2s_count(S, _PyBlake2s_BLOCKBYTES);
            blake2s_compress(S, S->buf, 0);
            S->buflen = 0;
        }
        if (S->buflen == 0) {
            while (len > _PyBlake2s_BLOCKBYTES) {
                blake2s_count(S, _PyBlake2s_BLOCKBYTES);
                blake2s_compress(S, p, 0);
                p += _PyBlake2s_BLOCKBYTES;
                len -= _PyBlake2s_BLOCKBYTES;
            }
        }
        size_t n = _PyBlake2s_BLOCKBYTES - S->buflen;
        if (n > len) {
            n = len;
        }
        memcpy(S->buf + S->buflen, p, n);
        S->buflen += n;
        p += n;
        len -= n;
    }
}

/* See blake2_impl.h. */
void
_PyBlake2s_Final(_PyBlake2sState *S, uint8_t *out)
{
    uint8_t full[_PyBlake2s_OUTBYTES];
    blake2s_count(S, (uint32_t)S->buflen);
    memset(S->buf + S->buflen, 0, _PyBlake2s_BLOCKBYTES - S->buflen);
    blake2s_compress(S, S->buf, 1);
    for (int i = 0; i < 8; i++) {
        store32(full + 4 * i, S->h[i]);
    }
    memcpy(out, full, S->outlen);
}
