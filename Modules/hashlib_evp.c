/* hashlib_evp.c: the OpenSSL-backed digest object shared by _hashlib,
 * _md5, _sha1, _sha256, _sha512 and _sha3.  See hashlib_evp.h for the
 * design (system libcrypto) and the locking rules (per-object PyMutex). */
#include "Python.h"
#include "structmember.h"
#include "hashlib_evp.h"

#ifdef HAVE_LIBCRYPTO
#include <openssl/err.h>
#include <string.h>

/* ---------------------------------------------------------------- names */

/* Python names and the OpenSSL names they stand for. */
typedef struct {
    const char *pyname;
    const char *sslname;
} evp_name;

static const evp_name evp_names[] = {
    {"md5", "md5"},
    {"sha1", "sha1"},
    {"sha224", "sha224"},
    {"sha256", "sha256"},
    {"sha384", "sha384"},
    {"sha512", "sha512"},
    {"sha512_224", "sha512-224"},
    {"sha512_256", "sha512-256"},
    {"sha3_224", "sha3-224"},
    {"sha3_256", "sha3-256"},
    {"sha3_384", "sha3-384"},
    {"sha3_512", "sha3-512"},
    {"shake_128", "shake128"},
    {"shake_256", "shake256"},
    {"blake2b", "blake2b512"},
    {"blake2s", "blake2s256"},
    {"sm3", "sm3"},
    {"ripemd160", "ripemd160"},
    {"md5-sha1", "md5-sha1"},
    {NULL, NULL},
};

/* Maps an EVP_MD back to its Python name (the OpenSSL short name when it
   has none). */
static const char *
evp_pyname(const EVP_MD *md)
{
    int nid = EVP_MD_get_type(md);
    for (const evp_name *p = evp_names; p->pyname != NULL; p++) {
        const EVP_MD *cand = EVP_get_digestbyname(p->sslname);
        if (cand != NULL && EVP_MD_get_type(cand) == nid) {
            return p->pyname;
        }
    }
    return EVP_MD_get0_name(md);
}

/* See hashlib_evp.h. */
const EVP_MD *
_PyHashEVP_Lookup(const char *name, const char **pyname)
{
    const EVP_MD *md = NULL;
    for (const evp_name *p = evp_names; p->pyname != NULL; p++) {
        if (strcmp(p->pyname, name) == 0) {
            md = EVP_get_digestbyname(p->sslname);
            *pyname = p->pyname;
            break;
        }
    }
    if (md == NULL) {
        /* An OpenSSL spelling ("SHA256", "sha3-256"): map it back. */
        md = EVP_get_digestbyname(name);
        if (md != NULL) {
            *pyname = evp_pyname(md);
        }
    }
    if (md == NULL) {
        PyErr_SetString(PyExc_ValueError,
                        "[digital envelope routines] unsupported");
        return NULL;
    }
    return md;
}

/* See hashlib_evp.h.  Always returns NULL. */
PyObject *
_PyHashEVP_SetError(PyObject *exc_type, const char *fallback)
{
    unsigned long e = ERR_peek_last_error();
    ERR_clear_error();
    const char *lib = e ? ERR_lib_error_string(e) : NULL;
    const char *reason = e ? ERR_reason_error_string(e) : NULL;
    if (lib != NULL && reason != NULL) {
        PyErr_Format(exc_type, "[%s] %s", lib, reason);
    }
    else if (reason != NULL) {
        PyErr_SetString(exc_type, reason);
    }
    else {
        PyErr_SetString(exc_type, fallback);
    }
    return NULL;
}

