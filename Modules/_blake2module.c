/* The _blake2 module: blake2b and blake2s with every parameter of Python
 * 3.11 (digest_size, key, salt, person and the tree-hashing parameters
 * fanout, depth, leaf_size, node_offset, node_depth, inner_size,
 * last_node), which hashlib uses for its blake2b/blake2s constructors.
 *
 * Design decision: OpenSSL's EVP interface does not expose salt,
 * personalization or the tree parameters, so unlike the other hash
 * modules (which use libcrypto, see hashlib_evp.h) BLAKE2 is computed by
 * Plait's own implementation of RFC 7693 in Modules/blake2_impl.c.
 *
 * Thread safety: a blake2 object is shared mutable state.  Its state is
 * guarded by the object's own PyMutex `mutex` (not a critical section:
 * updates of 2048 bytes or more run with the thread detached while holding
 * it, and a critical section would be released on detach; the thread
 * detaches before it waits for the mutex).  update() holds the mutex for
 * the whole absorption, so concurrent updates are serialised; digest(),
 * hexdigest() and copy() hold it only to copy the state and finish the
 * copy unlocked.  `is_b` is immutable after creation.  The types are
 * created at import; the module has no other state. */
#include "Python.h"
#include "blake2_impl.h"
#include <string.h>

/* Updates of at least this many bytes run with the thread detached. */
#define BLAKE2_GIL_MINSIZE 2048

typedef struct {
    PyObject_HEAD
    PyMutex mutex;          /* guards the union; see above */
    int is_b;               /* 1: BLAKE2b, 0: BLAKE2s (immutable) */
    union {
        _PyBlake2bState b;
        _PyBlake2sState s;
    } u;
} Blake2Object;

/* Fills view with the bytes of obj; -1 with the 3.11 TypeError on
   failure. */
static int
blake2_get_buffer(PyObject *obj, Py_buffer *view)
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

/* Absorbs len bytes under the object's mutex (detached for large
   inputs). */
static void
blake2_absorb(Blake2Object *self, const void *buf, Py_ssize_t len)
{
    if (len >= BLAKE2_GIL_MINSIZE) {
        Py_BEGIN_ALLOW_THREADS
        PyMutex_Lock(&self->mutex);
        if (self->is_b) {
            _PyBlake2b_Update(&self->u.b, buf, (size_t)len);
        }
        else {
            _PyBlake2s_Update(&self->u.s, buf, (size_t)len);
        }
        PyMutex_Unlock(&self->mutex);
        Py_END_ALLOW_THREADS
    }
    else {
        PyMutex_Lock(&self->mutex);
        if (self->is_b) {
            _PyBlake2b_Update(&self->u.b, buf, (size_t)len);
        }
        else {
            _PyBlake2s_Update(&self->u.s, buf, (size_t)len);
        }
        PyMutex_Unlock(&self->mutex);
    }
}

/* Hashes the buffer of obj (borrowed).  0, or -1 with an exception. */
static int
blake2_update_object(Blake2Object *self, PyObject *obj)
{
    Py_buffer view;
    if (blake2_get_buffer(obj, &view) < 0) {
        return -1;
    }
    blake2_absorb(self, view.buf, view.len);
    PyBuffer_Release(&view);
    return 0;
}

/* Converts obj (borrowed) to an int in [lo, hi]; otherwise ValueError
   `msg`.  0 or -1. */
