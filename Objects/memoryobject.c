/* memoryview: a view of another object's memory through the buffer
 * protocol.
 *
 * Structure.  memoryview(obj) takes one buffer from obj (PyBUF_FULL_RO)
 * into a managed buffer (_PyManagedBufferObject).  Every view derived from
 * it (slices, casts, toreadonly(), memoryview(m)) shares that managed
 * buffer and registers on it; the exporter's buffer is released when the
 * last registered view is released or dies, so `b = bytearray(); m =
 * memoryview(b); s = m[1:]; m.release()` still keeps b from resizing.
 * Each view owns its own shape/strides/suboffsets arrays and a copy of the
 * format string, so its metadata never points into exporter memory.
 *
 * Thread safety.  A view is immutable except for release() and for the
 * count of buffers it exports itself.  Every operation that touches the
 * memory (item get/set, tolist, tobytes, hex, comparison, hashing, casts
 * and slices, exporting a buffer) runs in a critical section on the view
 * and first checks that the view is not released; release() takes the
 * same critical section.  So a reader never dereferences memory that a
 * concurrent release() gave back: while it holds the section the view is
 * registered, hence the managed buffer still holds the exporter's buffer.
 * Metadata reads (len, shape, format, ndim, ...) check the released flag
 * (atomic) and then read fields that never change, without the lock.  The
 * managed buffer's count of registered views is atomic; the 1 -> 0 step
 * is final because registering a new view needs a live registered one.
 * Conversions that may run Python code (__index__, __float__, __bool__ in
 * item assignment) happen before the section is entered: the value is
 * packed into a scratch buffer and copied in under the lock.  The memory
 * itself may be written by other threads through other views or the
 * exporter; keeping it consistent is the exporter's business (bytearray
 * refuses to resize while buffers are exported). */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_critical_section.h"
#include "pycore_bytesobject.h"
#include "memoryobject.h"

#include <string.h>

#define MV_MAX_NDIM 64

#define MV(op) ((PyMemoryViewObject *)(op))

static const char released_msg[] =
    "operation forbidden on released memoryview object";

/* ------------------------------------------------------ managed buffer */

static void
mbuf_dealloc(PyObject *op)
{
    _PyManagedBufferObject *self = (_PyManagedBufferObject *)op;
    PyObject_GC_UnTrack(op);
    if (!self->released) {
        self->released = 1;
        PyBuffer_Release(&self->master);
    }
    Py_TYPE(op)->tp_free(op);
}

static int
mbuf_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(((_PyManagedBufferObject *)op)->master.obj);
    return 0;
}

/* Gives the exporter's buffer back, once. */
static int
mbuf_clear(PyObject *op)
{
    _PyManagedBufferObject *self = (_PyManagedBufferObject *)op;
    if (_Py_atomic_exchange_int(&self->released, 1) == 0) {
        PyBuffer_Release(&self->master);
    }
    return 0;
}

/* tp_clear: only a buffer no view is registered on is given back here.
   Views in the same cycle are cleared too, and the last one to
   unregister releases the buffer, so the cycle still breaks. */
static int
mbuf_gc_clear(PyObject *op)
{
    if (_Py_atomic_load_ssize(&((_PyManagedBufferObject *)op)->views) == 0) {
        mbuf_clear(op);
    }
    return 0;
}

PyTypeObject _PyManagedBuffer_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "managedbuffer",
    .tp_basicsize = sizeof(_PyManagedBufferObject),
    .tp_dealloc = mbuf_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = mbuf_traverse,
    .tp_clear = mbuf_gc_clear,
    .tp_free = PyObject_GC_Del,
};

/* An empty managed buffer (new reference); the caller fills master. */
static _PyManagedBufferObject *
mbuf_alloc(void)
{
    _PyManagedBufferObject *mbuf =
        PyObject_GC_New(_PyManagedBufferObject, &_PyManagedBuffer_Type);
    if (mbuf == NULL) {
        return NULL;
    }
    memset(&mbuf->master, 0, sizeof(Py_buffer));
    mbuf->views = 0;
    mbuf->released = 0;
    PyObject_GC_Track((PyObject *)mbuf);
    return mbuf;
}

/* One registered view fewer; the last one gives the buffer back. */
static void
mbuf_unregister(_PyManagedBufferObject *mbuf)
{
    if (_Py_atomic_add_ssize(&mbuf->views, -1) == 1) {
        mbuf_clear((PyObject *)mbuf);
    }
}

/* ------------------------------------------------------ formats */

/* The native single-character code of a format ("B", "@i"), or 0. */
static char
native_code(const char *fmt)
{
    if (fmt == NULL) {
        return 'B';
    }
    if (fmt[0] == '@') {
        fmt++;
    }
    if (fmt[0] == '\0' || fmt[1] != '\0') {
        return 0;
    }
    return strchr("bBchHiIlLqQnNfd?P", fmt[0]) != NULL ? fmt[0] : 0;
}

static Py_ssize_t
code_size(char c)
{
    switch (c) {
    case 'b': case 'B': case 'c': case '?': return 1;
    case 'h': case 'H': return 2;
    case 'i': case 'I': case 'f': return 4;
    case 'l': case 'L': return (Py_ssize_t)sizeof(long);
    case 'q': case 'Q': case 'd': return 8;
    case 'n': case 'N': return (Py_ssize_t)sizeof(size_t);
    case 'P': return (Py_ssize_t)sizeof(void *);
    default: return 0;
    }
}

static const char *
view_format(const Py_buffer *view)
{
    return view->format != NULL ? view->format : "B";
}

static PyObject *
unsupported_format(const Py_buffer *view)
{
    PyErr_Format(PyExc_NotImplementedError,
                 "memoryview: format %s not supported", view_format(view));
    return NULL;
}

#define LOAD(T) do { T v_; memcpy(&v_, p, sizeof(T)); x = v_; } while (0)

/* The item at p as a Python object (new reference). */
static PyObject *
unpack_item(char code, const char *p)
{
    long long x;
    unsigned long long ux;
    switch (code) {
    case 'b': return PyLong_FromLong(*(const signed char *)p);
    case 'B': return PyLong_FromLong(*(const unsigned char *)p);
    case 'c': return PyBytes_FromStringAndSize(p, 1);
    case '?': return PyBool_FromLong(*(const unsigned char *)p != 0);
    case 'h': LOAD(short); return PyLong_FromLongLong(x);
    case 'i': LOAD(int); return PyLong_FromLongLong(x);
    case 'l': LOAD(long); return PyLong_FromLongLong(x);
    case 'q': LOAD(long long); return PyLong_FromLongLong(x);
    case 'n': LOAD(Py_ssize_t); return PyLong_FromLongLong(x);
    case 'H': { unsigned short v; memcpy(&v, p, sizeof(v)); ux = v; break; }
    case 'I': { unsigned int v; memcpy(&v, p, sizeof(v)); ux = v; break; }
    case 'L': { unsigned long v; memcpy(&v, p, sizeof(v)); ux = v; break; }
    case 'Q': { unsigned long long v; memcpy(&v, p, sizeof(v)); ux = v;
                break; }
    case 'N': { size_t v; memcpy(&v, p, sizeof(v)); ux = v; break; }
    case 'P': {
        void *v;
        memcpy(&v, p, sizeof(v));
        return PyLong_FromVoidPtr(v);
    }
    case 'f': {
        float v;
        memcpy(&v, p, sizeof(v));
        return PyFloat_FromDouble(v);
    }
    case 'd': {
        double v;
        memcpy(&v, p, sizeof(v));
        return PyFloat_FromDouble(v);
    }
    default:
        PyErr_SetString(PyExc_SystemError, "memoryview: bad format code");
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(ux);
}

#undef LOAD

static int
invalid_value(char code)
{
    PyErr_Format(PyExc_ValueError,
                 "memoryview: invalid value for format '%c'", code);
    return -1;
}

static int
invalid_type(char code)
{
    PyErr_Format(PyExc_TypeError,
                 "memoryview: invalid type for format '%c'", code);
    return -1;
}

/* An integer item value through __index__: 0 with *sval (and *uval, *neg)
   when it fits a long long, 1 with only *uval when it needs an unsigned
   long long, or -1 with the 3.11 memoryview error. */
static int
integer_value(char code, PyObject *v, long long *sval,
              unsigned long long *uval, int *neg)
{
    PyObject *idx = PyNumber_Index(v);
    if (idx == NULL) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            return invalid_type(code);
        }
        return -1;
    }
    int overflow;
    long long s = PyLong_AsLongLongAndOverflow(idx, &overflow);
    if (s == -1 && PyErr_Occurred()) {
        Py_DECREF(idx);
        return -1;
    }
    if (overflow < 0) {
        Py_DECREF(idx);
        return invalid_value(code);
    }
    if (overflow > 0) {
        unsigned long long u = PyLong_AsUnsignedLongLong(idx);
        Py_DECREF(idx);
        if (u == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            return invalid_value(code);
        }
        *neg = 0;
        *uval = u;
        *sval = 0;
        return 1;       /* only fits an unsigned 64-bit */
    }
    Py_DECREF(idx);
    *neg = s < 0;
    *sval = s;
    *uval = (unsigned long long)s;
    return 0;
}

