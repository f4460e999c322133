/* Buffer-protocol helpers over any Py_buffer: element pointers, copies
 * between a (strided, possibly indirect) buffer and contiguous memory in
 * C or Fortran order, and contiguous strides.
 *
 * They work only on the Py_buffer they are given and on caller-provided
 * memory; the buffer's exporter keeps it alive and unresized while the
 * Py_buffer is held (that is the exporter's contract), so nothing here
 * locks. */
#include "Python.h"
#include "memoryobject.h"

#include <string.h>

void *
PyBuffer_GetPointer(const Py_buffer *view, const Py_ssize_t *indices)
{
    char *p = (char *)view->buf;
    for (int d = 0; d < view->ndim; d++) {
        Py_ssize_t stride = view->strides != NULL ? view->strides[d]
                                                  : view->itemsize;
        p += stride * indices[d];
        if (view->suboffsets != NULL && view->suboffsets[d] >= 0) {
            p = *((char **)p) + view->suboffsets[d];
        }
    }
    return p;
}

/* The size of one item of a struct-module format; -1 with an exception.
   Native single-character formats are answered here, others by
   struct.calcsize. */
Py_ssize_t
PyBuffer_SizeFromFormat(const char *format)
{
    const char *f = format[0] == '@' ? format + 1 : format;
    if (f[0] != '\0' && f[1] == '\0') {
        switch (f[0]) {
        case 'b': case 'B': case 'c': case '?': case 'x': return 1;
        case 'h': case 'H': case 'e': return 2;
        case 'i': case 'I': case 'f': return 4;
        case 'l': case 'L': return (Py_ssize_t)sizeof(long);
        case 'q': case 'Q': case 'd': return 8;
        case 'n': case 'N': return (Py_ssize_t)sizeof(size_t);
        case 'P': return (Py_ssize_t)sizeof(void *);
        default: break;
        }
    }
    PyObject *mod = PyImport_ImportModule("struct");
    if (mod == NULL) {
        return -1;
    }
    PyObject *res = PyObject_CallMethod(mod, "calcsize", "s", format);
    Py_DECREF(mod);
    if (res == NULL) {
        return -1;
    }
    Py_ssize_t size = PyLong_AsSsize_t(res);
    Py_DECREF(res);
    return size;
}

void
PyBuffer_FillContiguousStrides(int nd, Py_ssize_t *shape, Py_ssize_t *strides,
                               int itemsize, char order)
{
    Py_ssize_t sd = itemsize;
    if (order == 'F') {
        for (int k = 0; k < nd; k++) {
            strides[k] = sd;
            sd *= shape[k];
        }
    }
    else {
        for (int k = nd - 1; k >= 0; k--) {
            strides[k] = sd;
            sd *= shape[k];
        }
    }
}

/* Whether view is contiguous in the exact sense `order` asks (strides
   checked even for one dimension). */
static int
is_contiguous(const Py_buffer *view, char order)
{
    if (view->suboffsets != NULL) {
        for (int d = 0; d < view->ndim; d++) {
            if (view->suboffsets[d] >= 0) {
                return 0;
            }
        }
    }
    if (view->strides == NULL) {
        return order != 'F' || view->ndim <= 1;
    }
    for (int d = 0; d < view->ndim; d++) {
        if (view->shape[d] == 0) {
            return 1;
        }
    }
    int c_ok = 1, f_ok = 1;
    Py_ssize_t sd = view->itemsize;
    for (int d = view->ndim - 1; d >= 0; d--) {
        if (view->shape[d] > 1 && view->strides[d] != sd) {
            c_ok = 0;
        }
        sd *= view->shape[d];
    }
    sd = view->itemsize;
    for (int d = 0; d < view->ndim; d++) {
        if (view->shape[d] > 1 && view->strides[d] != sd) {
            f_ok = 0;
        }
        sd *= view->shape[d];
    }
    return order == 'C' ? c_ok : order == 'F' ? f_ok : (c_ok || f_ok);
}

/* Visits every item of view in C order (last index fastest) or Fortran
   order (first index fastest), copying itemsize bytes between the item
   and the next slot of the contiguous memory `flat`.  to_flat chooses
   the direction.  0, or -1 with MemoryError. */
