/* The _hashlib module: message digests, HMAC and key derivation over the
 * system OpenSSL libcrypto (Debian package libssl-dev), with the interface
 * of Python 3.11's _hashlib, which the stdlib's hashlib and hmac use.
 *
 * Design decision: like CPython, Plait does not carry its own MD5/SHA-1/
 * SHA-2/SHA-3 code; the digests come from libcrypto's EVP interface.  The
 * digest object (_hashlib.HASH / HASHXOF) is shared with the builtin
 * fallback modules _md5, _sha1, _sha256, _sha512 and _sha3 through
 * Modules/hashlib_evp.h.  Only BLAKE2 has its own code (Modules/_blake2module.c)
 * because its tree-hashing parameters are not reachable through EVP.
 *
 * Thread safety: HASH/HASHXOF objects lock their EVP context with a
 * per-object PyMutex (see hashlib_evp.h).  HMAC objects do the same with
 * their EVP_MAC_CTX: update() holds `mutex` for the whole EVP_MAC_update
 * (detached first for inputs of 2048 bytes or more), digest(), hexdigest()
 * and copy() hold it only while duplicating the context.  The module's
 * state (types, the exception, the _constructors dict) is written once at
 * import and only read afterwards.  pbkdf2_hmac and scrypt work on private
 * buffers and run detached. */
#include "Python.h"
#include "hashlib_evp.h"

#ifdef HAVE_LIBCRYPTO
#include <limits.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

typedef struct {
    PyTypeObject *hash_type;        /* _hashlib.HASH */
    PyTypeObject *hashxof_type;     /* _hashlib.HASHXOF */
    PyTypeObject *hmac_type;        /* _hashlib.HMAC */
    PyObject *unsupported;          /* UnsupportedDigestmodError */
    PyObject *constructors;         /* dict: openssl_* function -> name */
} hashlib_state;

/* The module's state (borrowed pointer into the module object). */
static hashlib_state *
get_state(PyObject *module)
{
    return (hashlib_state *)PyModule_GetState(module);
}

/* ---------------------------------------------------------------- new() */

/* New reference: a HASH or HASHXOF object for the digest called `name`,
   fed with data (borrowed, may be NULL). */
static PyObject *
hash_new_by_name(PyObject *module, const char *name, PyObject *data)
{
    hashlib_state *st = get_state(module);
    const char *pyname;
    const EVP_MD *md = _PyHashEVP_Lookup(name, &pyname);
    if (md == NULL) {
        return NULL;
    }
    PyTypeObject *tp = (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF)
                       ? st->hashxof_type : st->hash_type;
    return _PyHashEVP_New(tp, md, pyname, data);
}

/* new(name, string=b'', *, usedforsecurity=True): a new hash object
   (new reference). */
static PyObject *
hashlib_new(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"name", "string", "usedforsecurity", NULL};
    PyObject *name, *data = NULL;
    int usedforsecurity = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O$p:new", kwlist,
                                     &name, &data, &usedforsecurity)) {
        return NULL;
    }
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "name must be a string");
        return NULL;
    }
    const char *cname = PyUnicode_AsUTF8(name);
    if (cname == NULL) {
        return NULL;
    }
    return hash_new_by_name(module, cname, data);
}

/* Shared body of the openssl_NAME(string=b'', *, usedforsecurity=True)
   constructors.  New reference. */
static PyObject *
hashlib_named(PyObject *module, const char *name, const char *funcname,
              PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"string", "usedforsecurity", NULL};
    PyObject *data = NULL;
    int usedforsecurity = 1;
    char fmt[64];
    PyOS_snprintf(fmt, sizeof(fmt), "|O$p:%s", funcname);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist, &data,
                                     &usedforsecurity)) {
        return NULL;
    }
    return hash_new_by_name(module, name, data);
}

#define HASHLIB_NAMED(NAME)                                               \
    /* openssl_NAME(string=b'', *, usedforsecurity=True): new reference. */ \
    static PyObject *                                                     \
    hashlib_openssl_##NAME(PyObject *module, PyObject *args,              \
                           PyObject *kwargs)                              \
    {                                                                     \
        return hashlib_named(module, #NAME, "openssl_" #NAME, args,       \
                             kwargs);                                     \
    }