#define STORE(T, val) do { T v_ = (T)(val); memcpy(p, &v_, sizeof(T)); } \
                      while (0)

/* The range of a signed integer code; 0 for unsigned codes. */
static int
signed_range(char code, long long *lo, long long *hi)
{
    switch (code) {
    case 'b': *lo = SCHAR_MIN; *hi = SCHAR_MAX; return 1;
    case 'h': *lo = SHRT_MIN; *hi = SHRT_MAX; return 1;
    case 'i': *lo = INT_MIN; *hi = INT_MAX; return 1;
    case 'l': *lo = LONG_MIN; *hi = LONG_MAX; return 1;
    case 'q': *lo = LLONG_MIN; *hi = LLONG_MAX; return 1;
    case 'n': *lo = PY_SSIZE_T_MIN; *hi = PY_SSIZE_T_MAX; return 1;
    default: return 0;
    }
}

/* The largest value of an unsigned integer code. */
static unsigned long long
unsigned_max(char code)
{
    switch (code) {
    case 'B': return UCHAR_MAX;
    case 'H': return USHRT_MAX;
    case 'I': return UINT_MAX;
    case 'L': return ULONG_MAX;
    case 'N': return SIZE_MAX;
    default: return ULLONG_MAX;
    }
}

/* Stores an in-range integer as the C type of code. */
static void
store_integer(char code, char *p, long long s, unsigned long long u)
{
    switch (code) {
    case 'b': STORE(signed char, s); break;
    case 'h': STORE(short, s); break;
    case 'i': STORE(int, s); break;
    case 'l': STORE(long, s); break;
    case 'q': STORE(long long, s); break;
    case 'n': STORE(Py_ssize_t, s); break;
    case 'B': STORE(unsigned char, u); break;
    case 'H': STORE(unsigned short, u); break;
    case 'I': STORE(unsigned int, u); break;
    case 'L': STORE(unsigned long, u); break;
    case 'Q': STORE(unsigned long long, u); break;
    case 'N': STORE(size_t, u); break;
    default: STORE(uintptr_t, u); break;
    }
}

/* Packs an integer v for code into p; 0 or -1.  'P' takes negative
   values and wraps them, as PyLong_AsVoidPtr does. */
static int
pack_integer(char code, char *p, PyObject *v)
{
    long long s, lo, hi;
    unsigned long long u;
    int neg;
    int r = integer_value(code, v, &s, &u, &neg);
    if (r < 0) {
        return -1;
    }
    if (signed_range(code, &lo, &hi)) {
        if (r == 1 || s < lo || s > hi) {
            return invalid_value(code);
        }
    }
    else if ((neg && code != 'P') || u > unsigned_max(code)) {
        return invalid_value(code);
    }
    store_integer(code, p, s, u);
    return 0;
}

/* Packs v as one item of `code` into p (itemsize bytes); 0 or -1.  May
   run Python code: call it outside the view's critical section. */
static int
pack_item(char code, char *p, PyObject *v)
{
    switch (code) {
    case 'f': case 'd': {
        double d = PyFloat_AsDouble(v);
        if (d == -1.0 && PyErr_Occurred()) {
            if (PyErr_ExceptionMatches(PyExc_TypeError)) {
                PyErr_Clear();
                return invalid_type(code);
            }
            return -1;
        }
        if (code == 'f') {
            STORE(float, d);
        }
        else {
            STORE(double, d);
        }
        return 0;
    }
    case '?': {
        int b = PyObject_IsTrue(v);
        if (b < 0) {
            return -1;
        }
        *(unsigned char *)p = (unsigned char)b;
        return 0;
    }
    case 'c':
        if (!PyBytes_Check(v)) {
            return invalid_type(code);
        }
        if (PyBytes_GET_SIZE(v) != 1) {
            return invalid_value(code);
        }
        *p = PyBytes_AS_STRING(v)[0];
        return 0;
    default:
        return pack_integer(code, p, v);
    }
}

#undef STORE

/* ------------------------------------------------------ view setup */

static int
check_released(PyMemoryViewObject *self)
{
    if (_Py_atomic_load_int(&self->released)) {
        PyErr_SetString(PyExc_ValueError, released_msg);
        return -1;
    }
    return 0;
}

#define CHECK_RELEASED(self, ret)                   \
    do {                                            \
        if (check_released(MV(self)) < 0) {         \
            return ret;                             \
        }                                           \
    } while (0)

/* Contiguity in the strict sense (strides checked for every dimension
   longer than 1; any view with a zero in its shape is contiguous). */
static int
view_is_contiguous(const Py_buffer *view, char order)
{
    if (view->suboffsets != NULL) {
        return 0;
    }
    for (int d = 0; d < view->ndim; d++) {
        if (view->shape[d] == 0) {
            return 1;
        }
    }
    Py_ssize_t sd = view->itemsize;
    if (order == 'C') {
        for (int d = view->ndim - 1; d >= 0; d--) {
            if (view->shape[d] > 1 && view->strides[d] != sd) {
                return 0;
            }
            sd *= view->shape[d];
        }
        return 1;
    }
    if (order == 'F') {
        for (int d = 0; d < view->ndim; d++) {
            if (view->shape[d] > 1 && view->strides[d] != sd) {
                return 0;
            }
            sd *= view->shape[d];
        }
        return 1;
    }
    return view_is_contiguous(view, 'C') || view_is_contiguous(view, 'F');
}

static void
init_flags(PyMemoryViewObject *mv)
{
    const Py_buffer *view = &mv->view;
    int flags = 0;
    if (view->ndim == 0) {
        flags |= _Py_MEMORYVIEW_SCALAR | _Py_MEMORYVIEW_C |
                 _Py_MEMORYVIEW_FORTRAN;
    }
    else {
        if (view_is_contiguous(view, 'C')) {
            flags |= _Py_MEMORYVIEW_C;
        }
        if (view_is_contiguous(view, 'F')) {
            flags |= _Py_MEMORYVIEW_FORTRAN;
        }
    }
    if (view->suboffsets != NULL) {
        flags |= _Py_MEMORYVIEW_PIL;
    }
    mv->flags = flags;
}

/* A new view registered on mbuf, describing src (whose arrays may be NULL:
   shape defaults to len/itemsize in one dimension, strides to C order).
   src->obj is ignored: the view's obj is the managed buffer's exporter.
   The caller holds a registered view of mbuf or has just filled it.  New
   reference. */
