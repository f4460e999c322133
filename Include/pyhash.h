/* Hashing (Python/pyhash.c): the numeric hash modulus of 3.11, SipHash-1-3
   for str and bytes keyed by the hash secret (PYTHONHASHSEED). */
#ifndef Py_PYHASH_H
#define Py_PYHASH_H

#include "pyport.h"

#define _PyHASH_MULTIPLIER 1000003UL
/* Numeric hashes reduce modulo the Mersenne prime 2**61 - 1. */
#define _PyHASH_BITS 61
#define _PyHASH_MODULUS (((size_t)1 << _PyHASH_BITS) - 1)
#define _PyHASH_INF 314159
#define _PyHASH_IMAG _PyHASH_MULTIPLIER

#define PyHASH_MULTIPLIER _PyHASH_MULTIPLIER
#define PyHASH_BITS _PyHASH_BITS
#define PyHASH_MODULUS _PyHASH_MODULUS
#define PyHASH_INF _PyHASH_INF
#define PyHASH_IMAG _PyHASH_IMAG

typedef struct {
    Py_hash_t (*const hash)(const void *, Py_ssize_t);
    const char *name;
    const int hash_bits;
    const int seed_bits;
} PyHash_FuncDef;

PyAPI_FUNC(PyHash_FuncDef *) PyHash_GetFuncDef(void);

/* SipHash-1-3 of the bytes with the secret key; never -1. */
PyAPI_FUNC(Py_hash_t) _Py_HashBytes(const void *src, Py_ssize_t len);
/* hash(float): a NaN hashes by the identity of inst (3.10+). */
PyAPI_FUNC(Py_hash_t) _Py_HashDouble(PyObject *inst, double v);
PyAPI_FUNC(Py_hash_t) _Py_HashPointer(const void *p);
PyAPI_FUNC(Py_hash_t) Py_HashPointer(const void *p);
PyAPI_FUNC(Py_hash_t) _Py_HashPointerRaw(const void *p);

/* The hash secret is chosen from PYTHONHASHSEED when the library loads (0
   disables randomisation, "random" or unset: from the OS), before any str
   is hashed.  Py_Initialize calls this to learn whether PYTHONHASHSEED was
   valid: 0, or -1 (no exception set), and Py_Initialize then fails as
   CPython does with the fatal error _Py_HASHSEED_ERROR. */
#define _Py_HASHSEED_ERROR \
    "PYTHONHASHSEED must be \"random\" or an integer in range [0; 4294967295]"
PyAPI_FUNC(int) _Py_HashRandomization_Init(void);
/* 1 once set from PYTHONHASHSEED to a fixed seed, with *seed set. */
PyAPI_FUNC(int) _Py_HashSecret_GetSeed(unsigned long *seed);

#endif /* !Py_PYHASH_H */