static int
int_param(PyObject *obj, long lo, long hi, const char *msg, int *out)
{
    Py_ssize_t v = PyNumber_AsSsize_t(obj, PyExc_OverflowError);
    if (v == -1 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PyErr_Clear();
            PyErr_SetString(PyExc_ValueError, msg);
        }
        return -1;
    }
    if (v < lo || v > hi) {
        PyErr_SetString(PyExc_ValueError, msg);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Converts obj (borrowed) to an unsigned 64-bit value: ValueError "value
   must be positive" when negative, OverflowError "int too big to convert"
   above 2**64-1.  0 or -1. */
static int
u64_param(PyObject *obj, uint64_t *out)
{
    PyObject *idx = PyNumber_Index(obj);
    if (idx == NULL) {
        return -1;
    }
    PyObject *zero = PyLong_FromLong(0);
    int neg = zero ? PyObject_RichCompareBool(idx, zero, Py_LT) : -1;
    Py_XDECREF(zero);
    if (neg != 0) {
        Py_DECREF(idx);
        if (neg > 0) {
            PyErr_SetString(PyExc_ValueError, "value must be positive");
        }
        return -1;
    }
    unsigned long long v = PyLong_AsUnsignedLongLong(idx);
    Py_DECREF(idx);
    if (v == (unsigned long long)-1 && PyErr_Occurred()) {
        PyErr_SetString(PyExc_OverflowError, "int too big to convert");
        return -1;
    }
    *out = v;
    return 0;
}

/* Copies a bytes-like parameter (salt/person/key) into dst (zero-padded
   to max bytes), or ValueError "maximum NAME length is MAX bytes".  *len
   receives the length.  0 or -1. */
static int
bytes_param(Py_buffer *view, const char *name, size_t max, uint8_t *dst,
            size_t *len)
{
    if (view->obj == NULL && view->buf == NULL) {
        *len = 0;
        return 0;
    }
    if ((size_t)view->len > max) {
        PyErr_Format(PyExc_ValueError, "maximum %s length is %zu bytes",
                     name, max);
        return -1;
    }
    memcpy(dst, view->buf, (size_t)view->len);
    *len = (size_t)view->len;
    return 0;
}

/* Parsed keyword parameters, before validation. */
typedef struct {
    PyObject *data, *digest_size, *fanout, *depth, *leaf_size;
    PyObject *node_offset, *node_depth, *inner_size;
    Py_buffer key, salt, person;
    int last_node, usedforsecurity;
} blake2_args;

/* Validates the arguments against BLAKE2b (is_b) or BLAKE2s limits and
   fills P and key.  0, or -1 with 3.11's error. */
static int
blake2_params(blake2_args *a, int is_b, _PyBlake2Params *P, uint8_t *key)
{
    long outbytes = is_b ? _PyBlake2b_OUTBYTES : _PyBlake2s_OUTBYTES;
    size_t keybytes = is_b ? _PyBlake2b_KEYBYTES : _PyBlake2s_KEYBYTES;
    size_t saltbytes = is_b ? _PyBlake2b_SALTBYTES : _PyBlake2s_SALTBYTES;
    size_t personbytes = is_b ? _PyBlake2b_PERSONALBYTES
                              : _PyBlake2s_PERSONALBYTES;
    char msg[80];
    int v;
    size_t len;
    memset(P, 0, sizeof(*P));

    PyOS_snprintf(msg, sizeof(msg), "digest_size must be between 1 and %ld "
                  "bytes", outbytes);
    v = (int)outbytes;
    if (a->digest_size != NULL &&
        int_param(a->digest_size, 1, outbytes, msg, &v) < 0) {
        return -1;
    }
    P->digest_size = (uint8_t)v;
    if (bytes_param(&a->salt, "salt", saltbytes, P->salt, &len) < 0 ||
        bytes_param(&a->person, "person", personbytes, P->person,
                    &len) < 0) {
        return -1;
    }
    v = 1;
    if (a->fanout != NULL &&
        int_param(a->fanout, 0, 255, "fanout must be between 0 and 255",
                  &v) < 0) {
        return -1;
    }
    P->fanout = (uint8_t)v;
    v = 1;
    if (a->depth != NULL &&
        int_param(a->depth, 1, 255, "depth must be between 1 and 255",
                  &v) < 0) {
        return -1;
    }
    P->depth = (uint8_t)v;
    uint64_t u = 0;
    if (a->leaf_size != NULL && u64_param(a->leaf_size, &u) < 0) {
        return -1;
    }
    if (u > 0xFFFFFFFFULL) {
        PyErr_SetString(PyExc_OverflowError, "leaf_size is too large");
        return -1;
    }
    P->leaf_size = (uint32_t)u;
    u = 0;
    if (a->node_offset != NULL && u64_param(a->node_offset, &u) < 0) {
        return -1;
    }
    if (!is_b && u > 0xFFFFFFFFFFFFULL) {
        PyErr_SetString(PyExc_OverflowError, "node_offset is too large");
        return -1;
    }
    P->node_offset = u;
    v = 0;
    if (a->node_depth != NULL &&
        int_param(a->node_depth, 0, 255,
                  "node_depth must be between 0 and 255", &v) < 0) {
        return -1;
    }
    P->node_depth = (uint8_t)v;
    PyOS_snprintf(msg, sizeof(msg), "inner_size must be between 0 and is "
                  "%ld", outbytes);
    v = 0;
    if (a->inner_size != NULL &&
        int_param(a->inner_size, 0, outbytes, msg, &v) < 0) {
        return -1;
    }
    P->inner_size = (uint8_t)v;
    if (bytes_param(&a->key, "key", keybytes, key, &len) < 0) {
        return -1;
    }
    P->key_size = (uint8_t)len;
    P->last_node = a->last_node;
    return 0;
}

/* tp_new of blake2b/blake2s: TYPE(data=b'', /, *, digest_size=MAX,
   key=b'', salt=b'', person=b'', fanout=1, depth=1, leaf_size=0,
   node_offset=0, node_depth=0, inner_size=0, last_node=False,
   usedforsecurity=True).  New reference. */
static PyObject *
blake2_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"", "digest_size", "key", "salt", "person",
                             "fanout", "depth", "leaf_size", "node_offset",
                             "node_depth", "inner_size", "last_node",
                             "usedforsecurity", NULL};
    int is_b = strcmp(type->tp_name, "_blake2.blake2b") == 0;
    blake2_args a;
    memset(&a, 0, sizeof(a));
    a.usedforsecurity = 1;
    if (!PyArg_ParseTupleAndKeywords(
            args, kwargs,
            is_b ? "|O$Oy*y*y*OOOOOOpp:blake2b" : "|O$Oy*y*y*OOOOOOpp:blake2s",
            kwlist, &a.data, &a.digest_size, &a.key, &a.salt, &a.person,
            &a.fanout, &a.depth, &a.leaf_size, &a.node_offset, &a.node_depth,
            &a.inner_size, &a.last_node, &a.usedforsecurity)) {
        return NULL;
    }
    PyObject *res = NULL;
    _PyBlake2Params P;
    uint8_t key[_PyBlake2b_KEYBYTES];
    Py_buffer data = {0};
    int have_data = 0;
    if (blake2_params(&a, is_b, &P, key) < 0) {
        goto done;
    }
    if (a.data != NULL) {
        if (blake2_get_buffer(a.data, &data) < 0) {
            goto done;
        }
        have_data = 1;
    }
    Blake2Object *self = (Blake2Object *)type->tp_alloc(type, 0);
    if (self == NULL) {
        goto done;
    }
    self->is_b = is_b;
    if (is_b) {
        _PyBlake2b_Init(&self->u.b, &P, key);
    }
    else {
        _PyBlake2s_Init(&self->u.s, &P, key);
    }
    if (have_data) {
        blake2_absorb(self, data.buf, data.len);
    }
    res = (PyObject *)self;