HASHLIB_NAMED(md5)
HASHLIB_NAMED(sha1)
HASHLIB_NAMED(sha224)
HASHLIB_NAMED(sha256)
HASHLIB_NAMED(sha384)
HASHLIB_NAMED(sha512)
HASHLIB_NAMED(sha3_224)
HASHLIB_NAMED(sha3_256)
HASHLIB_NAMED(sha3_384)
HASHLIB_NAMED(sha3_512)
HASHLIB_NAMED(shake_128)
HASHLIB_NAMED(shake_256)

/* ---------------------------------------------------------------- HMAC */

/* An HMAC object.  Thread safety: see the module comment. */
typedef struct {
    PyObject_HEAD
    PyMutex mutex;          /* guards ctx */
    EVP_MAC_CTX *ctx;       /* owned */
    const EVP_MD *md;       /* static, immutable */
    const char *name;       /* Python name of the digest, immutable */
} HMACObject;

/* Resolves an HMAC digestmod (str, or an openssl_* function registered in
   _constructors; both borrowed) to an EVP_MD.  NULL with ValueError or
   UnsupportedDigestmodError. */
static const EVP_MD *
hmac_resolve_digest(PyObject *module, PyObject *digestmod,
                    const char **pyname)
{
    hashlib_state *st = get_state(module);
    PyObject *name = digestmod;
    if (!PyUnicode_Check(digestmod)) {
        name = PyDict_GetItemWithError(st->constructors, digestmod);
        if (name == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_Format(st->unsupported, "Unsupported digestmod %R",
                             digestmod);
            }
            return NULL;
        }
    }
    const char *cname = PyUnicode_AsUTF8(name);
    if (cname == NULL) {
        return NULL;
    }
    return _PyHashEVP_Lookup(cname, pyname);
}

/* Feeds len bytes to an HMAC context under the object's mutex (detached
   for large inputs).  0, or -1 with an exception. */
static int
hmac_update_bytes(HMACObject *self, const void *buf, Py_ssize_t len)
{
    int ok;
    if (len >= _PyHashEVP_GIL_MINSIZE) {
        Py_BEGIN_ALLOW_THREADS
        PyMutex_Lock(&self->mutex);
        ok = EVP_MAC_update(self->ctx, buf, (size_t)len);
        PyMutex_Unlock(&self->mutex);
        Py_END_ALLOW_THREADS
    }
    else {
        PyMutex_Lock(&self->mutex);
        ok = EVP_MAC_update(self->ctx, buf, (size_t)len);
        PyMutex_Unlock(&self->mutex);
    }
    if (!ok) {
        _PyHashEVP_SetError(PyExc_ValueError, "no reason supplied");
        return -1;
    }
    return 0;
}

/* Hashes the buffer of obj (borrowed) into an HMAC.  0 or -1. */
static int
hmac_update_object(HMACObject *self, PyObject *obj)
{
    Py_buffer view;
    if (_PyHashEVP_GetBuffer(obj, &view) < 0) {
        return -1;
    }
    int res = hmac_update_bytes(self, view.buf, view.len);
    PyBuffer_Release(&view);
    return res;
}

