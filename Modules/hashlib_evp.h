/* hashlib_evp.h: the digest object shared by the hash modules _hashlib,
 * _md5, _sha1, _sha256, _sha512 and _sha3 (internal to Modules/).
 *
 * Design decision: Plait computes the message digests with the system
 * OpenSSL (libcrypto, Debian package libssl-dev), as CPython's _hashlib
 * does.  All six modules wrap one object layout, _PyHashEVPObject, around
 * an EVP_MD_CTX; they differ only in their type names, constructors and
 * reprs, which are chosen by the flags given to _PyHashEVP_MakeType().
 * BLAKE2 is not here: _blake2 needs tree-hashing parameters that the EVP
 * interface does not expose, so it has its own implementation
 * (Modules/blake2_impl.c).
 *
 * usedforsecurity is accepted and ignored, as in CPython when OpenSSL is
 * not in FIPS mode.
 *
 * The code is compiled only when configure found libcrypto and defined
 * HAVE_LIBCRYPTO in pyconfig.h; without it the modules do not exist and
 * hashlib falls back as CPython does when a module is missing.
 *
 * Thread safety: a hash object is shared mutable state.  Its EVP context is
 * guarded by the object's own PyMutex `mutex` (not a critical section,
 * because an update of 2048 bytes or more holds the lock while the thread
 * is detached, and a critical section would be released on detach).
 * update() takes the lock for the whole EVP_DigestUpdate; digest(),
 * hexdigest() and copy() take it only to copy the context, and finish the
 * copy unlocked.  So concurrent updates are serialised (the result equals
 * some serial order of the updates) and a digest sees a consistent state.
 * name and md are immutable after creation and read without the lock. */
#ifndef Py_HASHLIB_EVP_H
#define Py_HASHLIB_EVP_H

#include "Python.h"

#ifdef HAVE_LIBCRYPTO
#include <openssl/evp.h>

typedef struct {
    PyObject_HEAD
    PyMutex mutex;          /* guards ctx; see the comment above */
    EVP_MD_CTX *ctx;        /* owned */
    const char *name;       /* Python name of the algorithm (static text) */
} _PyHashEVPObject;

/* Flags for _PyHashEVP_MakeType. */
#define _PyHashEVP_XOF      0x1 /* extendable output: digest(length) */
#define _PyHashEVP_CALLABLE 0x2 /* the type is the constructor (_sha3) */
#define _PyHashEVP_HASHREPR 0x4 /* repr "<name TYPE object @ 0xADDR>" */
#define _PyHashEVP_SHA3     0x8 /* _capacity_bits, _rate_bits, _suffix */
#define _PyHashEVP_BASETYPE 0x10 /* may be a base class (_hashlib.HASH) */

/* Updates of at least this many bytes run with the thread detached. */
#define _PyHashEVP_GIL_MINSIZE 2048

/* New reference: a heap type named tpname ("module.name") with the digest
   object's methods; base (borrowed, or NULL) becomes its base class. */
extern PyTypeObject *_PyHashEVP_MakeType(const char *tpname, int flags,
                                         PyTypeObject *base);

/* Looks up a digest by its Python name (exact), else by any name OpenSSL
   knows.  Sets *pyname to the canonical Python name.  Returns NULL with
   ValueError "[digital envelope routines] unsupported" if unknown.  The
   result is a static EVP_MD: nothing to free. */
extern const EVP_MD *_PyHashEVP_Lookup(const char *name, const char **pyname);

/* New reference: a fresh object of `type` for md, updated with data
   (borrowed, may be NULL).  NULL with an exception on failure. */
extern PyObject *_PyHashEVP_New(PyTypeObject *type, const EVP_MD *md,
                                const char *pyname, PyObject *data);

/* Fills view with the bytes of obj for hashing; on failure -1 with the
   3.11 TypeError ("Strings must be encoded before hashing", "object
   supporting the buffer API required"). */
extern int _PyHashEVP_GetBuffer(PyObject *obj, Py_buffer *view);

/* Sets a ValueError from the OpenSSL error queue (or `fallback` when the
   queue is empty) and returns NULL. */
extern PyObject *_PyHashEVP_SetError(PyObject *exc_type,
                                     const char *fallback);

/* New reference: the lowercase hex string of n bytes. */
extern PyObject *_PyHashEVP_Hex(const unsigned char *bytes, size_t n);

#endif /* HAVE_LIBCRYPTO */

#endif /* !Py_HASHLIB_EVP_H */