static PyObject *
mview_new(_PyManagedBufferObject *mbuf, const Py_buffer *src)
{
    int nd = src->ndim;
    if (nd > MV_MAX_NDIM) {
        PyErr_Format(PyExc_ValueError,
                     "memoryview: number of dimensions must not exceed %d",
                     MV_MAX_NDIM);
        return NULL;
    }
    PyMemoryViewObject *mv = PyObject_GC_New(PyMemoryViewObject,
                                             &PyMemoryView_Type);
    if (mv == NULL) {
        return NULL;
    }
    mv->mbuf = (_PyManagedBufferObject *)Py_NewRef(mbuf);
    mv->hash = -1;
    mv->released = 0;
    mv->flags = 0;
    mv->exports = 0;
    mv->weakreflist = NULL;
    mv->view = *src;
    mv->view.obj = mbuf->master.obj;
    mv->view.internal = NULL;
    mv->arrays = NULL;
    mv->format_copy = NULL;
    _Py_atomic_add_ssize(&mbuf->views, 1);
    const char *fmt = view_format(src);
    size_t flen = strlen(fmt);
    mv->format_copy = PyMem_Malloc(flen + 1);
    mv->arrays = PyMem_Malloc(sizeof(Py_ssize_t) * 3 * (size_t)(nd + 1));
    if (mv->format_copy == NULL || mv->arrays == NULL) {
        Py_DECREF(mv);
        return PyErr_NoMemory();
    }
    memcpy(mv->format_copy, fmt, flen + 1);
    mv->view.format = mv->format_copy;
    Py_ssize_t *shape = mv->arrays;
    Py_ssize_t *strides = mv->arrays + nd;
    Py_ssize_t *subs = mv->arrays + 2 * nd;
    if (src->shape == NULL) {
        if (nd > 1) {
            Py_DECREF(mv);
            PyErr_SetString(PyExc_BufferError,
                            "memoryview: exporter gave no shape for a "
                            "multi-dimensional buffer");
            return NULL;
        }
        if (nd == 1) {
            shape[0] = src->itemsize > 0 ? src->len / src->itemsize : 0;
        }
    }
    else if (nd > 0) {
        memcpy(shape, src->shape, sizeof(Py_ssize_t) * (size_t)nd);
    }
    if (src->strides == NULL) {
        PyBuffer_FillContiguousStrides(nd, shape, strides,
                                       (int)src->itemsize, 'C');
    }
    else if (nd > 0) {
        memcpy(strides, src->strides, sizeof(Py_ssize_t) * (size_t)nd);
    }
    mv->view.shape = shape;
    mv->view.strides = strides;
    mv->view.suboffsets = NULL;
    if (src->suboffsets != NULL) {
        for (int d = 0; d < nd; d++) {
            subs[d] = src->suboffsets[d];
        }
        mv->view.suboffsets = subs;
    }
    init_flags(mv);
    PyObject_GC_Track((PyObject *)mv);
    return (PyObject *)mv;
}

/* A view of the whole of a fresh managed buffer (new reference). */
static PyObject *
mview_from_mbuf(_PyManagedBufferObject *mbuf)
{
    return mview_new(mbuf, &mbuf->master);
}

PyObject *
PyMemoryView_FromObject(PyObject *obj)
{
    if (PyMemoryView_Check(obj)) {
        PyMemoryViewObject *src = MV(obj);
        PyObject *res = NULL;
        Py_BEGIN_CRITICAL_SECTION(obj);
        if (check_released(src) == 0) {
            res = mview_new(src->mbuf, &src->view);
        }
        Py_END_CRITICAL_SECTION();
        return res;
    }
    if (!PyObject_CheckBuffer(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "memoryview: a bytes-like object is required, "
                     "not '%.200s'", Py_TYPE(obj)->tp_name);
        return NULL;
    }
    _PyManagedBufferObject *mbuf = mbuf_alloc();
    if (mbuf == NULL) {
        return NULL;
    }
    if (PyObject_GetBuffer(obj, &mbuf->master, PyBUF_FULL_RO) < 0) {
        mbuf->released = 1;
        Py_DECREF(mbuf);
        return NULL;
    }
    PyObject *res = mview_from_mbuf(mbuf);
    Py_DECREF(mbuf);
    return res;
}

PyObject *
PyMemoryView_FromMemory(char *mem, Py_ssize_t size, int flags)
{
    if (flags != PyBUF_READ && flags != PyBUF_WRITE) {
        PyErr_SetString(PyExc_SystemError,
                        "PyMemoryView_FromMemory: flags must be PyBUF_READ "
                        "or PyBUF_WRITE");
        return NULL;
    }
    _PyManagedBufferObject *mbuf = mbuf_alloc();
    if (mbuf == NULL) {
        return NULL;
    }
    (void)PyBuffer_FillInfo(&mbuf->master, NULL, mem, size,
                            flags == PyBUF_READ, PyBUF_FULL_RO);
    PyObject *res = mview_from_mbuf(mbuf);
    Py_DECREF(mbuf);
    return res;
}

PyObject *
PyMemoryView_FromBuffer(const Py_buffer *info)
{
    if (info->buf == NULL) {
        PyErr_SetString(PyExc_ValueError,
                        "PyMemoryView_FromBuffer(): info->buf must not be "
                        "NULL");
        return NULL;
    }
    _PyManagedBufferObject *mbuf = mbuf_alloc();
    if (mbuf == NULL) {
        return NULL;
    }
    Py_buffer desc = *info;
    desc.obj = NULL;
    mbuf->master = desc;
    /* The arrays stay the caller's; the view copies them.  The master
       must not point at them after this call. */
    mbuf->master.shape = NULL;
    mbuf->master.strides = NULL;
    mbuf->master.suboffsets = NULL;
    mbuf->master.format = NULL;
    PyObject *res = mview_new(mbuf, &desc);
    Py_DECREF(mbuf);
    return res;
}

/* ------------------------------------------------------ item access */

/* Pointer to item `index` along dimension `dim` from ptr, bounds-checked
   (negative indices count from the end).  NULL with IndexError. */
static char *
step_into(const Py_buffer *view, char *ptr, int dim, Py_ssize_t index)
{
    Py_ssize_t n = view->shape[dim];
    if (index < 0) {
        index += n;
    }
    if (index < 0 || index >= n) {
        PyErr_Format(PyExc_IndexError,
                     "index out of bounds on dimension %d", dim + 1);
        return NULL;
    }
    ptr += view->strides[dim] * index;
    if (view->suboffsets != NULL && view->suboffsets[dim] >= 0) {
        ptr = *((char **)ptr) + view->suboffsets[dim];
    }
    return ptr;
}

/* The item at the given indices (one per dimension), new reference;
   lock held. */
static PyObject *
item_at_locked(PyMemoryViewObject *self, const Py_ssize_t *indices,
               char code)
{
    const Py_buffer *view = &self->view;
    char *ptr = view->buf;
    for (int d = 0; d < view->ndim; d++) {
        ptr = step_into(view, ptr, d, indices[d]);
        if (ptr == NULL) {
            return NULL;
        }
    }
    return unpack_item(code, ptr);
}

/* Reads the index tuple `key` (or a single index) into indices; 0, or
   -1 with the 3.11 error. */
static int
key_to_indices(PyMemoryViewObject *self, PyObject *key, Py_ssize_t *indices,
               int setting)
{
    int nd = self->view.ndim;
    if (PyTuple_Check(key)) {
        Py_ssize_t n = PyTuple_GET_SIZE(key), nslices = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            nslices += PySlice_Check(PyTuple_GET_ITEM(key, i));
        }
        if (n > 0 && nslices == n) {
            PyErr_SetString(PyExc_NotImplementedError, setting
                            ? "memoryview slice assignments are currently "
                              "restricted to ndim = 1"
                            : "multi-dimensional slicing is not "
                              "implemented");
            return -1;
        }
        if (nslices > 0) {
            PyErr_SetString(PyExc_TypeError, "memoryview: invalid slice key");
            return -1;
        }
        if (n < nd) {
            PyErr_SetString(PyExc_NotImplementedError,
                            "sub-views are not implemented");
            return -1;
        }
        if (n > nd) {
            PyErr_Format(PyExc_TypeError,
                         "cannot index %d-dimension view with %zd-element "
                         "tuple", nd, n);
            return -1;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *k = PyTuple_GET_ITEM(key, i);
            if (!PyIndex_Check(k)) {
                PyErr_SetString(PyExc_TypeError,
                                "memoryview: invalid slice key");
                return -1;
            }
            indices[i] = PyNumber_AsSsize_t(k, PyExc_IndexError);
            if (indices[i] == -1 && PyErr_Occurred()) {
                return -1;
            }
        }
        return 0;
    }
    indices[0] = PyNumber_AsSsize_t(key, PyExc_IndexError);
    if (indices[0] == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (nd > 1) {
        PyErr_SetString(PyExc_NotImplementedError,
                        "multi-dimensional sub-views are not implemented");
        return -1;
    }
    return 0;
}