/* New reference: an HMAC object with no context yet. */
static HMACObject *
hmac_alloc(PyTypeObject *type, const EVP_MD *md, const char *pyname)
{
    HMACObject *self = (HMACObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->md = md;
    self->name = pyname;
    return self;
}

/* New reference: an HMAC object keyed with key[:keylen] for md, fed with
   msg (borrowed; NULL or None: nothing). */
static PyObject *
hmac_create(PyObject *module, const void *key, Py_ssize_t keylen,
            const EVP_MD *md, const char *pyname, PyObject *msg)
{
    HMACObject *self = hmac_alloc(get_state(module)->hmac_type, md, pyname);
    if (self == NULL) {
        return NULL;
    }
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL) {
        Py_DECREF(self);
        return _PyHashEVP_SetError(PyExc_ValueError, "no reason supplied");
    }
    self->ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);
    if (self->ctx == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(
        OSSL_MAC_PARAM_DIGEST, (char *)EVP_MD_get0_name(md), 0);
    params[1] = OSSL_PARAM_construct_end();
    /* A non-NULL pointer even for an empty key: NULL means "no key". */
    static const unsigned char empty[1] = {0};
    if ((EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) ||
        !EVP_MAC_init(self->ctx, keylen > 0 ? key : empty, (size_t)keylen,
                      params)) {
        Py_DECREF(self);
        return _PyHashEVP_SetError(PyExc_ValueError, "no reason supplied");
    }
    if (msg != NULL && msg != Py_None && hmac_update_object(self, msg) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

/* hmac_new(key, msg=b'', digestmod=None): a new HMAC object (new ref). */
static PyObject *
hashlib_hmac_new(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"key", "msg", "digestmod", NULL};
    Py_buffer key;
    PyObject *msg = NULL, *digestmod = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "y*|OO:hmac_new", kwlist,
                                     &key, &msg, &digestmod)) {
        return NULL;
    }
    PyObject *res = NULL;
    if (digestmod == NULL) {
        PyErr_SetString(PyExc_TypeError,
                        "Missing required parameter 'digestmod'.");
        goto done;
    }
    const char *pyname;
    const EVP_MD *md = hmac_resolve_digest(module, digestmod, &pyname);
    if (md == NULL) {
        goto done;
    }
    res = hmac_create(module, key.buf, key.len, md, pyname, msg);
done:
    PyBuffer_Release(&key);
    return res;
}

/* tp_dealloc of HMAC: frees the context, the memory and the type ref. */
static void
hmac_dealloc(PyObject *op)
{
    HMACObject *self = (HMACObject *)op;
    PyTypeObject *tp = Py_TYPE(op);
    if (self->ctx != NULL) {
        EVP_MAC_CTX_free(self->ctx);
        self->ctx = NULL;
    }
    tp->tp_free(op);
    Py_DECREF(tp);
}

/* New reference to an EVP_MAC_CTX copied from self's under its mutex;
   NULL with an exception. */
static EVP_MAC_CTX *
hmac_dup_ctx(HMACObject *self)
{
    PyMutex_Lock(&self->mutex);
    EVP_MAC_CTX *dup = EVP_MAC_CTX_dup(self->ctx);
    PyMutex_Unlock(&self->mutex);
    if (dup == NULL) {
        _PyHashEVP_SetError(PyExc_ValueError, "no reason supplied");
    }
    return dup;
}

/* update(msg): Returns None (new reference). */
static PyObject *
hmac_update(PyObject *op, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"msg", NULL};
    PyObject *msg;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:update", kwlist,
                                     &msg)) {
        return NULL;
    }
    if (hmac_update_object((HMACObject *)op, msg) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* copy(): a new HMAC object with a copy of the state (new reference). */
static PyObject *
hmac_copy(PyObject *op, PyObject *unused)
{
    HMACObject *self = (HMACObject *)op;
    HMACObject *res = hmac_alloc(Py_TYPE(op), self->md, self->name);
    if (res == NULL) {
        return NULL;
    }
    res->ctx = hmac_dup_ctx(self);
    if (res->ctx == NULL) {
        Py_DECREF(res);
        return NULL;
    }
    return (PyObject *)res;
}

/* Finishes a copy of the state into out (EVP_MAX_MD_SIZE bytes).  Returns
   the length, or -1 with an exception. */
static Py_ssize_t
hmac_final(HMACObject *self, unsigned char *out)
{
    EVP_MAC_CTX *tmp = hmac_dup_ctx(self);
    if (tmp == NULL) {
        return -1;
    }
    size_t outlen = 0;
    int ok = EVP_MAC_final(tmp, out, &outlen, EVP_MAX_MD_SIZE);
    EVP_MAC_CTX_free(tmp);
    if (!ok) {
        _PyHashEVP_SetError(PyExc_ValueError, "no reason supplied");
        return -1;
    }
    return (Py_ssize_t)outlen;
}

/* digest(): bytes (new reference). */
static PyObject *
hmac_digest_meth(PyObject *op, PyObject *unused)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    Py_ssize_t n = hmac_final((HMACObject *)op, out);
    if (n < 0) {
        return NULL;
    }
    return PyBytes_FromStringAndSize((const char *)out, n);
}