/* See hashlib_evp.h. */
PyObject *
_PyHashEVP_Hex(const unsigned char *bytes, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char stackbuf[128];
    char *buf = stackbuf;
    if (n * 2 > sizeof(stackbuf)) {
        buf = PyMem_Malloc(n * 2);
        if (buf == NULL) {
            return PyErr_NoMemory();
        }
    }
    for (size_t i = 0; i < n; i++) {
        buf[2 * i] = digits[bytes[i] >> 4];
        buf[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    PyObject *res = PyUnicode_FromStringAndSize(buf, (Py_ssize_t)(n * 2));
    if (buf != stackbuf) {
        PyMem_Free(buf);
    }
    return res;
}

/* See hashlib_evp.h. */
int
_PyHashEVP_GetBuffer(PyObject *obj, Py_buffer *view)
{
    if (PyUnicode_Check(obj)) {
        PyErr_SetString(PyExc_TypeError,
                        "Strings must be encoded before hashing");
        return -1;
    }
    if (!PyObject_CheckBuffer(obj)) {
        PyErr_SetString(PyExc_TypeError,
                        "object supporting the buffer API required");
        return -1;
    }
    return PyObject_GetBuffer(obj, view, PyBUF_SIMPLE);
}

/* ---------------------------------------------------------------- object */

/* Feeds len bytes to the context under the object's mutex.  Large inputs
   are hashed with the thread detached: the thread detaches first and then
   waits for the mutex, so it never waits for a lock while attached with the
   world stopped.  0, or -1 with an exception. */
static int
evp_update_bytes(_PyHashEVPObject *self, const void *buf, Py_ssize_t len)
{
    int ok;
    if (len >= _PyHashEVP_GIL_MINSIZE) {
        Py_BEGIN_ALLOW_THREADS
        PyMutex_Lock(&self->mutex);
        ok = EVP_DigestUpdate(self->ctx, buf, (size_t)len);
        PyMutex_Unlock(&self->mutex);
        Py_END_ALLOW_THREADS
    }
    else {
        PyMutex_Lock(&self->mutex);
        ok = EVP_DigestUpdate(self->ctx, buf, (size_t)len);
        PyMutex_Unlock(&self->mutex);
    }
    if (!ok) {
        _PyHashEVP_SetError(PyExc_ValueError,
                            "[digital envelope routines] update failed");
        return -1;
    }
    return 0;
}

/* Hashes the buffer of obj (borrowed).  0, or -1 with an exception. */
static int
evp_update_object(_PyHashEVPObject *self, PyObject *obj)
{
    Py_buffer view;
    if (_PyHashEVP_GetBuffer(obj, &view) < 0) {
        return -1;
    }
    int res = evp_update_bytes(self, view.buf, view.len);
    PyBuffer_Release(&view);
    return res;
}

/* New reference: an object of type whose context is not yet
   initialised (ctx allocated). */
static _PyHashEVPObject *
evp_alloc(PyTypeObject *type)
{
    /* tp_alloc zeroes the memory (mutex unlocked, ctx NULL) and handles
       Python subclasses of _hashlib.HASH (GC, __dict__). */
    _PyHashEVPObject *self = (_PyHashEVPObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->ctx = EVP_MD_CTX_new();
    if (self->ctx == NULL) {
        Py_DECREF(self);
        PyErr_NoMemory();
        return NULL;
    }
    return self;
}

/* See hashlib_evp.h. */
PyObject *
_PyHashEVP_New(PyTypeObject *type, const EVP_MD *md, const char *pyname,
               PyObject *data)
{
    Py_buffer view = {0};
    if (data != NULL && _PyHashEVP_GetBuffer(data, &view) < 0) {
        return NULL;
    }
    _PyHashEVPObject *self = evp_alloc(type);
    if (self == NULL) {
        goto error;
    }
    self->name = pyname;
    if (!EVP_DigestInit_ex(self->ctx, md, NULL)) {
        _PyHashEVP_SetError(PyExc_ValueError,
                            "[digital envelope routines] unsupported");
        goto error;
    }
    if (data != NULL) {
        if (evp_update_bytes(self, view.buf, view.len) < 0) {
            goto error;
        }
        PyBuffer_Release(&view);
    }
    return (PyObject *)self;

error:
    if (data != NULL) {
        PyBuffer_Release(&view);
    }
    Py_XDECREF(self);
    return NULL;
}

/* tp_dealloc: frees the context and the memory.  For an instance of one of
   our types it also drops the instance's reference to the heap type; for a
   Python subclass, _PyType_SubtypeDealloc (our caller) does that. */
static void
evp_dealloc(PyObject *op)
{
    _PyHashEVPObject *self = (_PyHashEVPObject *)op;
    PyTypeObject *tp = Py_TYPE(op);
    if (self->ctx != NULL) {
        EVP_MD_CTX_free(self->ctx);
        self->ctx = NULL;
    }
    int own = tp->tp_dealloc == evp_dealloc;
    tp->tp_free(op);
    if (own) {
        Py_DECREF(tp);
    }
}

/* Copies the context of self into dst under self's mutex.  0, or -1 with
   an exception. */
static int
evp_copy_ctx(_PyHashEVPObject *self, EVP_MD_CTX *dst)
{
    PyMutex_Lock(&self->mutex);
    int ok = EVP_MD_CTX_copy_ex(dst, self->ctx);
    PyMutex_Unlock(&self->mutex);
    if (!ok) {
        _PyHashEVP_SetError(PyExc_ValueError,
                            "[digital envelope routines] copy failed");
        return -1;
    }
    return 0;
}

/* update(data): feeds more data.  Returns None (new reference). */
static PyObject *
evp_update(PyObject *op, PyObject *data)
{
    if (evp_update_object((_PyHashEVPObject *)op, data) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* copy(): a new object (new reference) with a copy of the state. */
static PyObject *
evp_copy(PyObject *op, PyObject *unused)
{
    _PyHashEVPObject *self = (_PyHashEVPObject *)op;
    _PyHashEVPObject *res = evp_alloc(Py_TYPE(op));
    if (res == NULL) {
        return NULL;
    }
    res->name = self->name;
    if (evp_copy_ctx(self, res->ctx) < 0) {
        Py_DECREF(res);
        return NULL;
    }
    return (PyObject *)res;
}

/* Finishes a copy of the state into out (length bytes for an XOF, else the
   digest size, returned in *outlen).  0, or -1 with an exception. */
static int
evp_final(_PyHashEVPObject *self, unsigned char *out, size_t length,
          unsigned int *outlen)
{
    EVP_MD_CTX *tmp = EVP_MD_CTX_new();
    if (tmp == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (evp_copy_ctx(self, tmp) < 0) {
        EVP_MD_CTX_free(tmp);
        return -1;
    }
    int ok;
    if (length > 0) {
        ok = EVP_DigestFinalXOF(tmp, out, length);
        *outlen = (unsigned int)length;
    }
    else {
        ok = EVP_DigestFinal_ex(tmp, out, outlen);
    }
    EVP_MD_CTX_free(tmp);
    if (!ok) {
        _PyHashEVP_SetError(PyExc_ValueError,
                            "[digital envelope routines] final failed");
        return -1;
    }
    return 0;
}

/* New reference: the fixed-size digest as bytes (hex=0) or str (hex=1). */
static PyObject *
evp_digest_fixed(PyObject *op, int hex)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int outlen = 0;
    if (evp_final((_PyHashEVPObject *)op, out, 0, &outlen) < 0) {
        return NULL;
    }
    if (hex) {
        return _PyHashEVP_Hex(out, outlen);
    }
    return PyBytes_FromStringAndSize((const char *)out, outlen);
}

/* digest(): the digest as bytes (new reference). */
static PyObject *
evp_digest(PyObject *op, PyObject *unused)
{
    return evp_digest_fixed(op, 0);
}

/* hexdigest(): the digest as a hex str (new reference). */
static PyObject *
evp_hexdigest(PyObject *op, PyObject *unused)
{
    return evp_digest_fixed(op, 1);
}

/* Parses digest(length) / hexdigest(length) of an XOF.  The argument may
   be positional or keyword "length".  -1 with an exception on failure. */
static Py_ssize_t
xof_parse_length(PyObject *op, const char *meth, PyObject *args,
                 PyObject *kwargs)
{
    static char *kwlist[] = {"length", NULL};
    char fmt[64];
    PyObject *obj;
    PyOS_snprintf(fmt, sizeof(fmt), "O:%s", meth);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist, &obj)) {
        return -1;
    }
    Py_ssize_t length = PyNumber_AsSsize_t(obj, PyExc_OverflowError);
    if (length == -1 && PyErr_Occurred()) {
        return -1;
    }
    return length;
}

/* New reference: `length` bytes of XOF output as bytes or hex str. */
static PyObject *
xof_digest_common(PyObject *op, const char *meth, PyObject *args,
                  PyObject *kwargs, int hex)
{
    Py_ssize_t length = xof_parse_length(op, meth, args, kwargs);
    if (length < 0) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_SystemError,
                            "Negative size passed to "
                            "PyBytes_FromStringAndSize");
        }
        return NULL;
    }
    if (length == 0) {
        return hex ? PyUnicode_FromStringAndSize("", 0)
                   : PyBytes_FromStringAndSize(NULL, 0);
    }
    /* The allocator may hand out huge overcommitted blocks that filling
       would exhaust; refuse absurd lengths up front (CPython's malloc
       fails on them with MemoryError too). */
    if ((uint64_t)length > ((uint64_t)1 << 34)) {
        PyErr_NoMemory();
        return NULL;
    }
    PyObject *bytes = PyBytes_FromStringAndSize(NULL, length);
    if (bytes == NULL) {
        return NULL;
    }
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(bytes);
    unsigned int outlen;
    if (evp_final((_PyHashEVPObject *)op, out, (size_t)length,
                  &outlen) < 0) {
        Py_DECREF(bytes);
        return NULL;
    }
    if (hex) {
        PyObject *res = _PyHashEVP_Hex(out, (size_t)length);
        Py_DECREF(bytes);
        return res;
    }
    return bytes;
}