/* Narrows a view that no other thread can see yet (just made by
   mview_new) to the slice start:stop:step of its first dimension. */
static void
apply_slice(PyMemoryViewObject *mv, Py_ssize_t start, Py_ssize_t stop,
            Py_ssize_t step)
{
    Py_buffer *view = &mv->view;
    Py_ssize_t n = PySlice_AdjustIndices(view->shape[0], &start, &stop,
                                         step);
    view->buf = (char *)view->buf + start * view->strides[0];
    view->shape[0] = n;
    view->strides[0] *= step;
    view->len = view->itemsize;
    for (int d = 0; d < view->ndim; d++) {
        view->len *= view->shape[d];
    }
    init_flags(mv);
}

/* m[slice]: a new view on the same managed buffer.  The copy is
   registered before the slice's __index__ methods run, so a release()
   they do leaves the new view valid (as 3.11 behaves). */
static PyObject *
slice_view(PyMemoryViewObject *self, PyObject *key)
{
    PyObject *copy = NULL;
    Py_BEGIN_CRITICAL_SECTION(self);
    if (check_released(self) == 0) {
        copy = mview_new(self->mbuf, &self->view);
    }
    Py_END_CRITICAL_SECTION();
    if (copy == NULL) {
        return NULL;
    }
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(key, &start, &stop, &step) < 0) {
        Py_DECREF(copy);
        return NULL;
    }
    apply_slice(MV(copy), start, stop, step);
    return copy;
}

static PyObject *
memory_subscript(PyObject *op, PyObject *key)
{
    PyMemoryViewObject *self = MV(op);
    CHECK_RELEASED(self, NULL);
    const Py_buffer *view = &self->view;
    if (view->ndim == 0) {
        if (PyTuple_Check(key) && PyTuple_GET_SIZE(key) == 0) {
            char code = native_code(view->format);
            if (code == 0) {
                return unsupported_format(view);
            }
            PyObject *res = NULL;
            Py_BEGIN_CRITICAL_SECTION(op);
            if (check_released(self) == 0) {
                res = unpack_item(code, view->buf);
            }
            Py_END_CRITICAL_SECTION();
            return res;
        }
        if (key == Py_Ellipsis) {
            return Py_NewRef(op);
        }
        PyErr_SetString(PyExc_TypeError, "invalid indexing of 0-dim memory");
        return NULL;
    }
    if (PySlice_Check(key)) {
        return slice_view(self, key);
    }
    if (!PyIndex_Check(key) && !PyTuple_Check(key)) {
        PyErr_SetString(PyExc_TypeError, "memoryview: invalid slice key");
        return NULL;
    }
    Py_ssize_t indices[MV_MAX_NDIM];
    if (key_to_indices(self, key, indices, 0) < 0) {
        return NULL;
    }
    char code = native_code(view->format);
    if (code == 0) {
        return unsupported_format(view);
    }
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(op);
    if (check_released(self) == 0) {
        res = item_at_locked(self, indices, code);
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

/* Pointer to the item at indices; lock held.  NULL with IndexError. */
static char *
item_ptr_locked(PyMemoryViewObject *self, const Py_ssize_t *indices)
{
    char *ptr = self->view.buf;
    for (int d = 0; d < self->view.ndim; d++) {
        ptr = step_into(&self->view, ptr, d, indices[d]);
        if (ptr == NULL) {
            return NULL;
        }
    }
    return ptr;
}

/* The formats say the same thing (ignoring a leading '@'). */
static int
same_format(const char *a, const char *b)
{
    if (a[0] == '@') {
        a++;
    }
    if (b[0] == '@') {
        b++;
    }
    return strcmp(a, b) == 0;
}

/* m[slice] = buffer: same format and shape required.  The source is
   copied to a scratch buffer and the slice's __index__ methods run before
   the view's critical section, where release is checked last. */
static int
assign_slice(PyMemoryViewObject *self, PyObject *key, PyObject *value)
{
    Py_buffer src;
    Py_ssize_t start, stop, step;
    if (PyObject_GetBuffer(value, &src, PyBUF_FULL_RO) < 0) {
        return -1;
    }
    if (PySlice_Unpack(key, &start, &stop, &step) < 0) {
        PyBuffer_Release(&src);
        return -1;
    }
    char *tmp = PyMem_Malloc((size_t)src.len + 1);
    if (tmp == NULL) {
        PyBuffer_Release(&src);
        PyErr_NoMemory();
        return -1;
    }
    int r = PyBuffer_ToContiguous(tmp, &src, src.len, 'C');
    const char *sfmt = view_format(&src);
    Py_ssize_t slen = src.ndim == 0 ? 1
                      : src.shape != NULL ? src.shape[0]
                      : src.len / (src.itemsize ? src.itemsize : 1);
    int sndim = src.ndim;
    char *sfmt_copy = PyMem_Malloc(strlen(sfmt) + 1);
    if (sfmt_copy != NULL) {
        strcpy(sfmt_copy, sfmt);
    }
    Py_ssize_t slen_bytes = src.len;
    PyBuffer_Release(&src);
    if (r < 0 || sfmt_copy == NULL) {
        if (sfmt_copy == NULL && r == 0) {
            PyErr_NoMemory();
        }
        PyMem_Free(tmp);
        PyMem_Free(sfmt_copy);
        return -1;
    }
    r = -1;
    PyObject *dst = NULL;
    Py_BEGIN_CRITICAL_SECTION(self);
    dst = check_released(self) == 0 ? mview_new(self->mbuf, &self->view)
                                    : NULL;
    if (dst != NULL) {
        apply_slice(MV(dst), start, stop, step);
        Py_buffer *dv = &MV(dst)->view;
        if (sndim != 1 || !same_format(dv->format, sfmt_copy) ||
            dv->shape[0] != slen || dv->len != slen_bytes) {
            PyErr_SetString(PyExc_ValueError,
                            "memoryview assignment: lvalue and rvalue have "
                            "different structures");
        }
        else {
            r = PyBuffer_FromContiguous(dv, tmp, slen_bytes, 'C');
        }
    }
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(dst);
    PyMem_Free(tmp);
    PyMem_Free(sfmt_copy);
    return r;
}

/* IndexError unless every index is within its dimension; reads only the
   shape, which never changes. */
static int
check_bounds(const Py_buffer *view, const Py_ssize_t *indices)
{
    for (int d = 0; d < view->ndim; d++) {
        Py_ssize_t i = indices[d];
        if (i < -view->shape[d] || i >= view->shape[d]) {
            PyErr_Format(PyExc_IndexError,
                         "index out of bounds on dimension %d", d + 1);
            return -1;
        }
    }
    return 0;
}

static int
memory_ass_sub(PyObject *op, PyObject *key, PyObject *value)
{
    PyMemoryViewObject *self = MV(op);
    CHECK_RELEASED(self, -1);
    const Py_buffer *view = &self->view;
    if (view->readonly) {
        PyErr_SetString(PyExc_TypeError, "cannot modify read-only memory");
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "cannot delete memory");
        return -1;
    }
    Py_ssize_t indices[MV_MAX_NDIM];
    if (view->ndim == 0) {
        if (key != Py_Ellipsis &&
            !(PyTuple_Check(key) && PyTuple_GET_SIZE(key) == 0)) {
            PyErr_SetString(PyExc_TypeError,
                            "invalid indexing of 0-dim memory");
            return -1;
        }
    }
    else if (PySlice_Check(key)) {
        if (view->ndim != 1) {
            PyErr_SetString(PyExc_NotImplementedError,
                            "memoryview slice assignments are currently "
                            "restricted to ndim = 1");
            return -1;
        }
        return assign_slice(self, key, value);
    }
    else if (!PyIndex_Check(key) && !PyTuple_Check(key)) {
        PyErr_SetString(PyExc_TypeError, "memoryview: invalid slice key");
        return -1;
    }
    else if (key_to_indices(self, key, indices, 1) < 0 ||
             check_bounds(view, indices) < 0) {
        return -1;
    }
    char code = native_code(view->format);
    if (code == 0) {
        unsupported_format(view);
        return -1;
    }
    char packed[16];
    if (pack_item(code, packed, value) < 0) {
        return -1;
    }
    int r = -1;
    Py_BEGIN_CRITICAL_SECTION(op);
    if (check_released(self) == 0) {
        char *ptr = item_ptr_locked(self, indices);
        if (ptr != NULL) {
            memcpy(ptr, packed, (size_t)view->itemsize);
            r = 0;
        }
    }
    Py_END_CRITICAL_SECTION();
    return r;
}

static Py_ssize_t
memory_length(PyObject *op)
{
    PyMemoryViewObject *self = MV(op);
    CHECK_RELEASED(self, -1);
    return self->view.ndim == 0 ? 1 : self->view.shape[0];
}

/* ------------------------------------------------------ whole-view copies */

/* The memory as contiguous bytes in `order` (new bytes); lock held. */
static PyObject *
tobytes_locked(PyMemoryViewObject *self, char order)
{
    PyObject *bytes = PyBytes_FromStringAndSize(NULL, self->view.len);
    if (bytes == NULL) {
        return NULL;
    }
    if (PyBuffer_ToContiguous(PyBytes_AS_STRING(bytes), &self->view,
                              self->view.len, order) < 0) {
        Py_DECREF(bytes);
        return NULL;
    }
    return bytes;
}

/* A snapshot of the memory in C order (new bytes), taken under the lock. */
static PyObject *
snapshot(PyMemoryViewObject *self, char order)
{
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(self);
    if (check_released(self) == 0) {
        res = tobytes_locked(self, order);
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

static PyObject *
memory_tobytes(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"order", NULL};
    PyObject *order = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:tobytes", kwlist,
                                     &order)) {
        return NULL;
    }
    CHECK_RELEASED(op, NULL);
    char ord = 'C';
    if (order != Py_None) {
        if (!PyUnicode_Check(order)) {
            PyErr_Format(PyExc_TypeError,
                         "tobytes() argument 'order' must be str or None, "
                         "not %.50s", Py_TYPE(order)->tp_name);
            return NULL;
        }
        const char *s = PyUnicode_AsUTF8(order);
        if (s == NULL) {
            return NULL;
        }
        if (strcmp(s, "F") == 0) {
            ord = 'F';
        }
        else if (strcmp(s, "A") == 0) {
            ord = 'A';
        }
        else if (strcmp(s, "C") != 0) {
            PyErr_SetString(PyExc_ValueError,
                            "order must be 'C', 'F' or 'A'");
            return NULL;
        }
    }
    return snapshot(MV(op), ord);
}