/* hexdigest(): str (new reference). */
static PyObject *
hmac_hexdigest_meth(PyObject *op, PyObject *unused)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    Py_ssize_t n = hmac_final((HMACObject *)op, out);
    if (n < 0) {
        return NULL;
    }
    return _PyHashEVP_Hex(out, (size_t)n);
}

/* name getter: "hmac-" + digest name (new reference). */
static PyObject *
hmac_get_name(PyObject *op, void *closure)
{
    return PyUnicode_FromFormat("hmac-%s", ((HMACObject *)op)->name);
}

/* digest_size getter (new reference). */
static PyObject *
hmac_get_digest_size(PyObject *op, void *closure)
{
    return PyLong_FromLong(EVP_MD_get_size(((HMACObject *)op)->md));
}

/* block_size getter (new reference). */
static PyObject *
hmac_get_block_size(PyObject *op, void *closure)
{
    return PyLong_FromLong(EVP_MD_get_block_size(((HMACObject *)op)->md));
}

/* "<sha256 HMAC object @ 0x...>" (new reference). */
static PyObject *
hmac_repr(PyObject *op)
{
    return PyUnicode_FromFormat("<%s HMAC object @ %p>",
                                ((HMACObject *)op)->name, op);
}

static PyMethodDef hmac_methods[] = {
    {"update", (PyCFunction)(void (*)(void))hmac_update,
     METH_VARARGS | METH_KEYWORDS, "Update the HMAC object with msg."},
    {"digest", hmac_digest_meth, METH_NOARGS,
     "Return the digest of the bytes passed to the update() method so far."},
    {"hexdigest", hmac_hexdigest_meth, METH_NOARGS,
     "Return hexadecimal digest of the bytes passed so far."},
    {"copy", hmac_copy, METH_NOARGS, "Return a copy (\"clone\") of the HMAC "
     "object."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef hmac_getset[] = {
    {"name", hmac_get_name, NULL, NULL, NULL},
    {"digest_size", hmac_get_digest_size, NULL, NULL, NULL},
    {"block_size", hmac_get_block_size, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot hmac_slots[] = {
    {Py_tp_dealloc, hmac_dealloc},
    {Py_tp_repr, hmac_repr},
    {Py_tp_methods, hmac_methods},
    {Py_tp_getset, hmac_getset},
    {0, NULL},
};

static PyType_Spec hmac_spec = {
    .name = "_hashlib.HMAC",
    .basicsize = (int)sizeof(HMACObject),
    .itemsize = 0,
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE |
             Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = hmac_slots,
};

/* hmac_digest(key, msg, digest): the HMAC of msg as bytes (new ref). */
static PyObject *
hashlib_hmac_digest(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"key", "msg", "digest", NULL};
    Py_buffer key, msg;
    PyObject *digest;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "y*y*O:hmac_digest",
                                     kwlist, &key, &msg, &digest)) {
        return NULL;
    }
    PyObject *res = NULL;
    const char *pyname;
    const EVP_MD *md = hmac_resolve_digest(module, digest, &pyname);
    if (md != NULL) {
        PyObject *mv = PyMemoryView_FromBuffer(&msg);
        if (mv != NULL) {
            PyObject *h = hmac_create(module, key.buf, key.len, md, pyname,
                                      mv);
            Py_DECREF(mv);
            if (h != NULL) {
                res = hmac_digest_meth(h, NULL);
                Py_DECREF(h);
            }
        }
    }
    PyBuffer_Release(&key);
    PyBuffer_Release(&msg);
    return res;
}

/* ---------------------------------------------------------------- KDFs */

/* pbkdf2_hmac(hash_name, password, salt, iterations, dklen=None): the
   derived key as bytes (new reference). */
static PyObject *
hashlib_pbkdf2_hmac(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"hash_name", "password", "salt", "iterations",
                             "dklen", NULL};
    PyObject *hash_name, *dklen_obj = Py_None;
    Py_buffer password, salt;
    long iterations;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "Oy*y*l|O:pbkdf2_hmac",
                                     kwlist, &hash_name, &password, &salt,
                                     &iterations, &dklen_obj)) {
        return NULL;
    }
    PyObject *res = NULL;
    if (!PyUnicode_Check(hash_name)) {
        PyErr_Format(PyExc_TypeError,
                     "pbkdf2_hmac() argument 'hash_name' must be str, "
                     "not %.200s", Py_TYPE(hash_name)->tp_name);
        goto done;
    }
    const char *cname = PyUnicode_AsUTF8(hash_name);
    const char *pyname;
    const EVP_MD *md = cname ? _PyHashEVP_Lookup(cname, &pyname) : NULL;
    if (md == NULL) {
        goto done;
    }
    if (password.len > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "password is too long.");
        goto done;
    }
    if (salt.len > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "salt is too long.");
        goto done;
    }
    if (iterations < 1) {
        PyErr_SetString(PyExc_ValueError,
                        "iteration value must be greater than 0.");
        goto done;
    }
    if (iterations > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "iteration value is too great.");
        goto done;
    }
    long dklen;
    if (dklen_obj == Py_None) {
        dklen = EVP_MD_get_size(md);
    }
    else {
        dklen = PyLong_AsLong(dklen_obj);
        if (dklen == -1 && PyErr_Occurred()) {
            goto done;
        }
    }
    if (dklen < 1) {
        PyErr_SetString(PyExc_ValueError,
                        "key length must be greater than 0.");
        goto done;
    }
    if (dklen > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "key length is too great.");
        goto done;
    }
    res = PyBytes_FromStringAndSize(NULL, dklen);
    if (res == NULL) {
        goto done;
    }
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(res);
    int ok;
    Py_BEGIN_ALLOW_THREADS
    ok = PKCS5_PBKDF2_HMAC(password.buf, (int)password.len, salt.buf,
                           (int)salt.len, (int)iterations, md, (int)dklen,
                           out);
    Py_END_ALLOW_THREADS
    if (!ok) {
        Py_CLEAR(res);
        _PyHashEVP_SetError(PyExc_ValueError, "no reason supplied");
    }