done:
    memset(key, 0, sizeof(key));
    if (have_data) {
        PyBuffer_Release(&data);
    }
    if (a.key.obj != NULL) {
        PyBuffer_Release(&a.key);
    }
    if (a.salt.obj != NULL) {
        PyBuffer_Release(&a.salt);
    }
    if (a.person.obj != NULL) {
        PyBuffer_Release(&a.person);
    }
    return res;
}

/* tp_dealloc: wipes the state (it may derive from a key), frees the
   memory and drops the reference to the heap type. */
static void
blake2_dealloc(PyObject *op)
{
    Blake2Object *self = (Blake2Object *)op;
    PyTypeObject *tp = Py_TYPE(op);
    memset(&self->u, 0, sizeof(self->u));
    tp->tp_free(op);
    Py_DECREF(tp);
}

/* update(data): Returns None (new reference). */
static PyObject *
blake2_update(PyObject *op, PyObject *data)
{
    if (blake2_update_object((Blake2Object *)op, data) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* copy(): a new object with a copy of the state (new reference). */
static PyObject *
blake2_copy(PyObject *op, PyObject *unused)
{
    Blake2Object *self = (Blake2Object *)op;
    PyTypeObject *tp = Py_TYPE(op);
    Blake2Object *res = (Blake2Object *)tp->tp_alloc(tp, 0);
    if (res == NULL) {
        return NULL;
    }
    res->is_b = self->is_b;
    PyMutex_Lock(&self->mutex);
    res->u = self->u;
    PyMutex_Unlock(&self->mutex);
    return (PyObject *)res;
}

/* Finishes a copy of the state into out; returns the digest length. */
static size_t
blake2_final(Blake2Object *self, uint8_t *out)
{
    Blake2Object tmp;
    PyMutex_Lock(&self->mutex);
    tmp.u = self->u;
    PyMutex_Unlock(&self->mutex);
    size_t n;
    if (self->is_b) {
        n = tmp.u.b.outlen;
        _PyBlake2b_Final(&tmp.u.b, out);
    }
    else {
        n = tmp.u.s.outlen;
        _PyBlake2s_Final(&tmp.u.s, out);
    }
    memset(&tmp.u, 0, sizeof(tmp.u));
    return n;
}

/* digest(): bytes (new reference). */
static PyObject *
blake2_digest(PyObject *op, PyObject *unused)
{
    uint8_t out[_PyBlake2b_OUTBYTES];
    size_t n = blake2_final((Blake2Object *)op, out);
    return PyBytes_FromStringAndSize((const char *)out, (Py_ssize_t)n);
}

/* hexdigest(): str (new reference). */
static PyObject *
blake2_hexdigest(PyObject *op, PyObject *unused)
{
    static const char digits[] = "0123456789abcdef";
    uint8_t out[_PyBlake2b_OUTBYTES];
    char hex[2 * _PyBlake2b_OUTBYTES];
    size_t n = blake2_final((Blake2Object *)op, out);
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[out[i] >> 4];
        hex[2 * i + 1] = digits[out[i] & 0xf];
    }
    return PyUnicode_FromStringAndSize(hex, (Py_ssize_t)(2 * n));
}

/* name getter (new reference). */
static PyObject *
blake2_get_name(PyObject *op, void *closure)
{
    return PyUnicode_FromString(((Blake2Object *)op)->is_b ? "blake2b"
                                                           : "blake2s");
}

/* digest_size getter (new reference); outlen is immutable. */
static PyObject *
blake2_get_digest_size(PyObject *op, void *closure)
{
    Blake2Object *self = (Blake2Object *)op;
    return PyLong_FromLong(self->is_b ? self->u.b.outlen : self->u.s.outlen);
}

/* block_size getter (new reference). */
static PyObject *
blake2_get_block_size(PyObject *op, void *closure)
{
    return PyLong_FromLong(((Blake2Object *)op)->is_b
                           ? _PyBlake2b_BLOCKBYTES : _PyBlake2s_BLOCKBYTES);
}

static PyMethodDef blake2_methods[] = {
    {"update", blake2_update, METH_O, "Update this hash object's state."},
    {"digest", blake2_digest, METH_NOARGS,
     "Return the digest value as a bytes object."},
    {"hexdigest", blake2_hexdigest, METH_NOARGS,
     "Return the digest value as a string of hexadecimal digits."},
    {"copy", blake2_copy, METH_NOARGS, "Return a copy of the hash object."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef blake2_getset[] = {
    {"name", blake2_get_name, NULL, NULL, NULL},
    {"digest_size", blake2_get_digest_size, NULL, NULL, NULL},
    {"block_size", blake2_get_block_size, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot blake2_slots[] = {
    {Py_tp_dealloc, blake2_dealloc},
    {Py_tp_new, blake2_new},
    {Py_tp_methods, blake2_methods},
    {Py_tp_getset, blake2_getset},
    {0, NULL},
};

/* Creates the type `name` with its SALT_SIZE, PERSON_SIZE, MAX_KEY_SIZE
   and MAX_DIGEST_SIZE class attributes, and adds it and the module-level
   PREFIX_* constants to m.  0, or -1 with an exception. */
static int
add_blake2_type(PyObject *m, const char *name, const char *prefix,
                long salt, long person, long maxkey, long maxdigest)
{
    PyType_Spec spec = {
        .name = name,
        .basicsize = (int)sizeof(Blake2Object),
        .itemsize = 0,
        .flags = Py_TPFLAGS_DEFAULT,
        .slots = blake2_slots,
    };
    PyObject *tp = PyType_FromSpec(&spec);
    if (tp == NULL) {
        return -1;
    }
    const char *attrs[] = {"SALT_SIZE", "PERSON_SIZE", "MAX_KEY_SIZE",
                           "MAX_DIGEST_SIZE"};
    long values[] = {salt, person, maxkey, maxdigest};
    for (int i = 0; i < 4; i++) {
        char modattr[64];
        PyObject *v = PyLong_FromLong(values[i]);
        if (v == NULL || PyObject_SetAttrString(tp, attrs[i], v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(tp);
            return -1;
        }
        Py_DECREF(v);
        PyOS_snprintf(modattr, sizeof(modattr), "%s_%s", prefix, attrs[i]);
        if (PyModule_AddIntConstant(m, modattr, values[i]) < 0) {
            Py_DECREF(tp);
            return -1;
        }
    }
    /* Frozen only now, so that the class attributes could be set; the type
       is not yet visible to any other thread. */
    ((PyTypeObject *)tp)->tp_flags |= Py_TPFLAGS_IMMUTABLETYPE;
    PyType_Modified((PyTypeObject *)tp);
    const char *dot = strrchr(name, '.');
    int rc = PyModule_AddObjectRef(m, dot + 1, tp);
    Py_DECREF(tp);
    return rc;
}

static PyModuleDef blake2_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_blake2",
    .m_doc = "_blake2b provides BLAKE2b for hashlib\n",
    .m_size = 0,
};

/* Module init (new reference). */
PyMODINIT_FUNC
PyInit__blake2(void)
{
    PyObject *m = PyModule_Create(&blake2_module);
    if (m == NULL) {
        return NULL;
    }
    if (add_blake2_type(m, "_blake2.blake2b", "BLAKE2B",
                        _PyBlake2b_SALTBYTES, _PyBlake2b_PERSONALBYTES,
                        _PyBlake2b_KEYBYTES, _PyBlake2b_OUTBYTES) < 0 ||
        add_blake2_type(m, "_blake2.blake2s", "BLAKE2S",
                        _PyBlake2s_SALTBYTES, _PyBlake2s_PERSONALBYTES,
                        _PyBlake2s_KEYBYTES, _PyBlake2s_OUTBYTES) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
