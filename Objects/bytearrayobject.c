/* bytearray: a mutable byte buffer.
 *
 * Thread safety: every operation that touches the buffer, reads included,
 * runs in a critical section on the object, because a resize may move
 * the buffer; only len() reads the size without the lock (a relaxed
 * load).  The buffer protocol counts exports under the lock and a resize
 * while exports exist raises BufferError, so a memoryview's pointer stays
 * valid.  PyByteArray_AS_STRING hands out the raw pointer and is only safe
 * when no other thread resizes the object.
 *
 * The methods shared with bytes run on a snapshot of the contents
 * (Objects/bytes_methods.c). */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_critical_section.h"
#include "pycore_bytesobject.h"
#include "pycore_long.h"

char _PyByteArray_empty_string[] = "";

#define BA(op) ((PyByteArrayObject *)(op))

static inline void
ba_set_size(PyByteArrayObject *self, Py_ssize_t n)
{
    _Py_atomic_store_ssize_relaxed(&self->ob_base.ob_size, n);
}

static inline char *
ba_data(PyByteArrayObject *self)
{
    return self->ob_start != NULL ? self->ob_start
                                  : _PyByteArray_empty_string;
}

/* Resizes the buffer to hold `size` bytes (+ a NUL); lock held. */
static int
ba_resize_locked(PyByteArrayObject *self, Py_ssize_t size)
{
    if (size < 0) {
        PyErr_Format(PyExc_ValueError,
                     "Can only resize to positive sizes, got %zd", size);
        return -1;
    }
    Py_ssize_t cur = Py_SIZE(self);
    if (size == cur) {
        return 0;
    }
    if (self->ob_exports > 0) {
        PyErr_SetString(PyExc_BufferError,
                        "Existing exports of data: object cannot be "
                        "re-sized");
        return -1;
    }
    Py_ssize_t logical_offset = self->ob_start - self->ob_bytes;
    Py_ssize_t alloc = self->ob_alloc;
    if (size + logical_offset + 1 <= alloc && size >= alloc / 4) {
        ba_set_size(self, size);
        self->ob_start[size] = '\0';
        return 0;
    }
    if (size >= PY_SSIZE_T_MAX - size / 8 - 1) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t newalloc = size > cur ? size + size / 8 + 1 : size + 1;
    char *buf = PyMem_Malloc((size_t)newalloc);
    if (buf == NULL) {
        if (size < cur) {
            /* Shrinking never fails: keep the bigger buffer. */
            ba_set_size(self, size);
            self->ob_start[size] = '\0';
            return 0;
        }
        PyErr_NoMemory();
        return -1;
    }
    if (cur > 0) {
        memcpy(buf, self->ob_start, (size_t)Py_MIN(cur, size));
    }
    PyMem_Free(self->ob_bytes);
    self->ob_bytes = self->ob_start = buf;
    _Py_atomic_store_ssize_relaxed(&self->ob_alloc, newalloc);
    ba_set_size(self, size);
    buf[size] = '\0';
    return 0;
}

int
PyByteArray_Resize(PyObject *op, Py_ssize_t size)
{
    int r;
    Py_BEGIN_CRITICAL_SECTION(op);
    r = ba_resize_locked(BA(op), size);
    Py_END_CRITICAL_SECTION();
    return r;
}

PyObject *
PyByteArray_FromStringAndSize(const char *bytes, Py_ssize_t size)
{
    if (size < 0) {
        PyErr_SetString(PyExc_SystemError,
                        "Negative size passed to "
                        "PyByteArray_FromStringAndSize");
        return NULL;
    }
    PyByteArrayObject *op = PyObject_Malloc(sizeof(PyByteArrayObject));
    if (op == NULL) {
        return PyErr_NoMemory();
    }
    _PyObject_InitHeader((PyObject *)op, &PyByteArray_Type);
    op->ob_base.ob_size = 0;
    op->ob_bytes = op->ob_start = NULL;
    op->ob_alloc = 0;
    op->ob_exports = 0;
    if (size > 0) {
        op->ob_bytes = PyMem_Malloc((size_t)size + 1);
        if (op->ob_bytes == NULL) {
            Py_DECREF(op);
            return PyErr_NoMemory();
        }
        op->ob_start = op->ob_bytes;
        op->ob_alloc = size + 1;
        if (bytes != NULL) {
            memcpy(op->ob_bytes, bytes, (size_t)size);
        }
        op->ob_bytes[size] = '\0';
        op->ob_base.ob_size = size;
    }
    return (PyObject *)op;
}