done:
    PyBuffer_Release(&password);
    PyBuffer_Release(&salt);
    return res;
}

/* Converts an scrypt cost parameter (borrowed; None = missing) to an
   unsigned long.  -1 with "NAME is required and must be an unsigned int". */
static int
scrypt_param(PyObject *obj, const char *name, unsigned long *out)
{
    if (obj == NULL || obj == Py_None || !PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "%s is required and must be an unsigned int", name);
        return -1;
    }
    *out = PyLong_AsUnsignedLong(obj);
    if (*out == (unsigned long)-1 && PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

/* scrypt(password, *, salt=None, n=None, r=None, p=None, maxmem=0,
   dklen=64): the derived key as bytes (new reference). */
static PyObject *
hashlib_scrypt(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"password", "salt", "n", "r", "p", "maxmem",
                             "dklen", NULL};
    Py_buffer password;
    PyObject *salt_obj = Py_None, *n_obj = Py_None, *r_obj = Py_None;
    PyObject *p_obj = Py_None;
    long maxmem = 0, dklen = 64;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "y*|$OOOOll:scrypt",
                                     kwlist, &password, &salt_obj, &n_obj,
                                     &r_obj, &p_obj, &maxmem, &dklen)) {
        return NULL;
    }
    PyObject *res = NULL;
    Py_buffer salt = {0};
    unsigned long n, r, p;
    if (password.len > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "password is too long.");
        goto done;
    }
    if (salt_obj == Py_None) {
        PyErr_SetString(PyExc_TypeError, "salt is required");
        goto done;
    }
    if (PyObject_GetBuffer(salt_obj, &salt, PyBUF_SIMPLE) < 0) {
        goto done;
    }
    if (salt.len > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "salt is too long.");
        goto done;
    }
    if (scrypt_param(n_obj, "n", &n) < 0) {
        goto done;
    }
    if (n < 2 || (n & (n - 1)) != 0) {
        PyErr_SetString(PyExc_ValueError, "n must be a power of 2.");
        goto done;
    }
    if (scrypt_param(r_obj, "r", &r) < 0 || scrypt_param(p_obj, "p", &p) < 0) {
        goto done;
    }
    if (maxmem < 0 || maxmem > INT_MAX) {
        PyErr_Format(PyExc_ValueError,
                     "maxmem must be positive and smaller than %d", INT_MAX);
        goto done;
    }
    if (dklen < 1 || dklen > INT_MAX) {
        PyErr_Format(PyExc_ValueError,
                     "dklen must be greater than 0 and smaller than %d",
                     INT_MAX);
        goto done;
    }
    /* Parameter check only (no output). */
    if (!EVP_PBE_scrypt(NULL, 0, NULL, 0, n, r, p, (uint64_t)maxmem, NULL,
                        0)) {
        _PyHashEVP_SetError(PyExc_ValueError,
                            "Invalid parameter combination for n, r, p, "
                            "maxmem.");
        goto done;
    }
    res = PyBytes_FromStringAndSize(NULL, dklen);
    if (res == NULL) {
        goto done;
    }
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(res);
    int ok;
    Py_BEGIN_ALLOW_THREADS
    ok = EVP_PBE_scrypt(password.buf, (size_t)password.len, salt.buf,
                        (size_t)salt.len, n, r, p, (uint64_t)maxmem, out,
                        (size_t)dklen);
    Py_END_ALLOW_THREADS
    if (!ok) {
        Py_CLEAR(res);
        _PyHashEVP_SetError(PyExc_ValueError, "no reason supplied");
    }
