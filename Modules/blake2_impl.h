/* blake2_impl.h: BLAKE2b and BLAKE2s (RFC 7693) with the full parameter
 * block (salt, personalization, tree hashing), for the _blake2 module.
 * Internal to Modules/.  Plain C over caller-owned state: no locking here;
 * the Python objects in _blake2module.c serialise access to a state. */
#ifndef Py_BLAKE2_IMPL_H
#define Py_BLAKE2_IMPL_H

#include <stddef.h>
#include <stdint.h>

#define _PyBlake2b_BLOCKBYTES   128
#define _PyBlake2b_OUTBYTES     64
#define _PyBlake2b_KEYBYTES     64
#define _PyBlake2b_SALTBYTES    16
#define _PyBlake2b_PERSONALBYTES 16

#define _PyBlake2s_BLOCKBYTES   64
#define _PyBlake2s_OUTBYTES     32
#define _PyBlake2s_KEYBYTES     32
#define _PyBlake2s_SALTBYTES    8
#define _PyBlake2s_PERSONALBYTES 8

/* The parameters of one BLAKE2 instance (RFC 7693 section 2.8 and the
   BLAKE2 paper's tree mode).  Lengths are checked by the caller against
   the limits above; salt and person shorter than their size are
   zero-padded. */
typedef struct {
    uint8_t digest_size;
    uint8_t key_size;
    uint8_t fanout;
    uint8_t depth;
    uint32_t leaf_size;
    uint64_t node_offset;   /* 48 bits for BLAKE2s */
    uint8_t node_depth;
    uint8_t inner_size;
    uint8_t salt[16];
    uint8_t person[16];
    int last_node;
} _PyBlake2Params;

typedef struct {
    uint64_t h[8];
    uint64_t t[2];          /* byte counter, low word first */
    uint8_t buf[_PyBlake2b_BLOCKBYTES];
    size_t buflen;
    uint8_t outlen;
    int last_node;
} _PyBlake2bState;

typedef struct {
    uint32_t h[8];
    uint32_t t[2];
    uint8_t buf[_PyBlake2s_BLOCKBYTES];
    size_t buflen;
    uint8_t outlen;
    int last_node;
} _PyBlake2sState;

/* Initialise a state from the parameters and the key (key_size bytes,
   hashed as a first zero-padded block when non-empty). */
extern void _PyBlake2b_Init(_PyBlake2bState *S, const _PyBlake2Params *P,
                            const uint8_t *key);
extern void _PyBlake2s_Init(_PyBlake2sState *S, const _PyBlake2Params *P,
                            const uint8_t *key);

/* Absorb len bytes. */
extern void _PyBlake2b_Update(_PyBlake2bState *S, const void *in,
                              size_t len);
extern void _PyBlake2s_Update(_PyBlake2sState *S, const void *in,
                              size_t len);

/* Write the digest (S->outlen bytes) to out; consumes S (finish a copy to
   keep hashing). */
extern void _PyBlake2b_Final(_PyBlake2bState *S, uint8_t *out);
extern void _PyBlake2s_Final(_PyBlake2sState *S, uint8_t *out);

#endif /* !Py_BLAKE2_IMPL_H */