static int
copy_items(const Py_buffer *view, char *flat, char order, int to_flat)
{
    int nd = view->ndim;
    Py_ssize_t itemsize = view->itemsize;
    if (nd == 0) {
        if (to_flat) {
            memcpy(flat, view->buf, (size_t)itemsize);
        }
        else {
            memcpy(view->buf, flat, (size_t)itemsize);
        }
        return 0;
    }
    Py_ssize_t idx_stack[8];
    Py_ssize_t *idx = nd <= 8 ? idx_stack
                              : PyMem_Calloc((size_t)nd, sizeof(Py_ssize_t));
    if (idx == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memset(idx, 0, (size_t)nd * sizeof(Py_ssize_t));
    Py_ssize_t total = 1;
    for (int d = 0; d < nd; d++) {
        Py_ssize_t n = view->shape != NULL ? view->shape[d]
                                           : view->len / itemsize;
        total *= n;
    }
    for (Py_ssize_t k = 0; k < total; k++) {
        char *p = PyBuffer_GetPointer(view, idx);
        if (to_flat) {
            memcpy(flat, p, (size_t)itemsize);
        }
        else {
            memcpy(p, flat, (size_t)itemsize);
        }
        flat += itemsize;
        /* advance the odometer */
        for (int j = 0; j < nd; j++) {
            int d = order == 'F' ? j : nd - 1 - j;
            Py_ssize_t n = view->shape != NULL ? view->shape[d]
                                               : view->len / itemsize;
            if (++idx[d] < n) {
                break;
            }
            idx[d] = 0;
        }
    }
    if (idx != idx_stack) {
        PyMem_Free(idx);
    }
    return 0;
}

int
PyBuffer_ToContiguous(void *buf, const Py_buffer *src, Py_ssize_t len,
                      char order)
{
    if (len != src->len) {
        PyErr_SetString(PyExc_ValueError,
                        "PyBuffer_ToContiguous: len != view->len");
        return -1;
    }
    if (is_contiguous(src, order == 'A' ? 'C' : order) ||
        (order == 'A' && is_contiguous(src, 'F'))) {
        memcpy(buf, src->buf, (size_t)len);
        return 0;
    }
    return copy_items(src, buf, order == 'F' ? 'F' : 'C', 1);
}

int
PyBuffer_FromContiguous(const Py_buffer *view, const void *buf,
                        Py_ssize_t len, char order)
{
    if (len > view->len) {
        len = view->len;
    }
    if (is_contiguous(view, order == 'A' ? 'C' : order) ||
        (order == 'A' && is_contiguous(view, 'F'))) {
        memcpy(view->buf, buf, (size_t)len);
        return 0;
    }
    if (len < view->len) {
        PyErr_SetString(PyExc_BufferError,
                        "PyBuffer_FromContiguous: buffer too small");
        return -1;
    }
    return copy_items(view, (char *)buf, order == 'F' ? 'F' : 'C', 0);
}

int
PyObject_CopyData(PyObject *dest, PyObject *src)
{
    Py_buffer vd, vs;
    if (!PyObject_CheckBuffer(dest) || !PyObject_CheckBuffer(src)) {
        PyErr_SetString(PyExc_TypeError,
                        "both destination and source must be bytes-like "
                        "objects");
        return -1;
    }
    if (PyObject_GetBuffer(dest, &vd, PyBUF_FULL) != 0) {
        return -1;
    }
    if (PyObject_GetBuffer(src, &vs, PyBUF_FULL_RO) != 0) {
        PyBuffer_Release(&vd);
        return -1;
    }
    int r = -1;
    if (vd.len < vs.len) {
        PyErr_SetString(PyExc_BufferError,
                        "destination is too small to receive data from "
                        "source");
        goto done;
    }
    char *tmp = PyMem_Malloc((size_t)vs.len + 1);
    if (tmp == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (PyBuffer_ToContiguous(tmp, &vs, vs.len, 'C') == 0) {
        r = PyBuffer_FromContiguous(&vd, tmp, vs.len, 'C');
    }
    PyMem_Free(tmp);
done:
    PyBuffer_Release(&vs);
    PyBuffer_Release(&vd);
    return r;
}