done:
    if (salt.obj != NULL || salt.buf != NULL) {
        PyBuffer_Release(&salt);
    }
    PyBuffer_Release(&password);
    return res;
}

/* ---------------------------------------------------------------- misc */

/* Compares len bytes of a and b in time that depends only on lengths.
   a_len may differ from b_len; the result is then 0. */
static int
tscmp(const unsigned char *a, Py_ssize_t a_len, const unsigned char *b,
      Py_ssize_t b_len)
{
    /* volatile: keep the compiler from short-circuiting the loop. */
    volatile unsigned char result = (a_len != b_len);
    const unsigned char *left = (a_len == b_len) ? a : b;
    for (Py_ssize_t i = 0; i < b_len; i++) {
        result |= left[i] ^ b[i];
    }
    return result == 0;
}

/* compare_digest(a, b, /): constant-time equality of two ASCII strs or two
   bytes-like objects.  New reference to a bool. */
static PyObject *
hashlib_compare_digest(PyObject *module, PyObject *args, PyObject *kwargs)
{
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs) > 0) {
        PyErr_SetString(PyExc_TypeError,
                        "_hashlib.compare_digest() takes no keyword "
                        "arguments");
        return NULL;
    }
    PyObject *a, *b;
    if (!PyArg_UnpackTuple(args, "compare_digest", 2, 2, &a, &b)) {
        return NULL;
    }
    int eq;
    if (PyUnicode_Check(a) && PyUnicode_Check(b)) {
        if (!PyUnicode_IS_ASCII(a) || !PyUnicode_IS_ASCII(b)) {
            PyErr_SetString(PyExc_TypeError,
                            "comparing strings with non-ASCII characters is "
                            "not supported");
            return NULL;
        }
        eq = tscmp((const unsigned char *)PyUnicode_DATA(a),
                   PyUnicode_GET_LENGTH(a),
                   (const unsigned char *)PyUnicode_DATA(b),
                   PyUnicode_GET_LENGTH(b));
        return PyBool_FromLong(eq);
    }
    if (!PyObject_CheckBuffer(a) && !PyObject_CheckBuffer(b)) {
        PyErr_Format(PyExc_TypeError,
                     "unsupported operand types(s) or combination of types: "
                     "'%.100s' and '%.100s'",
                     Py_TYPE(a)->tp_name, Py_TYPE(b)->tp_name);
        return NULL;
    }
    Py_buffer va, vb;
    if (PyObject_GetBuffer(a, &va, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    if (PyObject_GetBuffer(b, &vb, PyBUF_SIMPLE) < 0) {
        PyBuffer_Release(&va);
        return NULL;
    }
    eq = tscmp(va.buf, va.len, vb.buf, vb.len);
    PyBuffer_Release(&va);
    PyBuffer_Release(&vb);
    return PyBool_FromLong(eq);
}

/* get_fips_mode(): 1 when OpenSSL's default properties require FIPS. */
static PyObject *
hashlib_get_fips_mode(PyObject *module, PyObject *unused)
{
    return PyLong_FromLong(EVP_default_properties_is_fips_enabled(NULL));
}

/* New reference: frozenset of the Python names of the digests the
   OpenSSL providers offer. */
static PyObject *
md_meth_names(void)
{
    static const char *const names[][2] = {
        {"md5", "MD5"}, {"sha1", "SHA1"}, {"sha224", "SHA224"},
        {"sha256", "SHA256"}, {"sha384", "SHA384"}, {"sha512", "SHA512"},
        {"sha512_224", "SHA512-224"}, {"sha512_256", "SHA512-256"},
        {"sha3_224", "SHA3-224"}, {"sha3_256", "SHA3-256"},
        {"sha3_384", "SHA3-384"}, {"sha3_512", "SHA3-512"},
        {"shake_128", "SHAKE128"}, {"shake_256", "SHAKE256"},
        {"blake2b", "BLAKE2B-512"}, {"blake2s", "BLAKE2S-256"},
        {"sm3", "SM3"}, {"ripemd160", "RIPEMD160"},
        {"md5-sha1", "MD5-SHA1"},
    };
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < Py_ARRAY_LENGTH(names); i++) {
        EVP_MD *md = EVP_MD_fetch(NULL, names[i][1], NULL);
        if (md == NULL) {
            continue;
        }
        EVP_MD_free(md);
        PyObject *s = PyUnicode_FromString(names[i][0]);
        if (s == NULL || PyList_Append(list, s) < 0) {
            Py_XDECREF(s);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(s);
    }
    ERR_clear_error();
    PyObject *res = PyFrozenSet_New(list);
    Py_DECREF(list);
    return res;
}

#define NAMED_ENTRY(NAME)                                                 \
    {"openssl_" #NAME, (PyCFunction)(void (*)(void))hashlib_openssl_##NAME, \
     METH_VARARGS | METH_KEYWORDS,                                        \
     "Returns a " #NAME " hash object; optionally initialized with a "     \
     "string"}

static PyMethodDef hashlib_methods[] = {
    {"new", (PyCFunction)(void (*)(void))hashlib_new,
     METH_VARARGS | METH_KEYWORDS,
     "Return a new hash object using the named algorithm."},
    NAMED_ENTRY(md5),
    NAMED_ENTRY(sha1),
    NAMED_ENTRY(sha224),
    NAMED_ENTRY(sha256),
    NAMED_ENTRY(sha384),
    NAMED_ENTRY(sha512),
    NAMED_ENTRY(sha3_224),
    NAMED_ENTRY(sha3_256),
    NAMED_ENTRY(sha3_384),
    NAMED_ENTRY(sha3_512),
    NAMED_ENTRY(shake_128),
    NAMED_ENTRY(shake_256),
    {"hmac_new", (PyCFunction)(void (*)(void))hashlib_hmac_new,
     METH_VARARGS | METH_KEYWORDS, "Return a new hmac object."},
    {"hmac_digest", (PyCFunction)(void (*)(void))hashlib_hmac_digest,
     METH_VARARGS | METH_KEYWORDS, "Single-shot HMAC."},
    {"pbkdf2_hmac", (PyCFunction)(void (*)(void))hashlib_pbkdf2_hmac,
     METH_VARARGS | METH_KEYWORDS,
     "Password based key derivation function 2 (PKCS #5 v2.0) with HMAC as "
     "pseudorandom function."},
    {"scrypt", (PyCFunction)(void (*)(void))hashlib_scrypt,
     METH_VARARGS | METH_KEYWORDS,
     "scrypt password-based key derivation function."},
    {"compare_digest", (PyCFunction)(void (*)(void))hashlib_compare_digest,
     METH_VARARGS | METH_KEYWORDS,
     "Return 'a == b'.\n\nThis function uses an approach designed to prevent"
     "\ntiming analysis, making it appropriate for cryptography."},
    {"get_fips_mode", hashlib_get_fips_mode, METH_NOARGS,
     "Determine the OpenSSL FIPS mode of operation."},
    {NULL, NULL, 0, NULL},
};

/* m_free: drops the state's references. */
static void
hashlib_free(void *module)
{
    hashlib_state *st = get_state((PyObject *)module);
    if (st == NULL) {
        return;
    }
    Py_CLEAR(st->hash_type);
    Py_CLEAR(st->hashxof_type);
    Py_CLEAR(st->hmac_type);
    Py_CLEAR(st->unsupported);
    Py_CLEAR(st->constructors);
}

static PyModuleDef hashlib_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_hashlib",
    .m_doc = "OpenSSL interface for hashlib module",
    .m_size = sizeof(hashlib_state),
    .m_methods = hashlib_methods,
    .m_free = hashlib_free,
};