PyObject *
PyByteArray_FromObject(PyObject *input)
{
    return PyObject_CallOneArg((PyObject *)&PyByteArray_Type, input);
}

Py_ssize_t
PyByteArray_Size(PyObject *op)
{
    return _Py_atomic_load_ssize_relaxed(&BA(op)->ob_base.ob_size);
}

char *
PyByteArray_AsString(PyObject *op)
{
    return PyByteArray_AS_STRING(op);
}

static void
bytearray_dealloc(PyObject *op)
{
    if (BA(op)->ob_exports > 0) {
        PyErr_SetString(PyExc_SystemError,
                        "deallocated bytearray object has exported buffers");
        PyErr_WriteUnraisable(op);
    }
    PyMem_Free(BA(op)->ob_bytes);
    Py_TYPE(op)->tp_free(op);
}

/* ------------------------------------------------------ buffer */

static int
bytearray_getbuffer(PyObject *op, Py_buffer *view, int flags)
{
    int r;
    Py_BEGIN_CRITICAL_SECTION(op);
    r = PyBuffer_FillInfo(view, op, ba_data(BA(op)), Py_SIZE(op), 0, flags);
    if (r == 0) {
        BA(op)->ob_exports++;
    }
    Py_END_CRITICAL_SECTION();
    return r;
}

static void
bytearray_releasebuffer(PyObject *op, Py_buffer *Py_UNUSED(view))
{
    Py_BEGIN_CRITICAL_SECTION(op);
    BA(op)->ob_exports--;
    Py_END_CRITICAL_SECTION();
}

static PyBufferProcs bytearray_as_buffer = {
    .bf_getbuffer = bytearray_getbuffer,
    .bf_releasebuffer = bytearray_releasebuffer,
};

/* ------------------------------------------------------ repr, compare */

static PyObject *
bytearray_repr(PyObject *op)
{
    char prefix[128];
    snprintf(prefix, sizeof(prefix), "%.100s(", Py_TYPE(op)->tp_name);
    PyObject *res;
    Py_BEGIN_CRITICAL_SECTION(op);
    res = _PyBytes_ReprBuffer(ba_data(BA(op)), Py_SIZE(op), 1, prefix, ")");
    Py_END_CRITICAL_SECTION();
    return res;
}