static PyObject *
memory_hex(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"sep", "bytes_per_sep", NULL};
    PyObject *sep = NULL;
    int bytes_per_sep = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|Oi:hex", kwlist, &sep,
                                     &bytes_per_sep)) {
        return NULL;
    }
    PyObject *snap = snapshot(MV(op), 'C');
    if (snap == NULL) {
        return NULL;
    }
    PyObject *res = _PyBytes_HexBuffer(PyBytes_AS_STRING(snap),
                                       PyBytes_GET_SIZE(snap), sep,
                                       bytes_per_sep);
    Py_DECREF(snap);
    return res;
}

/* Nested lists over dimensions dim.. starting at ptr; lock held. */
static PyObject *
tolist_rec(const Py_buffer *view, char *ptr, int dim, char code)
{
    Py_ssize_t n = view->shape[dim];
    PyObject *list = PyList_New(n);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        char *p = ptr + view->strides[dim] * i;
        if (view->suboffsets != NULL && view->suboffsets[dim] >= 0) {
            p = *((char **)p) + view->suboffsets[dim];
        }
        PyObject *item = dim == view->ndim - 1
                         ? unpack_item(code, p)
                         : tolist_rec(view, p, dim + 1, code);
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return list;
}

static PyObject *
memory_tolist(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    PyMemoryViewObject *self = MV(op);
    CHECK_RELEASED(self, NULL);
    char code = native_code(self->view.format);
    if (code == 0) {
        return unsupported_format(&self->view);
    }
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(op);
    if (check_released(self) == 0) {
        res = self->view.ndim == 0
              ? unpack_item(code, self->view.buf)
              : tolist_rec(&self->view, self->view.buf, 0, code);
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

/* ------------------------------------------------------ derived views */

static PyObject *
memory_toreadonly(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    PyMemoryViewObject *self = MV(op);
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(op);
    if (check_released(self) == 0) {
        Py_buffer desc = self->view;
        desc.readonly = 1;
        res = mview_new(self->mbuf, &desc);
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

static int
is_byte_code(char c)
{
    return c == 'B' || c == 'b' || c == 'c';
}

/* Reads cast()'s shape argument into shape[]; returns ndim or -1. */
static int
cast_shape(PyObject *arg, Py_ssize_t *shape)
{
    if (!PyList_Check(arg) && !PyTuple_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "shape must be a list or a tuple");
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(arg);
    if (n > MV_MAX_NDIM) {
        PyErr_Format(PyExc_ValueError,
                     "memoryview: number of dimensions must not exceed %d",
                     MV_MAX_NDIM);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = PySequence_Fast_GET_ITEM(arg, i);
        if (!PyLong_Check(x)) {
            PyErr_SetString(PyExc_TypeError,
                            "memoryview.cast(): elements of shape must be "
                            "integers");
            return -1;
        }
        Py_ssize_t v = PyLong_AsSsize_t(x);
        if (v == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (v <= 0) {
            PyErr_SetString(PyExc_ValueError,
                            "memoryview.cast(): elements of shape must be "
                            "integers > 0");
            return -1;
        }
        shape[i] = v;
    }
    return (int)n;
}

/* cast(format, shape) on a C-contiguous view; lock held. */
static PyObject *
cast_locked(PyMemoryViewObject *self, const char *fmt, char code,
            PyObject *shape_arg)
{
    const Py_buffer *view = &self->view;
    if (!(self->flags & _Py_MEMORYVIEW_C)) {
        PyErr_SetString(PyExc_TypeError,
                        "memoryview: casts are restricted to C-contiguous "
                        "views");
        return NULL;
    }
    for (int d = 0; d < view->ndim; d++) {
        if (view->shape[d] == 0 || view->strides[d] == 0) {
            if (shape_arg != NULL || view->shape[d] == 0) {
                PyErr_SetString(PyExc_TypeError,
                                "memoryview: cannot cast view with zeros in "
                                "shape or strides");
                return NULL;
            }
        }
    }
    Py_ssize_t shape[MV_MAX_NDIM];
    int nd = 1;
    if (shape_arg != NULL) {
        nd = cast_shape(shape_arg, shape);
        if (nd < 0) {
            return NULL;
        }
        if (view->ndim != 1 && nd != 1) {
            PyErr_SetString(PyExc_TypeError,
                            "memoryview: cast must be 1D -> ND or ND -> 1D");
            return NULL;
        }
    }
    char src_code = native_code(view->format);
    if (!is_byte_code(src_code) && !is_byte_code(code)) {
        PyErr_SetString(PyExc_TypeError,
                        "memoryview: cannot cast between two non-byte "
                        "formats");
        return NULL;
    }
    Py_ssize_t itemsize = code_size(code);
    if (view->len % itemsize) {
        PyErr_SetString(PyExc_TypeError,
                        "memoryview: length is not a multiple of itemsize");
        return NULL;
    }
    if (shape_arg == NULL) {
        shape[0] = view->len / itemsize;
    }
    else {
        Py_ssize_t total = itemsize;
        for (int d = 0; d < nd; d++) {
            if (total > PY_SSIZE_T_MAX / shape[d]) {
                PyErr_SetString(PyExc_ValueError,
                                "memoryview.cast(): product(shape) > "
                                "SSIZE_MAX");
                return NULL;
            }
            total *= shape[d];
        }
        if (total != view->len) {
            PyErr_SetString(PyExc_TypeError,
                            "memoryview: product(shape) * itemsize != "
                            "buffer size");
            return NULL;
        }
    }
    Py_buffer desc = *view;
    desc.format = (char *)fmt;
    desc.itemsize = itemsize;
    desc.ndim = nd;
    desc.shape = shape;
    desc.strides = NULL;
    desc.suboffsets = NULL;
    return mview_new(self->mbuf, &desc);
}

static PyObject *
memory_cast(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"format", "shape", NULL};
    PyObject *format, *shape = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O:cast", kwlist,
                                     &format, &shape)) {
        return NULL;
    }
    if (!PyUnicode_Check(format)) {
        PyErr_Format(PyExc_TypeError,
                     "cast() argument 'format' must be str, not %.50s",
                     Py_TYPE(format)->tp_name);
        return NULL;
    }
    CHECK_RELEASED(op, NULL);
    const char *fmt = PyUnicode_AsUTF8(format);
    if (fmt == NULL) {
        return NULL;
    }
    char code = native_code(fmt);
    if (code == 0 || strlen(fmt) > 2) {
        PyErr_SetString(PyExc_ValueError,
                        "memoryview: destination format must be a native "
                        "single character format prefixed with an optional "
                        "'@'");
        return NULL;
    }
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(op);
    if (check_released(MV(op)) == 0) {
        res = cast_locked(MV(op), fmt, code, shape);
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

/* ------------------------------------------------------ release */

static PyObject *
memory_release(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    PyMemoryViewObject *self = MV(op);
    int r = 0;
    Py_BEGIN_CRITICAL_SECTION(op);
    if (self->exports > 0) {
        PyErr_Format(PyExc_BufferError,
                     "memoryview has %zd exported buffer%s", self->exports,
                     self->exports == 1 ? "" : "s");
        r = -1;
    }
    else if (!self->released) {
        _Py_atomic_store_int(&self->released, 1);
        mbuf_unregister(self->mbuf);
    }
    Py_END_CRITICAL_SECTION();
    if (r < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
memory_enter(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    CHECK_RELEASED(op, NULL);
    return Py_NewRef(op);
}

static PyObject *
memory_exit(PyObject *op, PyObject *Py_UNUSED(args))
{
    return memory_release(op, NULL);
}

/* ------------------------------------------------------ buffer export */

static int
memory_getbuf(PyObject *op, Py_buffer *view, int flags)
{
    PyMemoryViewObject *self = MV(op);
    int r = -1;
    Py_BEGIN_CRITICAL_SECTION(op);
    if (check_released(self) < 0) {
        goto done;
    }
    const Py_buffer *base = &self->view;
    if ((flags & PyBUF_WRITABLE) && base->readonly) {
        PyErr_SetString(PyExc_BufferError, "memoryview: underlying buffer "
                        "is not writable");
        goto done;
    }
    if ((flags & PyBUF_C_CONTIGUOUS) == PyBUF_C_CONTIGUOUS &&
        !(self->flags & _Py_MEMORYVIEW_C)) {
        PyErr_SetString(PyExc_BufferError, "memoryview: underlying buffer "
                        "is not C-contiguous");
        goto done;
    }
    if ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS &&
        !(self->flags & _Py_MEMORYVIEW_FORTRAN)) {
        PyErr_SetString(PyExc_BufferError, "memoryview: underlying buffer "
                        "is not Fortran contiguous");
        goto done;
    }
    if ((flags & PyBUF_ANY_CONTIGUOUS) == PyBUF_ANY_CONTIGUOUS &&
        !(self->flags & (_Py_MEMORYVIEW_C | _Py_MEMORYVIEW_FORTRAN))) {
        PyErr_SetString(PyExc_BufferError, "memoryview: underlying buffer "
                        "is not contiguous");
        goto done;
    }
    if ((flags & PyBUF_INDIRECT) != PyBUF_INDIRECT &&
        (self->flags & _Py_MEMORYVIEW_PIL)) {
        PyErr_SetString(PyExc_BufferError, "memoryview: underlying buffer "
                        "requires suboffsets");
        goto done;
    }
    if ((flags & PyBUF_STRIDES) != PyBUF_STRIDES &&
        !(self->flags & _Py_MEMORYVIEW_C)) {
        PyErr_SetString(PyExc_BufferError, "memoryview: underlying buffer "
                        "is not C-contiguous");
        goto done;
    }
    *view = *base;
    view->obj = Py_NewRef(op);
    if (!(flags & PyBUF_FORMAT)) {
        view->format = NULL;
    }
    if ((flags & PyBUF_ND) != PyBUF_ND) {
        view->shape = NULL;
    }
    if ((flags & PyBUF_STRIDES) != PyBUF_STRIDES) {
        view->strides = NULL;
    }
    if ((flags & PyBUF_INDIRECT) != PyBUF_INDIRECT) {
        view->suboffsets = NULL;
    }
    self->exports++;
    r = 0;
done:
    Py_END_CRITICAL_SECTION();
    return r;
}

static void
memory_releasebuf(PyObject *op, Py_buffer *Py_UNUSED(view))
{
    Py_BEGIN_CRITICAL_SECTION(op);
    MV(op)->exports--;
    Py_END_CRITICAL_SECTION();
}

static PyBufferProcs memory_as_buffer = {
    .bf_getbuffer = memory_getbuf,
    .bf_releasebuffer = memory_releasebuf,
};

/* ------------------------------------------------------ compare, hash */

/* Same ndim and shape. */
static int
same_shape(const Py_buffer *a, const Py_buffer *b)
{
    if (a->ndim != b->ndim) {
        return 0;
    }
    for (int d = 0; d < a->ndim; d++) {
        if (a->shape[d] != b->shape[d]) {
            return 0;
        }
        if (a->shape[d] == 0) {
            return 1;
        }
    }
    return 1;
}

/* Element-wise equality of two views with equal shapes, by unpacked
   values, or by bytes when both codes are equal and not floating point
   (0 for two formats this file cannot unpack); 1, 0, or -1.  Items unpack
   to int, float, bytes or bool, whose comparison runs no Python code. */
static int
compare_items(const Py_buffer *a, char ca, const Py_buffer *b, char cb)
{
    int nd = a->ndim;
    Py_ssize_t idx[MV_MAX_NDIM] = {0};
    Py_ssize_t total = 1;
    for (int d = 0; d < nd; d++) {
        total *= a->shape[d];
    }
    int fast = ca == cb && ca != 'f' && ca != 'd';
    for (Py_ssize_t k = 0; k < total; k++) {
        char *pa = PyBuffer_GetPointer(a, idx);
        char *pb = PyBuffer_GetPointer(b, idx);
        if (fast) {
            if (memcmp(pa, pb, (size_t)a->itemsize) != 0) {
                return 0;
            }
        }
        else {
            PyObject *x = unpack_item(ca, pa);
            PyObject *y = x != NULL ? unpack_item(cb, pb) : NULL;
            int eq = y != NULL ? PyObject_RichCompareBool(x, y, Py_EQ) : -1;
            Py_XDECREF(x);
            Py_XDECREF(y);
            if (eq <= 0) {
                return eq;
            }
        }
        for (int j = nd - 1; j >= 0; j--) {
            if (++idx[j] < a->shape[j]) {
                break;
            }
            idx[j] = 0;
        }
    }
    return 1;
}

/* Fills in the shape and strides of a held Py_buffer that the exporter
   left NULL, using the caller's arrays. */
static void
complete_buffer(Py_buffer *b, Py_ssize_t *shape, Py_ssize_t *strides)
{
    if (b->shape == NULL) {
        shape[0] = b->itemsize ? b->len / b->itemsize : 0;
        b->shape = shape;
    }
    if (b->strides == NULL) {
        PyBuffer_FillContiguousStrides(b->ndim, b->shape, strides,
                                       (int)b->itemsize, 'C');
        b->strides = strides;
    }
}

/* Equality of two held buffers (v's from a memoryview); 1, 0 or -1. */
static int
buffers_equal(Py_buffer *vb, Py_buffer *wb)
{
    Py_ssize_t shape[MV_MAX_NDIM], strides[MV_MAX_NDIM];
    if (wb->ndim > MV_MAX_NDIM) {
        return 0;
    }
    complete_buffer(wb, shape, strides);
    if (!same_shape(vb, wb)) {
        return 0;
    }
    char ca = native_code(vb->format);
    char cb = native_code(wb->format);
    if (ca == 0 || cb == 0) {
        /* Formats this file cannot unpack: equal bytes with equal format
           strings. */
        if (strcmp(view_format(vb), view_format(wb)) != 0 ||
            vb->itemsize != wb->itemsize) {
            return 0;
        }
        return compare_items(vb, 0, wb, 0);
    }
    return compare_items(vb, ca, wb, cb);
}

/* == and != with any buffer, by values as 3.11 compares them (so a view
   holding a NaN is not equal to itself).  w's buffer is taken before v's
   critical section, so no lock is held while w's exporter runs; the
   comparison then reads v's memory under v's lock (no Python code runs
   there: items unpack to int, float, bytes or bool). */
static PyObject *
memory_richcompare(PyObject *v, PyObject *w, int op)
{
    if ((op != Py_EQ && op != Py_NE) || !PyMemoryView_Check(v)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    int r;
    Py_buffer wb;
    if (_Py_atomic_load_int(&MV(v)->released) ||
        (PyMemoryView_Check(w) && _Py_atomic_load_int(&MV(w)->released))) {
        r = v == w;
    }
    else if (v == w) {
        Py_BEGIN_CRITICAL_SECTION(v);
        if (MV(v)->released) {
            r = 1;
        }
        else {
            wb = MV(v)->view;
            r = buffers_equal(&MV(v)->view, &wb);
        }
        Py_END_CRITICAL_SECTION();
    }
    else if (PyObject_GetBuffer(w, &wb, PyBUF_FULL_RO) < 0) {
        PyErr_Clear();
        Py_RETURN_NOTIMPLEMENTED;
    }
    else {
        Py_BEGIN_CRITICAL_SECTION(v);
        r = MV(v)->released ? 0 : buffers_equal(&MV(v)->view, &wb);
        Py_END_CRITICAL_SECTION();
        PyBuffer_Release(&wb);
    }
    if (r < 0) {
        return NULL;
    }
    return PyBool_FromLong(op == Py_EQ ? r : !r);
}

static Py_hash_t
memory_hash(PyObject *op)
{
    PyMemoryViewObject *self = MV(op);
    Py_hash_t h = _Py_atomic_load_ssize_relaxed(&self->hash);
    if (h != -1) {
        return h;
    }
    CHECK_RELEASED(self, -1);
    if (!self->view.readonly) {
        PyErr_SetString(PyExc_ValueError,
                        "cannot hash writable memoryview object");
        return -1;
    }
    if (!is_byte_code(native_code(self->view.format))) {
        PyErr_SetString(PyExc_ValueError,
                        "memoryview: hashing is restricted to formats 'B', "
                        "'b' or 'c'");
        return -1;
    }
    PyObject *snap = snapshot(self, 'C');
    if (snap == NULL) {
        return -1;
    }
    h = _Py_HashBytes(PyBytes_AS_STRING(snap), PyBytes_GET_SIZE(snap));
    Py_DECREF(snap);
    /* Every thread computes the same value: a relaxed store is enough. */
    _Py_atomic_store_ssize_relaxed(&self->hash, h);
    return h;
}

/* ------------------------------------------------------ attributes */

static PyObject *
memory_repr(PyObject *op)
{
    if (_Py_atomic_load_int(&MV(op)->released)) {
        return PyUnicode_FromFormat("<released memory at %p>", op);
    }
    return PyUnicode_FromFormat("<memory at %p>", op);
}

/* A tuple of n Py_ssize_t values, or () when arr is NULL. */
static PyObject *
ssize_tuple(const Py_ssize_t *arr, int n)
{
    if (arr == NULL) {
        return PyTuple_New(0);
    }
    PyObject *t = PyTuple_New(n);
    if (t == NULL) {
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        PyObject *x = PyLong_FromSsize_t(arr[i]);
        if (x == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, x);
    }
    return t;
}

static PyObject *
memory_obj_get(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    PyObject *obj = MV(op)->view.obj;
    return Py_NewRef(obj != NULL ? obj : Py_None);
}

static PyObject *
memory_nbytes_get(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    return PyLong_FromSsize_t(MV(op)->view.len);
}

static PyObject *
memory_readonly_get(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    return PyBool_FromLong(MV(op)->view.readonly);
}

static PyObject *
memory_itemsize_get(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    return PyLong_FromSsize_t(MV(op)->view.itemsize);
}

static PyObject *
memory_format_get(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    return PyUnicode_FromString(view_format(&MV(op)->view));
}

static PyObject *
memory_ndim_get(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    return PyLong_FromLong(MV(op)->view.ndim);
}

static PyObject *
memory_shape_get(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    return ssize_tuple(MV(op)->view.shape, MV(op)->view.ndim);
}

static PyObject *
memory_strides_get(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    return ssize_tuple(MV(op)->view.strides, MV(op)->view.ndim);
}

static PyObject *
memory_suboffsets_get(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    return ssize_tuple(MV(op)->view.suboffsets, MV(op)->view.ndim);
}

static PyObject *
memory_c_contiguous(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    return PyBool_FromLong((MV(op)->flags & _Py_MEMORYVIEW_C) != 0);
}

static PyObject *
memory_f_contiguous(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    return PyBool_FromLong((MV(op)->flags & _Py_MEMORYVIEW_FORTRAN) != 0);
}

static PyObject *
memory_contiguous(PyObject *op, void *Py_UNUSED(c))
{
    CHECK_RELEASED(op, NULL);
    return PyBool_FromLong((MV(op)->flags &
                            (_Py_MEMORYVIEW_C | _Py_MEMORYVIEW_FORTRAN)) != 0);
}

static PyGetSetDef memory_getset[] = {
    {"obj", memory_obj_get, NULL,
     "The underlying object of the memoryview.", NULL},
    {"nbytes", memory_nbytes_get, NULL,
     "The amount of space in bytes that the array would use in\n"
     " a contiguous representation.", NULL},
    {"readonly", memory_readonly_get, NULL,
     "A bool indicating whether the memory is read only.", NULL},
    {"itemsize", memory_itemsize_get, NULL,
     "The size in bytes of each element of the memoryview.", NULL},
    {"format", memory_format_get, NULL,
     "A string containing the format (in struct module style)\n"
     " for each element in the view.", NULL},
    {"ndim", memory_ndim_get, NULL,
     "An integer indicating how many dimensions of a multi-dimensional\n"
     " array the memory represents.", NULL},
    {"shape", memory_shape_get, NULL,
     "A tuple of ndim integers giving the shape of the memory\n"
     " as an N-dimensional array.", NULL},
    {"strides", memory_strides_get, NULL,
     "A tuple of ndim integers giving the size in bytes to access\n"
     " each element for each dimension of the array.", NULL},
    {"suboffsets", memory_suboffsets_get, NULL,
     "A tuple of integers used internally for PIL-style arrays.", NULL},
    {"c_contiguous", memory_c_contiguous, NULL,
     "A bool indicating whether the memory is C contiguous.", NULL},
    {"f_contiguous", memory_f_contiguous, NULL,
     "A bool indicating whether the memory is Fortran contiguous.", NULL},
    {"contiguous", memory_contiguous, NULL,
     "A bool indicating whether the memory is contiguous.", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyMethodDef memory_methods[] = {
    {"release", memory_release, METH_NOARGS,
     "Release the underlying buffer exposed by the memoryview object."},
    {"tobytes", (PyCFunction)(void (*)(void))memory_tobytes,
     METH_VARARGS | METH_KEYWORDS,
     "Return the data in the buffer as a byte string."},
    {"hex", (PyCFunction)(void (*)(void))memory_hex,
     METH_VARARGS | METH_KEYWORDS,
     "Return the data in the buffer as a str of hexadecimal numbers."},
    {"tolist", memory_tolist, METH_NOARGS,
     "Return the data in the buffer as a list of elements."},
    {"cast", (PyCFunction)(void (*)(void))memory_cast,
     METH_VARARGS | METH_KEYWORDS,
     "Cast a memoryview to a new format or shape."},
    {"toreadonly", memory_toreadonly, METH_NOARGS,
     "Return a readonly version of the memoryview."},
    {"__enter__", memory_enter, METH_NOARGS, NULL},
    {"__exit__", memory_exit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

/* ------------------------------------------------------ iteration */

/* Iterates a 1-D view; the view is read under its own lock per item, so
   a release() from another thread ends the iteration with ValueError. */
typedef struct {
    PyObject_HEAD
    Py_ssize_t index;           /* atomic: shared iterators may race */
    PyObject *seq;              /* the view (owned), NULL when exhausted */
    char code;
} memoryiterobject;

static void
memoryiter_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    Py_XDECREF(((memoryiterobject *)op)->seq);
    PyObject_GC_Del(op);
}

static int
memoryiter_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(((memoryiterobject *)op)->seq);
    return 0;
}

static PyObject *
memoryiter_next(PyObject *op)
{
    memoryiterobject *it = (memoryiterobject *)op;
    PyObject *seq = _Py_atomic_load_ptr(&it->seq);
    if (seq == NULL) {
        return NULL;
    }
    PyMemoryViewObject *mv = MV(seq);
    Py_ssize_t i = _Py_atomic_add_ssize(&it->index, 1);
    PyObject *res = NULL;
    int exhausted = 0;
    Py_BEGIN_CRITICAL_SECTION(seq);
    if (check_released(mv) == 0) {
        if (i < mv->view.shape[0]) {
            char *p = step_into(&mv->view, mv->view.buf, 0, i);
            if (p != NULL) {
                res = unpack_item(it->code, p);
            }
        }
        else {
            exhausted = 1;
        }
    }
    Py_END_CRITICAL_SECTION();
    if (exhausted) {
        PyObject *old = _Py_atomic_exchange_ptr(&it->seq, NULL);
        Py_XDECREF(old);
    }
    return res;
}

PyTypeObject _PyMemoryIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "memory_iterator",
    .tp_basicsize = sizeof(memoryiterobject),
    .tp_dealloc = memoryiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = memoryiter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = memoryiter_next,
};

static PyObject *
memory_iter(PyObject *op)
{
    PyMemoryViewObject *self = MV(op);
    CHECK_RELEASED(self, NULL);
    if (self->view.ndim == 0) {
        PyErr_SetString(PyExc_TypeError, "invalid indexing of 0-dim memory");
        return NULL;
    }
    if (self->view.ndim != 1) {
        PyErr_SetString(PyExc_NotImplementedError,
                        "multi-dimensional sub-views are not implemented");
        return NULL;
    }
    char code = native_code(self->view.format);
    if (code == 0) {
        return unsupported_format(&self->view);
    }
    memoryiterobject *it = PyObject_GC_New(memoryiterobject,
                                           &_PyMemoryIter_Type);
    if (it == NULL) {
        return NULL;
    }
    it->index = 0;
    it->seq = Py_NewRef(op);
    it->code = code;
    PyObject_GC_Track((PyObject *)it);
    return (PyObject *)it;
}

/* ------------------------------------------------------ type */

static void
memory_dealloc(PyObject *op)
{
    PyMemoryViewObject *self = MV(op);
    PyObject_GC_UnTrack(op);
    PyObject_ClearWeakRefs(op);
    if (self->mbuf != NULL) {
        if (!self->released) {
            self->released = 1;
            mbuf_unregister(self->mbuf);
        }
        Py_DECREF(self->mbuf);
    }
    PyMem_Free(self->arrays);
    PyMem_Free(self->format_copy);
    PyObject_GC_Del(op);
}

static int
memory_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(MV(op)->mbuf);
    return 0;
}

/* Releases the view when the GC breaks a cycle through it. */
static int
memory_clear(PyObject *op)
{
    PyMemoryViewObject *self = MV(op);
    if (self->exports == 0 && !_Py_atomic_exchange_int(&self->released, 1)) {
        mbuf_unregister(self->mbuf);
    }
    return 0;
}

static PyObject *
memory_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"object", NULL};
    PyObject *obj;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:memoryview", kwlist,
                                     &obj)) {
        return NULL;
    }
    return PyMemoryView_FromObject(obj);
}

PyObject *
PyMemoryView_GetContiguous(PyObject *obj, int buffertype, char order)
{
    PyObject *mv = PyMemoryView_FromObject(obj);
    if (mv == NULL) {
        return NULL;
    }
    if (view_is_contiguous(&MV(mv)->view, order)) {
        if (buffertype == PyBUF_WRITE && MV(mv)->view.readonly) {
            Py_DECREF(mv);
            PyErr_SetString(PyExc_BufferError,
                            "underlying buffer is not writable");
            return NULL;
        }
        return mv;
    }
    if (buffertype == PyBUF_WRITE) {
        Py_DECREF(mv);
        PyErr_SetString(PyExc_BufferError,
                        "writable contiguous buffer requested for a "
                        "non-contiguous object.");
        return NULL;
    }
    PyObject *bytes = snapshot(MV(mv), order);
    if (bytes == NULL) {
        Py_DECREF(mv);
        return NULL;
    }
    PyObject *copy = PyMemoryView_FromObject(bytes);
    Py_DECREF(bytes);
    if (copy == NULL) {
        Py_DECREF(mv);
        return NULL;
    }
    /* Same format and shape, over the contiguous copy. */
    Py_buffer desc = MV(copy)->view;
    desc.format = MV(mv)->view.format;
    desc.itemsize = MV(mv)->view.itemsize;
    desc.ndim = MV(mv)->view.ndim;
    desc.shape = MV(mv)->view.shape;
    Py_ssize_t strides[MV_MAX_NDIM];
    PyBuffer_FillContiguousStrides(desc.ndim, desc.shape, strides,
                                   (int)desc.itemsize,
                                   order == 'F' ? 'F' : 'C');
    desc.strides = strides;
    desc.suboffsets = NULL;
    PyObject *res = mview_new(MV(copy)->mbuf, &desc);
    Py_DECREF(copy);
    Py_DECREF(mv);
    return res;
}

static PyMappingMethods memory_as_mapping = {
    .mp_length = memory_length,
    .mp_subscript = memory_subscript,
    .mp_ass_subscript = memory_ass_sub,
};

/* m[i] through the sequence protocol (reversed(), `in`). */
static PyObject *
memory_item(PyObject *op, Py_ssize_t i)
{
    PyMemoryViewObject *self = MV(op);
    CHECK_RELEASED(self, NULL);
    if (self->view.ndim == 0) {
        PyErr_SetString(PyExc_TypeError, "invalid indexing of 0-dim memory");
        return NULL;
    }
    if (self->view.ndim != 1) {
        PyErr_SetString(PyExc_NotImplementedError,
                        "multi-dimensional sub-views are not implemented");
        return NULL;
    }
    char code = native_code(self->view.format);
    if (code == 0) {
        return unsupported_format(&self->view);
    }
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(op);
    if (check_released(self) == 0) {
        res = item_at_locked(self, &i, code);
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

static PySequenceMethods memory_as_sequence = {
    .sq_length = memory_length,
    .sq_item = memory_item,
};

static const char memory_doc[] =
"memoryview(object)\n--\n\nCreate a new memoryview object which references "
"the given object.";

PyTypeObject PyMemoryView_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "memoryview",
    .tp_basicsize = sizeof(PyMemoryViewObject),
    .tp_dealloc = memory_dealloc,
    .tp_repr = memory_repr,
    .tp_as_sequence = &memory_as_sequence,
    .tp_as_mapping = &memory_as_mapping,
    .tp_hash = memory_hash,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_as_buffer = &memory_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_SEQUENCE,
    .tp_doc = memory_doc,
    .tp_traverse = memory_traverse,
    .tp_clear = memory_clear,
    .tp_richcompare = memory_richcompare,
    .tp_weaklistoffset = offsetof(PyMemoryViewObject, weakreflist),
    .tp_iter = memory_iter,
    .tp_methods = memory_methods,
    .tp_getset = memory_getset,
    .tp_new = memory_new,
    .tp_free = PyObject_GC_Del,
};

/* Readies the memoryview types; the builtins module calls it before it
   publishes `memoryview`.  0 or -1. */
int
_PyMemoryView_InitTypes(void)
{
    if (PyType_Ready(&_PyManagedBuffer_Type) < 0 ||
        PyType_Ready(&_PyMemoryIter_Type) < 0) {
        return -1;
    }
    return PyType_Ready(&PyMemoryView_Type);
}