/* Fills _constructors: each openssl_NAME function of the module maps to
   NAME.  0, or -1 with an exception. */
static int
fill_constructors(PyObject *m, PyObject *dict)
{
    for (PyMethodDef *d = hashlib_methods; d->ml_name != NULL; d++) {
        if (strncmp(d->ml_name, "openssl_", 8) != 0) {
            continue;
        }
        PyObject *func = PyObject_GetAttrString(m, d->ml_name);
        if (func == NULL) {
            return -1;
        }
        PyObject *name = PyUnicode_FromString(d->ml_name + 8);
        int rc = name ? PyDict_SetItem(dict, func, name) : -1;
        Py_XDECREF(name);
        Py_DECREF(func);
        if (rc < 0) {
            return -1;
        }
    }
    return 0;
}

/* Module init: creates the types, the exception and the name tables.  New
   reference to the module. */
PyMODINIT_FUNC
PyInit__hashlib(void)
{
    PyObject *m = PyModule_Create(&hashlib_module);
    if (m == NULL) {
        return NULL;
    }
    hashlib_state *st = get_state(m);
    st->hash_type = _PyHashEVP_MakeType(
        "_hashlib.HASH", _PyHashEVP_HASHREPR | _PyHashEVP_BASETYPE, NULL);
    if (st->hash_type == NULL) {
        goto error;
    }
    st->hashxof_type = _PyHashEVP_MakeType(
        "_hashlib.HASHXOF", _PyHashEVP_HASHREPR | _PyHashEVP_XOF,
        st->hash_type);
    st->hmac_type = (PyTypeObject *)PyType_FromSpec(&hmac_spec);
    st->unsupported = PyErr_NewException("_hashlib.UnsupportedDigestmodError",
                                         PyExc_ValueError, NULL);
    st->constructors = PyDict_New();
    if (st->hashxof_type == NULL || st->hmac_type == NULL ||
        st->unsupported == NULL || st->constructors == NULL ||
        fill_constructors(m, st->constructors) < 0) {
        goto error;
    }
    PyObject *names = md_meth_names();
    if (names == NULL ||
        PyModule_AddObject(m, "openssl_md_meth_names", names) < 0) {
        Py_XDECREF(names);
        goto error;
    }
    if (PyModule_AddObjectRef(m, "HASH", (PyObject *)st->hash_type) < 0 ||
        PyModule_AddObjectRef(m, "HASHXOF",
                              (PyObject *)st->hashxof_type) < 0 ||
        PyModule_AddObjectRef(m, "HMAC", (PyObject *)st->hmac_type) < 0 ||
        PyModule_AddObjectRef(m, "UnsupportedDigestmodError",
                              st->unsupported) < 0 ||
        PyModule_AddObjectRef(m, "_constructors", st->constructors) < 0) {
        goto error;
    }
    return m;

error:
    Py_DECREF(m);
    return NULL;
}

#endif /* HAVE_LIBCRYPTO */