static PyObject *
bytearray_richcompare(PyObject *self, PyObject *other, int op)
{
    if (!PyObject_CheckBuffer(self) || !PyObject_CheckBuffer(other) ||
        PyUnicode_Check(other)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    Py_buffer a, b;
    if (PyObject_GetBuffer(self, &a, PyBUF_SIMPLE) != 0) {
        PyErr_Clear();
        Py_RETURN_NOTIMPLEMENTED;
    }
    if (PyObject_GetBuffer(other, &b, PyBUF_SIMPLE) != 0) {
        PyErr_Clear();
        PyBuffer_Release(&a);
        Py_RETURN_NOTIMPLEMENTED;
    }
    int c;
    if ((op == Py_EQ || op == Py_NE) && a.len != b.len) {
        c = 1;
    }
    else {
        c = memcmp(a.buf, b.buf, (size_t)Py_MIN(a.len, b.len));
        if (c == 0) {
            c = a.len < b.len ? -1 : (a.len > b.len ? 1 : 0);
        }
    }
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    Py_RETURN_RICHCOMPARE(c, 0, op);
}

/* ------------------------------------------------------ sequence */

static Py_ssize_t
bytearray_length(PyObject *op)
{
    return PyByteArray_Size(op);
}

static PyObject *
bytearray_item(PyObject *op, Py_ssize_t i)
{
    int v = -1;
    Py_BEGIN_CRITICAL_SECTION(op);
    if (i >= 0 && i < Py_SIZE(op)) {
        v = (unsigned char)ba_data(BA(op))[i];
    }
    Py_END_CRITICAL_SECTION();
    if (v < 0) {
        PyErr_SetString(PyExc_IndexError, "bytearray index out of range");
        return NULL;
    }
    return _PyLong_GetSmallInt(v);
}

static PyObject *
bytearray_concat(PyObject *a, PyObject *b)
{
    Py_buffer va, vb;
    if (PyObject_GetBuffer(a, &va, PyBUF_SIMPLE) != 0) {
        return NULL;
    }
    if (PyObject_GetBuffer(b, &vb, PyBUF_SIMPLE) != 0) {
        PyBuffer_Release(&va);
        PyErr_Format(PyExc_TypeError, "can't concat %.100s to %.100s",
                     Py_TYPE(b)->tp_name, Py_TYPE(a)->tp_name);
        return NULL;
    }
    PyObject *res = NULL;
    if (va.len > PY_SSIZE_T_MAX - vb.len) {
        PyErr_NoMemory();
    }
    else {
        res = PyByteArray_FromStringAndSize(NULL, va.len + vb.len);
        if (res != NULL && va.len + vb.len > 0) {
            memcpy(BA(res)->ob_bytes, va.buf, (size_t)va.len);
            memcpy(BA(res)->ob_bytes + va.len, vb.buf, (size_t)vb.len);
        }
    }
    PyBuffer_Release(&va);
    PyBuffer_Release(&vb);
    return res;
}

/* Appends data[0:n] (which must not point into self); lock held. */
static int
ba_append_locked(PyByteArrayObject *self, const char *data, Py_ssize_t n)
{
    Py_ssize_t size = Py_SIZE(self);
    if (n > PY_SSIZE_T_MAX - size) {
        PyErr_NoMemory();
        return -1;
    }
    if (ba_resize_locked(self, size + n) < 0) {
        return -1;
    }
    memcpy(self->ob_start + size, data, (size_t)n);
    return 0;
}

/* Appends the bytes of any bytes-like object (copied first: it may be
   self). */
static int
ba_extend_buffer(PyByteArrayObject *self, PyObject *other)
{
    PyObject *copy = PyBytes_FromObject(other);
    if (copy == NULL) {
        return -1;
    }
    int r;
    Py_BEGIN_CRITICAL_SECTION(self);
    r = ba_append_locked(self, PyBytes_AS_STRING(copy),
                         PyBytes_GET_SIZE(copy));
    Py_END_CRITICAL_SECTION();
    Py_DECREF(copy);
    return r;
}

static PyObject *
bytearray_iconcat(PyObject *self, PyObject *other)
{
    if (!PyObject_CheckBuffer(other)) {
        PyErr_Format(PyExc_TypeError, "can't concat %.100s to %.100s",
                     Py_TYPE(other)->tp_name, Py_TYPE(self)->tp_name);
        return NULL;
    }
    if (ba_extend_buffer(BA(self), other) < 0) {
        return NULL;
    }
    return Py_NewRef(self);
}

static PyObject *
bytearray_repeat(PyObject *op, Py_ssize_t count)
{
    PyObject *snap;
    Py_BEGIN_CRITICAL_SECTION(op);
    snap = PyBytes_FromStringAndSize(ba_data(BA(op)), Py_SIZE(op));
    Py_END_CRITICAL_SECTION();
    if (snap == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyBytes_GET_SIZE(snap);
    if (count < 0) {
        count = 0;
    }
    if (n > 0 && count > PY_SSIZE_T_MAX / n) {
        Py_DECREF(snap);
        return PyErr_NoMemory();
    }
    PyObject *res = PyByteArray_FromStringAndSize(NULL, n * count);
    if (res != NULL) {
        for (Py_ssize_t i = 0; i < count; i++) {
            memcpy(BA(res)->ob_bytes + i * n, PyBytes_AS_STRING(snap),
                   (size_t)n);
        }
    }
    Py_DECREF(snap);
    return res;
}

static PyObject *
bytearray_irepeat(PyObject *op, Py_ssize_t count)
{
    PyObject *rep = bytearray_repeat(op, count);
    if (rep == NULL) {
        return NULL;
    }
    int r;
    Py_BEGIN_CRITICAL_SECTION(op);
    Py_ssize_t n = Py_SIZE(rep);
    r = ba_resize_locked(BA(op), n);
    if (r == 0 && n > 0) {
        memcpy(BA(op)->ob_start, BA(rep)->ob_bytes, (size_t)n);
    }
    Py_END_CRITICAL_SECTION();
    Py_DECREF(rep);
    return r < 0 ? NULL : Py_NewRef(op);
}

static int
bytearray_contains(PyObject *op, PyObject *arg)
{
    PyObject *snap;
    Py_BEGIN_CRITICAL_SECTION(op);
    snap = PyBytes_FromStringAndSize(ba_data(BA(op)), Py_SIZE(op));
    Py_END_CRITICAL_SECTION();
    if (snap == NULL) {
        return -1;
    }
    int r = PySequence_Contains(snap, arg);
    Py_DECREF(snap);
    return r;
}

/* ------------------------------------------------------ subscript */

static PyObject *
bytearray_subscript(PyObject *op, PyObject *index)
{
    if (PyIndex_Check(index)) {
        Py_ssize_t i = PyNumber_AsSsize_t(index, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (i < 0) {
            i += PyByteArray_Size(op);
        }
        return bytearray_item(op, i);
    }
    if (PySlice_Check(index)) {
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(index, &start, &stop, &step) < 0) {
            return NULL;
        }
        PyObject *res = NULL;
        Py_BEGIN_CRITICAL_SECTION(op);
        Py_ssize_t n = PySlice_AdjustIndices(Py_SIZE(op), &start, &stop,
                                             step);
        res = PyByteArray_FromStringAndSize(NULL, n > 0 ? n : 0);
        if (res != NULL) {
            const char *src = ba_data(BA(op));
            for (Py_ssize_t k = 0, j = start; k < n; k++, j += step) {
                BA(res)->ob_bytes[k] = src[j];
            }
        }
        Py_END_CRITICAL_SECTION();
        return res;
    }
    PyErr_Format(PyExc_TypeError,
                 "bytearray indices must be integers or slices, not %.200s",
                 Py_TYPE(index)->tp_name);
    return NULL;
}

/* self[lo:hi] = data[0:n]; lock held. */
static int
ba_setslice_locked(PyByteArrayObject *self, Py_ssize_t lo, Py_ssize_t hi,
                   const char *data, Py_ssize_t n)
{
    Py_ssize_t size = Py_SIZE(self);
    if (lo < 0) {
        lo = 0;
    }
    if (hi < lo) {
        hi = lo;
    }
    if (hi > size) {
        hi = size;
    }
    Py_ssize_t growth = n - (hi - lo);
    if (growth != 0) {
        if (growth > 0 && size > PY_SSIZE_T_MAX - growth) {
            PyErr_NoMemory();
            return -1;
        }
        if (growth < 0) {
            if (self->ob_exports > 0) {
                PyErr_SetString(PyExc_BufferError,
                                "Existing exports of data: object cannot "
                                "be re-sized");
                return -1;
            }
            memmove(self->ob_start + hi + growth, self->ob_start + hi,
                    (size_t)(size - hi));
            if (ba_resize_locked(self, size + growth) < 0) {
                return -1;
            }
        }
        else {
            if (ba_resize_locked(self, size + growth) < 0) {
                return -1;
            }
            memmove(self->ob_start + hi + growth, self->ob_start + hi,
                    (size_t)(size - hi));
        }
    }
    if (n > 0) {
        memcpy(self->ob_start + lo, data, (size_t)n);
    }
    return 0;
}

static int
bytearray_ass_subscript(PyObject *op, PyObject *index, PyObject *values)
{
    PyByteArrayObject *self = BA(op);
    if (PyIndex_Check(index)) {
        Py_ssize_t i = PyNumber_AsSsize_t(index, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) {
            return -1;
        }
        int value = 0;
        if (values != NULL && _PyBytes_GetByte(values, &value) < 0) {
            return -1;
        }
        int r = 0, ok = 1;
        Py_BEGIN_CRITICAL_SECTION(op);
        Py_ssize_t size = Py_SIZE(op);
        if (i < 0) {
            i += size;
        }
        if (i < 0 || i >= size) {
            ok = 0;
        }
        else if (values == NULL) {
            r = ba_setslice_locked(self, i, i + 1, NULL, 0);
        }
        else {
            self->ob_start[i] = (char)value;
        }
        Py_END_CRITICAL_SECTION();
        if (!ok) {
            PyErr_SetString(PyExc_IndexError,
                            "bytearray index out of range");
            return -1;
        }
        return r;
    }
    if (!PySlice_Check(index)) {
        PyErr_Format(PyExc_TypeError,
                     "bytearray indices must be integers or slices, "
                     "not %.200s", Py_TYPE(index)->tp_name);
        return -1;
    }
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(index, &start, &stop, &step) < 0) {
        return -1;
    }
    PyObject *bytes = NULL;
    if (values != NULL) {
        if (PyIndex_Check(values) || PyUnicode_Check(values)) {
            PyErr_SetString(PyExc_TypeError,
                            "can assign only bytes, buffers, or iterables "
                            "of ints in range(0, 256)");
            return -1;
        }
        bytes = PyBytes_FromObject(values);
        if (bytes == NULL) {
            return -1;
        }
    }
    const char *data = bytes ? PyBytes_AS_STRING(bytes) : NULL;
    Py_ssize_t n = bytes ? PyBytes_GET_SIZE(bytes) : 0;
    int r = 0;
    Py_BEGIN_CRITICAL_SECTION(op);
    Py_ssize_t size = Py_SIZE(op);
    Py_ssize_t slicelen = PySlice_AdjustIndices(size, &start, &stop, step);
    if (step == 1) {
        r = ba_setslice_locked(self, start, start + (slicelen > 0 ?
                                                     slicelen : 0),
                               data, n);
    }
    else if (values == NULL) {
        if (slicelen > 0 && self->ob_exports > 0) {
            PyErr_SetString(PyExc_BufferError,
                            "Existing exports of data: object cannot be "
                            "re-sized");
            r = -1;
        }
        else if (slicelen > 0) {
            if (step < 0) {
                start = start + step * (slicelen - 1);
                step = -step;
            }
            char *buf = self->ob_start;
            Py_ssize_t out = start, k = 0;
            for (Py_ssize_t i = start; i < size; i++) {
                if (k < slicelen && i == start + k * step) {
                    k++;
                    continue;
                }
                buf[out++] = buf[i];
            }
            r = ba_resize_locked(self, size - slicelen);
        }
    }
    else if (n != slicelen) {
        PyErr_Format(PyExc_ValueError,
                     "attempt to assign bytes of size %zd to extended "
                     "slice of size %zd", n, slicelen);
        r = -1;
    }
    else {
        for (Py_ssize_t k = 0, j = start; k < slicelen; k++, j += step) {
            self->ob_start[j] = data[k];
        }
    }
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(bytes);
    return r;
}

/* ------------------------------------------------------ methods */

static PyObject *
bytearray_append(PyObject *op, PyObject *arg)
{
    int v;
    if (_PyBytes_GetByte(arg, &v) < 0) {
        return NULL;
    }
    char c = (char)v;
    int r;
    Py_BEGIN_CRITICAL_SECTION(op);
    r = ba_append_locked(BA(op), &c, 1);
    Py_END_CRITICAL_SECTION();
    if (r < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
bytearray_extend(PyObject *op, PyObject *iterable)
{
    if (PyUnicode_Check(iterable)) {
        PyErr_SetString(PyExc_TypeError,
                        "expected iterable of integers; got: 'str'");
        return NULL;
    }
    if (ba_extend_buffer(BA(op), iterable) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
bytearray_insert(PyObject *op, PyObject *args)
{
    Py_ssize_t where;
    PyObject *item;
    int v;
    if (!PyArg_ParseTuple(args, "nO:insert", &where, &item) ||
        _PyBytes_GetByte(item, &v) < 0) {
        return NULL;
    }
    char c = (char)v;
    int r;
    Py_BEGIN_CRITICAL_SECTION(op);
    Py_ssize_t n = Py_SIZE(op);
    if (where < 0) {
        where += n;
        if (where < 0) {
            where = 0;
        }
    }
    if (where > n) {
        where = n;
    }
    r = ba_setslice_locked(BA(op), where, where, &c, 1);
    Py_END_CRITICAL_SECTION();
    if (r < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
bytearray_pop(PyObject *op, PyObject *args)
{
    Py_ssize_t i = -1;
    if (!PyArg_ParseTuple(args, "|n:pop", &i)) {
        return NULL;
    }
    int v = -1;
    const char *err = NULL;
    Py_BEGIN_CRITICAL_SECTION(op);
    Py_ssize_t n = Py_SIZE(op);
    if (n == 0) {
        err = "pop from empty bytearray";
    }
    else {
        if (i < 0) {
            i += n;
        }
        if (i < 0 || i >= n) {
            err = "pop index out of range";
        }
        else {
            v = (unsigned char)BA(op)->ob_start[i];
            if (ba_setslice_locked(BA(op), i, i + 1, NULL, 0) < 0) {
                v = -2;
            }
        }
    }
    Py_END_CRITICAL_SECTION();
    if (err != NULL) {
        PyErr_SetString(PyExc_IndexError, err);
        return NULL;
    }
    if (v == -2) {
        return NULL;
    }
    return _PyLong_GetSmallInt(v);
}

static PyObject *
bytearray_remove(PyObject *op, PyObject *arg)
{
    int v;
    if (_PyBytes_GetByte(arg, &v) < 0) {
        return NULL;
    }
    int r = 0, found = 0;
    Py_BEGIN_CRITICAL_SECTION(op);
    char *p = memchr(ba_data(BA(op)), v, (size_t)Py_SIZE(op));
    if (p != NULL) {
        found = 1;
        Py_ssize_t i = p - BA(op)->ob_start;
        r = ba_setslice_locked(BA(op), i, i + 1, NULL, 0);
    }
    Py_END_CRITICAL_SECTION();
    if (!found) {
        PyErr_SetString(PyExc_ValueError, "value not found in bytearray");
        return NULL;
    }
    if (r < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
bytearray_clear(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    if (PyByteArray_Resize(op, 0) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
bytearray_copy(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    PyObject *res;
    Py_BEGIN_CRITICAL_SECTION(op);
    res = PyByteArray_FromStringAndSize(ba_data(BA(op)), Py_SIZE(op));
    Py_END_CRITICAL_SECTION();
    return res;
}

static PyObject *
bytearray_reverse(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    Py_BEGIN_CRITICAL_SECTION(op);
    char *b = ba_data(BA(op));
    for (Py_ssize_t lo = 0, hi = Py_SIZE(op) - 1; lo < hi; lo++, hi--) {
        char t = b[lo];
        b[lo] = b[hi];
        b[hi] = t;
    }
    Py_END_CRITICAL_SECTION();
    Py_RETURN_NONE;
}

static PyObject *
bytearray_decode(PyObject *op, PyObject *args, PyObject *kwds)
{
    PyObject *snap;
    Py_BEGIN_CRITICAL_SECTION(op);
    snap = PyBytes_FromStringAndSize(ba_data(BA(op)), Py_SIZE(op));
    Py_END_CRITICAL_SECTION();
    if (snap == NULL) {
        return NULL;
    }
    PyObject *res = _PyBytes_Decode(PyBytes_AS_STRING(snap),
                                    PyBytes_GET_SIZE(snap), args, kwds);
    Py_DECREF(snap);
    return res;
}

static PyObject *
bytearray_hex(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"sep", "bytes_per_sep", NULL};
    PyObject *sep = NULL;
    int bytes_per_sep = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|Oi:hex", kwlist, &sep,
                                     &bytes_per_sep)) {
        return NULL;
    }
    PyObject *snap;
    Py_BEGIN_CRITICAL_SECTION(op);
    snap = PyBytes_FromStringAndSize(ba_data(BA(op)), Py_SIZE(op));
    Py_END_CRITICAL_SECTION();
    if (snap == NULL) {
        return NULL;
    }
    PyObject *res = _PyBytes_HexBuffer(PyBytes_AS_STRING(snap),
                                       PyBytes_GET_SIZE(snap), sep,
                                       bytes_per_sep);
    Py_DECREF(snap);
    return res;
}

static PyObject *
bytearray_fromhex(PyObject *type, PyObject *string)
{
    PyObject *res = _PyBytes_FromHex(string, 1);
    if (res != NULL && type != (PyObject *)&PyByteArray_Type) {
        Py_SETREF(res, PyObject_CallOneArg(type, res));
    }
    return res;
}

static PyObject *
bytearray_alloc(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t(_Py_atomic_load_ssize_relaxed(
        &BA(op)->ob_alloc));
}

static PyObject *
bytearray_sizeof(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t((Py_ssize_t)sizeof(PyByteArrayObject) +
                              _Py_atomic_load_ssize_relaxed(
                                  &BA(op)->ob_alloc));
}

/* A snapshot of the contents, taken under the lock (new bytes). */
static PyObject *
ba_snapshot(PyObject *op)
{
    PyObject *snap;
    Py_BEGIN_CRITICAL_SECTION(op);
    snap = PyBytes_FromStringAndSize(ba_data(BA(op)), Py_SIZE(op));
    Py_END_CRITICAL_SECTION();
    return snap;
}

/* The shared methods (Objects/bytes_methods.c) run on a snapshot, so
   another thread's mutation cannot move the buffer under them. */
#define BA_WRAP(name)                                                     \
    static PyObject *                                                     \
    bytearray_m_##name(PyObject *self, PyObject *args, PyObject *kwds)    \
    {                                                                     \
        PyObject *snap = ba_snapshot(self);                               \
        if (snap == NULL) {                                               \
            return NULL;                                                  \
        }                                                                 \
        _PyBytesView v = {PyBytes_AS_STRING(snap), PyBytes_GET_SIZE(snap),\
                          1, NULL};                                       \
        PyObject *res = _Py_bytes_##name(&v, args, kwds);                 \
        Py_DECREF(snap);                                                  \
        return res;                                                       \
    }
_PY_BYTES_SHARED_METHODS(BA_WRAP)
#undef BA_WRAP

#define BA_METHODDEF(name)                                                \
    {#name, _PyCFunction_CAST(bytearray_m_##name),                        \
     METH_VARARGS | METH_KEYWORDS, NULL},

static PyObject *
bytearray_mod(PyObject *self, PyObject *args)
{
    if (!PyByteArray_Check(self)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *snap = ba_snapshot(self);
    if (snap == NULL) {
        return NULL;
    }
    PyObject *res = _PyBytes_FormatEx(PyBytes_AS_STRING(snap),
                                      PyBytes_GET_SIZE(snap), args, 1);
    Py_DECREF(snap);
    return res;
}

static PyNumberMethods bytearray_as_number = {
    .nb_remainder = bytearray_mod,
};

static PyMethodDef bytearray_methods[] = {
    _PY_BYTES_SHARED_METHODS(BA_METHODDEF)
    {"maketrans", _PyBytes_MakeTrans, METH_VARARGS | METH_STATIC, NULL},
    {"__alloc__", bytearray_alloc, METH_NOARGS, NULL},
    {"__sizeof__", bytearray_sizeof, METH_NOARGS, NULL},
    {"append", bytearray_append, METH_O, NULL},
    {"extend", bytearray_extend, METH_O, NULL},
    {"insert", bytearray_insert, METH_VARARGS, NULL},
    {"pop", bytearray_pop, METH_VARARGS, NULL},
    {"remove", bytearray_remove, METH_O, NULL},
    {"clear", bytearray_clear, METH_NOARGS, NULL},
    {"copy", bytearray_copy, METH_NOARGS, NULL},
    {"reverse", bytearray_reverse, METH_NOARGS, NULL},
    {"decode", _PyCFunction_CAST(bytearray_decode),
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"hex", _PyCFunction_CAST(bytearray_hex), METH_VARARGS | METH_KEYWORDS,
     NULL},
    {"fromhex", bytearray_fromhex, METH_O | METH_CLASS, NULL},
    {NULL, NULL, 0, NULL}
};

/* ------------------------------------------------------ construction */

static int
bytearray_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"source", "encoding", "errors", NULL};
    PyObject *arg = NULL;
    const char *encoding = NULL, *errors = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|Oss:bytearray", kwlist,
                                     &arg, &encoding, &errors)) {
        return -1;
    }
    PyObject *content;
    if (arg == NULL) {
        if (encoding != NULL || errors != NULL) {
            PyErr_SetString(PyExc_TypeError,
                            encoding != NULL ?
                            "encoding without a string argument" :
                            "errors without a string argument");
            return -1;
        }
        content = PyBytes_FromStringAndSize(NULL, 0);
    }
    else if (PyUnicode_Check(arg)) {
        if (encoding == NULL) {
            PyErr_SetString(PyExc_TypeError,
                            "string argument without an encoding");
            return -1;
        }
        content = PyUnicode_AsEncodedString(arg, encoding, errors);
    }
    else if (encoding != NULL || errors != NULL) {
        PyErr_SetString(PyExc_TypeError,
                        encoding != NULL ?
                        "encoding without a string argument" :
                        "errors without a string argument");
        return -1;
    }
    else if (PyIndex_Check(arg)) {
        Py_ssize_t count = PyNumber_AsSsize_t(arg, PyExc_OverflowError);
        if (count == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (count < 0) {
            PyErr_SetString(PyExc_ValueError, "negative count");
            return -1;
        }
        content = PyBytes_FromStringAndSize(NULL, count);
        if (content != NULL && count > 0) {
            memset(PyBytes_AS_STRING(content), 0, (size_t)count);
        }
    }
    else {
        content = PyBytes_FromObject(arg);
    }
    if (content == NULL) {
        return -1;
    }
    int r;
    Py_BEGIN_CRITICAL_SECTION(op);
    r = ba_resize_locked(BA(op), 0);
    if (r == 0) {
        r = ba_append_locked(BA(op), PyBytes_AS_STRING(content),
                             PyBytes_GET_SIZE(content));
    }
    Py_END_CRITICAL_SECTION();
    Py_DECREF(content);
    return r;
}

static PySequenceMethods bytearray_as_sequence = {
    .sq_length = bytearray_length,
    .sq_concat = bytearray_concat,
    .sq_repeat = bytearray_repeat,
    .sq_item = bytearray_item,
    .sq_contains = bytearray_contains,
    .sq_inplace_concat = bytearray_iconcat,
    .sq_inplace_repeat = bytearray_irepeat,
};

static PyMappingMethods bytearray_as_mapping = {
    .mp_length = bytearray_length,
    .mp_subscript = bytearray_subscript,
    .mp_ass_subscript = bytearray_ass_subscript,
};

static PyObject *bytearray_iter(PyObject *seq);

static const char bytearray_doc[] =
"bytearray(iterable_of_ints) -> bytearray\n"
"bytearray(string, encoding[, errors]) -> bytearray\n"
"bytearray(bytes_or_buffer) -> mutable copy of bytes_or_buffer\n"
"bytearray(int) -> bytes array of size given by the parameter "
"initialized with null bytes\n"
"bytearray() -> empty bytes array";

PyTypeObject PyByteArray_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "bytearray",
    .tp_basicsize = sizeof(PyByteArrayObject),
    .tp_dealloc = bytearray_dealloc,
    .tp_repr = bytearray_repr,
    .tp_as_number = &bytearray_as_number,
    .tp_as_sequence = &bytearray_as_sequence,
    .tp_as_mapping = &bytearray_as_mapping,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_as_buffer = &bytearray_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                _Py_TPFLAGS_MATCH_SELF | Py_TPFLAGS_SEQUENCE,
    .tp_doc = bytearray_doc,
    .tp_richcompare = bytearray_richcompare,
    .tp_iter = bytearray_iter,
    .tp_methods = bytearray_methods,
    .tp_init = bytearray_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_Free,
};

/* ------------------------------------------------------ iterator */

/* Each next() reads one byte under the bytearray's lock; the index is a
   relaxed atomic (racing next() calls may repeat or skip a byte). */
typedef struct {
    PyObject_HEAD
    Py_ssize_t it_index;
    PyObject *it_seq;
} bytearrayiterobject;

static PyObject *
bytearray_iter(PyObject *seq)
{
    bytearrayiterobject *it = PyObject_Malloc(sizeof(bytearrayiterobject));
    if (it == NULL) {
        return PyErr_NoMemory();
    }
    _PyObject_InitHeader((PyObject *)it, &PyByteArrayIter_Type);
    it->it_index = 0;
    it->it_seq = Py_NewRef(seq);
    return (PyObject *)it;
}

static void
bytearrayiter_dealloc(PyObject *op)
{
    Py_DECREF(((bytearrayiterobject *)op)->it_seq);
    PyObject_Free(op);
}

static PyObject *
bytearrayiter_next(PyObject *op)
{
    bytearrayiterobject *it = (bytearrayiterobject *)op;
    Py_ssize_t i = _Py_atomic_load_ssize_relaxed(&it->it_index);
    if (i < 0) {
        return NULL;
    }
    int v = -1;
    Py_BEGIN_CRITICAL_SECTION(it->it_seq);
    if (i < Py_SIZE(it->it_seq)) {
        v = (unsigned char)ba_data(BA(it->it_seq))[i];
    }
    Py_END_CRITICAL_SECTION();
    if (v < 0) {
        _Py_atomic_store_ssize_relaxed(&it->it_index, -1);
        return NULL;
    }
    _Py_atomic_store_ssize_relaxed(&it->it_index, i + 1);
    return _PyLong_GetSmallInt(v);
}

PyTypeObject PyByteArrayIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "bytearray_iterator",
    .tp_basicsize = sizeof(bytearrayiterobject),
    .tp_dealloc = bytearrayiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = bytearrayiter_next,
};

int
_PyByteArray_InitTypes(void)
{
    if (PyType_Ready(&PyByteArray_Type) < 0) {
        return -1;
    }
    return PyType_Ready(&PyByteArrayIter_Type);
}