/* Checks an XOF length given to a _sha3 shake object (3.11's limits).
   Returns the length, or -1 with an exception. */
static Py_ssize_t
sha3xof_length(PyObject *arg)
{
    Py_ssize_t length = PyNumber_AsSsize_t(arg, PyExc_OverflowError);
    if (length == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (length < 0) {
        PyErr_SetString(PyExc_ValueError, "value must be positive");
        return -1;
    }
    if (length >= ((Py_ssize_t)1 << 29)) {
        PyErr_SetString(PyExc_ValueError, "length is too large");
        return -1;
    }
    return length;
}

/* New reference: digest(length) / hexdigest(length) of a _sha3 shake
   object, which take exactly one positional argument. */
static PyObject *
sha3xof_digest_common(PyObject *op, PyObject *arg, int hex)
{
    Py_ssize_t length = sha3xof_length(arg);
    if (length < 0) {
        return NULL;
    }
    PyObject *args = Py_BuildValue("(n)", length);
    if (args == NULL) {
        return NULL;
    }
    PyObject *res = xof_digest_common(op, hex ? "hexdigest" : "digest",
                                      args, NULL, hex);
    Py_DECREF(args);
    return res;
}

/* digest(length) of a _sha3 shake object (new reference). */
static PyObject *
sha3xof_digest(PyObject *op, PyObject *arg)
{
    return sha3xof_digest_common(op, arg, 0);
}

/* hexdigest(length) of a _sha3 shake object (new reference). */
static PyObject *
sha3xof_hexdigest(PyObject *op, PyObject *arg)
{
    return sha3xof_digest_common(op, arg, 1);
}

/* digest(length) of an XOF (new reference). */
static PyObject *
xof_digest(PyObject *op, PyObject *args, PyObject *kwargs)
{
    return xof_digest_common(op, "digest", args, kwargs, 0);
}

/* hexdigest(length) of an XOF (new reference). */
static PyObject *
xof_hexdigest(PyObject *op, PyObject *args, PyObject *kwargs)
{
    return xof_digest_common(op, "hexdigest", args, kwargs, 1);
}

/* The EVP_MD of the object's context (immutable after creation). */
static const EVP_MD *
evp_md(PyObject *op)
{
    return EVP_MD_CTX_get0_md(((_PyHashEVPObject *)op)->ctx);
}

/* name getter (new reference). */
static PyObject *
evp_get_name(PyObject *op, void *closure)
{
    return PyUnicode_FromString(((_PyHashEVPObject *)op)->name);
}

/* digest_size getter (new reference); 0 for an XOF. */
static PyObject *
evp_get_digest_size(PyObject *op, void *closure)
{
    const EVP_MD *md = evp_md(op);
    if (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) {
        return PyLong_FromLong(0);
    }
    return PyLong_FromLong(EVP_MD_get_size(md));
}

/* block_size getter (new reference). */
static PyObject *
evp_get_block_size(PyObject *op, void *closure)
{
    return PyLong_FromLong(EVP_MD_get_block_size(evp_md(op)));
}

/* _capacity_bits of a SHA-3/SHAKE object (new reference). */
static PyObject *
sha3_get_capacity_bits(PyObject *op, void *closure)
{
    return PyLong_FromLong(1600 - EVP_MD_get_block_size(evp_md(op)) * 8);
}

/* _rate_bits of a SHA-3/SHAKE object (new reference). */
static PyObject *
sha3_get_rate_bits(PyObject *op, void *closure)
{
    return PyLong_FromLong(EVP_MD_get_block_size(evp_md(op)) * 8);
}

/* _suffix of a SHA-3/SHAKE object: the domain padding byte (new ref). */
static PyObject *
sha3_get_suffix(PyObject *op, void *closure)
{
    int xof = (EVP_MD_get_flags(evp_md(op)) & EVP_MD_FLAG_XOF) != 0;
    return PyBytes_FromStringAndSize(xof ? "\x1f" : "\x06", 1);
}

/* "<sha256 _hashlib.HASH object @ 0x...>" (new reference). */
static PyObject *
evp_hash_repr(PyObject *op)
{
    return PyUnicode_FromFormat("<%s %s object @ %p>",
                                ((_PyHashEVPObject *)op)->name,
                                Py_TYPE(op)->tp_name, op);
}

/* tp_new of the _sha3 types: TYPE(data=b'', /, *, usedforsecurity=True).
   New reference. */
static PyObject *
sha3_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"", "usedforsecurity", NULL};
    PyObject *data = NULL;
    int usedforsecurity = 1;
    const char *dot = strrchr(type->tp_name, '.');
    const char *tname = dot != NULL ? dot + 1 : type->tp_name;
    char fmt[64];
    PyOS_snprintf(fmt, sizeof(fmt), "|O$p:%s", tname);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist, &data,
                                     &usedforsecurity)) {
        return NULL;
    }
    /* The type's own name is the algorithm's (the types are final). */
    const char *pyname;
    const EVP_MD *md = _PyHashEVP_Lookup(tname, &pyname);
    if (md == NULL) {
        return NULL;
    }
    return _PyHashEVP_New(type, md, pyname, data);
}

static PyMethodDef evp_methods[] = {
    {"update", evp_update, METH_O, "Update this hash object's state."},
    {"digest", evp_digest, METH_NOARGS,
     "Return the digest value as a bytes object."},
    {"hexdigest", evp_hexdigest, METH_NOARGS,
     "Return the digest value as a string of hexadecimal digits."},
    {"copy", evp_copy, METH_NOARGS, "Return a copy of the hash object."},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef xof_methods[] = {
    {"update", evp_update, METH_O, "Update this hash object's state."},
    {"digest", (PyCFunction)(void (*)(void))xof_digest,
     METH_VARARGS | METH_KEYWORDS,
     "Return the digest value as a bytes object."},
    {"hexdigest", (PyCFunction)(void (*)(void))xof_hexdigest,
     METH_VARARGS | METH_KEYWORDS,
     "Return the digest value as a string of hexadecimal digits."},
    {"copy", evp_copy, METH_NOARGS, "Return a copy of the hash object."},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef sha3xof_methods[] = {
    {"update", evp_update, METH_O, "Update this hash object's state."},
    {"digest", sha3xof_digest, METH_O,
     "Return the digest value as a bytes object."},
    {"hexdigest", sha3xof_hexdigest, METH_O,
     "Return the digest value as a string of hexadecimal digits."},
    {"copy", evp_copy, METH_NOARGS, "Return a copy of the hash object."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef evp_getset[] = {
    {"name", evp_get_name, NULL, NULL, NULL},
    {"digest_size", evp_get_digest_size, NULL, NULL, NULL},
    {"block_size", evp_get_block_size, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyGetSetDef sha3_getset[] = {
    {"name", evp_get_name, NULL, NULL, NULL},
    {"digest_size", evp_get_digest_size, NULL, NULL, NULL},
    {"block_size", evp_get_block_size, NULL, NULL, NULL},
    {"_capacity_bits", sha3_get_capacity_bits, NULL, NULL, NULL},
    {"_rate_bits", sha3_get_rate_bits, NULL, NULL, NULL},
    {"_suffix", sha3_get_suffix, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

/* See hashlib_evp.h. */
PyTypeObject *
_PyHashEVP_MakeType(const char *tpname, int flags, PyTypeObject *base)
{
    PyType_Slot slots[8];
    int n = 0;
    slots[n++] = (PyType_Slot){Py_tp_dealloc, evp_dealloc};
    PyMethodDef *methods = evp_methods;
    if (flags & _PyHashEVP_XOF) {
        methods = (flags & _PyHashEVP_SHA3) ? sha3xof_methods : xof_methods;
    }
    slots[n++] = (PyType_Slot){Py_tp_methods, methods};
    slots[n++] = (PyType_Slot){Py_tp_getset,
                               (flags & _PyHashEVP_SHA3) ? sha3_getset
                                                         : evp_getset};
    if (flags & _PyHashEVP_HASHREPR) {
        slots[n++] = (PyType_Slot){Py_tp_repr, evp_hash_repr};
    }
    if (flags & _PyHashEVP_CALLABLE) {
        slots[n++] = (PyType_Slot){Py_tp_new, sha3_tp_new};
    }
    slots[n++] = (PyType_Slot){0, NULL};
    unsigned int tpflags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE;
    if (!(flags & _PyHashEVP_CALLABLE)) {
        tpflags |= Py_TPFLAGS_DISALLOW_INSTANTIATION;
    }
    if (flags & _PyHashEVP_BASETYPE) {
        tpflags |= Py_TPFLAGS_BASETYPE;
    }
    PyType_Spec spec = {
        .name = tpname,
        .basicsize = (int)sizeof(_PyHashEVPObject),
        .itemsize = 0,
        .flags = tpflags,
        .slots = slots,
    };
    if (base == NULL) {
        return (PyTypeObject *)PyType_FromSpec(&spec);
    }
    return (PyTypeObject *)PyType_FromSpecWithBases(&spec,
                                                    (PyObject *)base);
}

#endif /* HAVE_LIBCRYPTO */
