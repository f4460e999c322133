/* _io.BytesIO: a binary stream over an in-memory buffer.
 *
 * Thread safety: the buffer, its length, the position and the closed
 * flag are read and written only inside a critical section on the
 * object.  No method blocks or runs Python code inside the section:
 * arguments are converted (and buffers of other objects acquired) before
 * it begins.  So two threads writing to one BytesIO never lose bytes;
 * their writes are ordered but not interleaved mid-call. */
#include "Python.h"
#include "pycore_critical_section.h"
#include "pycore_io.h"

typedef struct {
    _PyIO_HEAD
    char *buf;
    Py_ssize_t len;     /* bytes of data */
    Py_ssize_t cap;     /* bytes allocated */
    Py_ssize_t pos;     /* may exceed len: writing there zero-fills */
    int closed;
    Py_ssize_t exports; /* live getbuffer() views: no resizing while > 0 */
} bytesio;

/* getbuffer()'s exporter: a view of a BytesIO's bytes that pins its
   buffer (exports > 0) until released. */
typedef struct {
    PyObject_HEAD
    bytesio *source;
} bytesiobuf;

static PyTypeObject bytesiobuf_type;

/* BufferError if views are exported.  Locked.  0/-1. */
static int
bio_check_exports(bytesio *self)
{
    if (self->exports > 0) {
        PyErr_SetString(PyExc_BufferError,
                        "Existing exports of data: object cannot be "
                        "re-sized");
        return -1;
    }
    return 0;
}

static PyObject *
err_closed(void)
{
    PyErr_SetString(PyExc_ValueError, "I/O operation on closed file.");
    return NULL;
}

/* Grow the allocation to hold need bytes.  Locked.  0 or -1. */
static int
bio_reserve(bytesio *self, Py_ssize_t need)
{
    if (need <= self->cap) {
        return 0;
    }
    Py_ssize_t ncap = self->cap + (self->cap >> 1);
    if (ncap < need) {
        ncap = need;
    }
    char *nb = PyMem_Realloc(self->buf, ncap ? ncap : 1);
    if (nb == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->buf = nb;
    self->cap = ncap;
    return 0;
}

/* Write n bytes at pos, zero-filling a gap.  Locked.  0 or -1. */
static int
bio_write_bytes(bytesio *self, const char *data, Py_ssize_t n)
{
    if (n == 0) {
        return 0;
    }
    Py_ssize_t end = self->pos + n;
    if (bio_reserve(self, end) < 0) {
        return -1;
    }
    if (self->pos > self->len) {
        memset(self->buf + self->len, 0, self->pos - self->len);
    }
    memcpy(self->buf + self->pos, data, n);
    self->pos = end;
    if (end > self->len) {
        self->len = end;
    }
    return 0;
}

/* Bytes available from pos, clipped to size (-1 = all).  Locked. */
static Py_ssize_t
bio_avail(bytesio *self, Py_ssize_t size)
{
    Py_ssize_t n = self->len - self->pos;
    if (n < 0) {
        n = 0;
    }
    if (size >= 0 && size < n) {
        n = size;
    }
    return n;
}

/* Take n bytes from pos as a new bytes object.  Locked. */
static PyObject *
bio_take(bytesio *self, Py_ssize_t n)
{
    PyObject *r = PyBytes_FromStringAndSize(self->buf + self->pos, n);
    if (r != NULL) {
        self->pos += n;
    }
    return r;
}

/* Length of the next line (up to and including '\n'), at most limit. */
static Py_ssize_t
bio_line_len(bytesio *self, Py_ssize_t limit)
{
    Py_ssize_t n = bio_avail(self, limit);
    const char *start = self->buf + self->pos;
    const char *nl = n > 0 ? memchr(start, '\n', n) : NULL;
    return nl != NULL ? nl - start + 1 : n;
}

static PyObject *
bytesio_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    bytesio *self = (bytesio *)type->tp_alloc(type, 0);
    return (PyObject *)self;
}

static int
bytesio_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"initial_bytes", NULL};
    PyObject *initial = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:BytesIO", kwlist,
                                     &initial)) {
        return -1;
    }
    Py_buffer view = {0};
    if (initial != NULL && initial != Py_None &&
        PyObject_GetBuffer(initial, &view, PyBUF_SIMPLE) < 0) {
        return -1;
    }
    bytesio *self = (bytesio *)op;
    int r = 0;
    Py_BEGIN_CRITICAL_SECTION(self);
    if (bio_check_exports(self) < 0) {
        r = -1;
        goto locked_done;
    }
    self->len = 0;
    self->pos = 0;
    self->closed = 0;
    if (view.buf != NULL) {
        r = bio_write_bytes(self, view.buf, view.len);
        self->pos = 0;
    }
locked_done:
    Py_END_CRITICAL_SECTION();
    if (view.obj != NULL) {
        PyBuffer_Release(&view);
    }
    return r;
}

static int
bytesio_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(((bytesio *)op)->dict);
    return 0;
}

static int
bytesio_clear(PyObject *op)
{
    Py_CLEAR(((bytesio *)op)->dict);
    return 0;
}

static void
bytesio_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    bytesio_clear(op);
    PyMem_Free(((bytesio *)op)->buf);
    Py_TYPE(op)->tp_free(op);
}

/* The common shape of a locked method: check closed, run body. */
#define BIO_LOCKED(self, ...)                                           \
    do {                                                                \
        Py_BEGIN_CRITICAL_SECTION(self);                                \
        if ((self)->closed) {                                           \
            err_closed();                                               \
        }                                                               \
        else {                                                          \
            __VA_ARGS__;                                                \
        }                                                               \
        Py_END_CRITICAL_SECTION();                                      \
    } while (0)

static PyObject *
bytesio_getvalue(PyObject *op, PyObject *unused)
{
    bytesio *self = (bytesio *)op;
    PyObject *r = NULL;
    BIO_LOCKED(self, r = PyBytes_FromStringAndSize(self->buf, self->len));
    return r;
}

static PyObject *
bytesio_getbuffer(PyObject *op, PyObject *unused)
{
    bytesio *self = (bytesio *)op;
    int closed;
    Py_BEGIN_CRITICAL_SECTION(self);
    closed = self->closed;
    Py_END_CRITICAL_SECTION();
    if (closed) {
        return err_closed();
    }
    bytesiobuf *b = PyObject_New(bytesiobuf, &bytesiobuf_type);
    if (b == NULL) {
        return NULL;
    }
    b->source = (bytesio *)Py_NewRef(op);
    PyObject *view = PyMemoryView_FromObject((PyObject *)b);
    Py_DECREF(b);
    return view;
}

static PyObject *
bytesio_read(PyObject *op, PyObject *args)
{
    bytesio *self = (bytesio *)op;
    Py_ssize_t size = -1;
    if (!PyArg_ParseTuple(args, "|O&:read", _PyIO_ConvertSsize, &size)) {
        return NULL;
    }
    PyObject *r = NULL;
    BIO_LOCKED(self, r = bio_take(self, bio_avail(self, size)));
    return r;
}

static PyObject *
bytesio_readline(PyObject *op, PyObject *args)
{
    bytesio *self = (bytesio *)op;
    Py_ssize_t size = -1;
    if (!PyArg_ParseTuple(args, "|O&:readline", _PyIO_ConvertSsize,
                          &size)) {
        return NULL;
    }
    PyObject *r = NULL;
    BIO_LOCKED(self, r = bio_take(self, bio_line_len(self, size)));
    return r;
}

static PyObject *
bytesio_iternext(PyObject *op)
{
    bytesio *self = (bytesio *)op;
    PyObject *r = NULL;
    BIO_LOCKED(self, {
        Py_ssize_t n = bio_line_len(self, -1);
        if (n > 0) {
            r = bio_take(self, n);
        }
    });
    return r;
}

static PyObject *
bytesio_readlines(PyObject *op, PyObject *args)
{
    bytesio *self = (bytesio *)op;
    Py_ssize_t hint = -1;
    if (!PyArg_ParseTuple(args, "|O&:readlines", _PyIO_ConvertSsize,
                          &hint)) {
        return NULL;
    }
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    int ok = 0;
    BIO_LOCKED(self, {
        Py_ssize_t total = 0, n;
        ok = 1;
        while ((n = bio_line_len(self, -1)) > 0) {
            PyObject *line = bio_take(self, n);
            if (line == NULL || PyList_Append(list, line) < 0) {
                Py_XDECREF(line);
                ok = 0;
                break;
            }
            Py_DECREF(line);
            total += n;
            if (hint > 0 && total >= hint) {
                break;
            }
        }
    });
    if (!ok) {
        Py_DECREF(list);
        return NULL;
    }
    return list;
}

static PyObject *
bytesio_readinto(PyObject *op, PyObject *args)
{
    bytesio *self = (bytesio *)op;
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "w*:readinto", &view)) {
        return NULL;
    }
    Py_ssize_t n = -1;
    BIO_LOCKED(self, {
        n = bio_avail(self, view.len);
        memcpy(view.buf, self->buf + self->pos, n);
        self->pos += n;
    });
    PyBuffer_Release(&view);
    return n < 0 ? NULL : PyLong_FromSsize_t(n);
}

static PyObject *
bytesio_write(PyObject *op, PyObject *arg)
{
    bytesio *self = (bytesio *)op;
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    Py_ssize_t n = -1;
    BIO_LOCKED(self, {
        if (bio_check_exports(self) == 0 &&
            bio_write_bytes(self, view.buf, view.len) == 0) {
            n = view.len;
        }
    });
    PyBuffer_Release(&view);
    return n < 0 ? NULL : PyLong_FromSsize_t(n);
}

static PyObject *
bytesio_writelines(PyObject *op, PyObject *lines)
{
    PyObject *it = PyObject_GetIter(lines);
    if (it == NULL) {
        return NULL;
    }
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        PyObject *r = bytesio_write(op, item);
        Py_DECREF(item);
        if (r == NULL) {
            Py_DECREF(it);
            return NULL;
        }
        Py_DECREF(r);
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
bytesio_seek(PyObject *op, PyObject *args)
{
    bytesio *self = (bytesio *)op;
    Py_ssize_t pos;
    int whence = 0;
    if (!PyArg_ParseTuple(args, "n|i:seek", &pos, &whence)) {
        return NULL;
    }
    if (pos < 0 && whence == 0) {
        PyErr_Format(PyExc_ValueError, "negative seek value %zd", pos);
        return NULL;
    }
    if (whence < 0 || whence > 2) {
        PyErr_Format(PyExc_ValueError,
                     "invalid whence (%i, should be 0, 1 or 2)", whence);
        return NULL;
    }
    PyObject *r = NULL;
    BIO_LOCKED(self, {
        if (whence == 1) {
            pos = pos > PY_SSIZE_T_MAX - self->pos ? PY_SSIZE_T_MAX
                                                   : self->pos + pos;
        }
        else if (whence == 2) {
            pos = pos > PY_SSIZE_T_MAX - self->len ? PY_SSIZE_T_MAX
                                                   : self->len + pos;
        }
        self->pos = pos < 0 ? 0 : pos;
        r = PyLong_FromSsize_t(self->pos);
    });
    return r;
}

static PyObject *
bytesio_tell(PyObject *op, PyObject *unused)
{
    bytesio *self = (bytesio *)op;
    PyObject *r = NULL;
    BIO_LOCKED(self, r = PyLong_FromSsize_t(self->pos));
    return r;
}

static PyObject *
bytesio_truncate(PyObject *op, PyObject *args)
{
    bytesio *self = (bytesio *)op;
    PyObject *sizeobj = Py_None;
    if (!PyArg_ParseTuple(args, "|O:truncate", &sizeobj)) {
        return NULL;
    }
    Py_ssize_t size = -1;
    if (sizeobj != Py_None) {
        size = PyNumber_AsSsize_t(sizeobj, PyExc_OverflowError);
        if (size == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (size < 0) {
            PyErr_Format(PyExc_ValueError, "negative size value %zd", size);
            return NULL;
        }
    }
    PyObject *r = NULL;
    BIO_LOCKED(self, {
        if (bio_check_exports(self) == 0) {
            if (size < 0) {
                size = self->pos;
            }
            if (size < self->len) {
                self->len = size;
            }
            r = PyLong_FromSsize_t(size);
        }
    });
    return r;
}

static PyObject *
bytesio_check_open(PyObject *op, int value)
{
    bytesio *self = (bytesio *)op;
    PyObject *r = NULL;
    BIO_LOCKED(self, r = PyBool_FromLong(value));
    return r;
}

static PyObject *
bytesio_true(PyObject *op, PyObject *unused)
{
    return bytesio_check_open(op, 1);
}

static PyObject *
bytesio_isatty(PyObject *op, PyObject *unused)
{
    return bytesio_check_open(op, 0);
}

static PyObject *
bytesio_flush(PyObject *op, PyObject *unused)
{
    PyObject *r = bytesio_check_open(op, 0);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    Py_RETURN_NONE;
}

static PyObject *
bytesio_close(PyObject *op, PyObject *unused)
{
    bytesio *self = (bytesio *)op;
    int ok = 0;
    Py_BEGIN_CRITICAL_SECTION(self);
    if (bio_check_exports(self) == 0) {
        self->closed = 1;
        PyMem_Free(self->buf);
        self->buf = NULL;
        self->len = self->cap = self->pos = 0;
        ok = 1;
    }
    Py_END_CRITICAL_SECTION();
    if (!ok) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
bytesio_closed_get(PyObject *op, void *context)
{
    bytesio *self = (bytesio *)op;
    int c;
    Py_BEGIN_CRITICAL_SECTION(self);
    c = self->closed;
    Py_END_CRITICAL_SECTION();
    return PyBool_FromLong(c);
}

/* __getstate__: (value, position, dict copy or None). */
static PyObject *
bytesio_getstate(PyObject *op, PyObject *unused)
{
    bytesio *self = (bytesio *)op;
    PyObject *value = bytesio_getvalue(op, NULL);
    if (value == NULL) {
        return NULL;
    }
    Py_ssize_t pos;
    Py_BEGIN_CRITICAL_SECTION(self);
    pos = self->pos;
    Py_END_CRITICAL_SECTION();
    PyObject *dict = self->dict != NULL ? PyDict_Copy(self->dict)
                                        : Py_NewRef(Py_None);
    if (dict == NULL) {
        Py_DECREF(value);
        return NULL;
    }
    PyObject *r = Py_BuildValue("(NnN)", value, pos, dict);
    return r;
}

static PyObject *
bytesio_setstate(PyObject *op, PyObject *state)
{
    bytesio *self = (bytesio *)op;
    if (!PyTuple_Check(state) || PyTuple_GET_SIZE(state) < 3) {
        PyErr_Format(PyExc_TypeError,
                     "%.200s.__setstate__ argument should be 3-tuple, got "
                     "%.200s", Py_TYPE(op)->tp_name,
                     Py_TYPE(state)->tp_name);
        return NULL;
    }
    PyObject *args = PyTuple_Pack(1, PyTuple_GET_ITEM(state, 0));
    if (args == NULL || bytesio_init(op, args, NULL) < 0) {
        Py_XDECREF(args);
        return NULL;
    }
    Py_DECREF(args);
    Py_ssize_t pos = PyNumber_AsSsize_t(PyTuple_GET_ITEM(state, 1),
                                        PyExc_OverflowError);
    if (pos == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (pos < 0) {
        PyErr_SetString(PyExc_ValueError,
                        "position value cannot be negative");
        return NULL;
    }
    Py_BEGIN_CRITICAL_SECTION(self);
    self->pos = pos;
    Py_END_CRITICAL_SECTION();
    PyObject *d = PyTuple_GET_ITEM(state, 2);
    if (d != Py_None) {
        PyObject **dictptr = &self->dict;
        if (*dictptr == NULL) {
            *dictptr = PyDict_New();
            if (*dictptr == NULL) {
                return NULL;
            }
        }
        if (PyDict_Update(*dictptr, d) < 0) {
            return NULL;
        }
    }
    Py_RETURN_NONE;
}

static PyObject *
bytesio_sizeof(PyObject *op, PyObject *unused)
{
    bytesio *self = (bytesio *)op;
    return PyLong_FromSsize_t(Py_TYPE(op)->tp_basicsize + self->cap);
}

static PyMethodDef bytesio_methods[] = {
    {"readable", bytesio_true, METH_NOARGS, NULL},
    {"seekable", bytesio_true, METH_NOARGS, NULL},
    {"writable", bytesio_true, METH_NOARGS, NULL},
    {"close", bytesio_close, METH_NOARGS, NULL},
    {"flush", bytesio_flush, METH_NOARGS, NULL},
    {"isatty", bytesio_isatty, METH_NOARGS, NULL},
    {"tell", bytesio_tell, METH_NOARGS, NULL},
    {"write", bytesio_write, METH_O, NULL},
    {"writelines", bytesio_writelines, METH_O, NULL},
    {"read1", bytesio_read, METH_VARARGS, NULL},
    {"readinto", bytesio_readinto, METH_VARARGS, NULL},
    {"readline", bytesio_readline, METH_VARARGS, NULL},
    {"readlines", bytesio_readlines, METH_VARARGS, NULL},
    {"read", bytesio_read, METH_VARARGS, NULL},
    {"getbuffer", bytesio_getbuffer, METH_NOARGS, NULL},
    {"getvalue", bytesio_getvalue, METH_NOARGS, NULL},
    {"seek", bytesio_seek, METH_VARARGS, NULL},
    {"truncate", bytesio_truncate, METH_VARARGS, NULL},
    {"__getstate__", bytesio_getstate, METH_NOARGS, NULL},
    {"__setstate__", bytesio_setstate, METH_O, NULL},
    {"__sizeof__", bytesio_sizeof, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef bytesio_getset[] = {
    {"closed", bytesio_closed_get, NULL,
     "True if the file is closed.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject _PyBytesIO_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io.BytesIO",
    .tp_basicsize = sizeof(bytesio),
    .tp_dealloc = bytesio_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Buffered I/O implementation using an in-memory bytes "
              "buffer.",
    .tp_traverse = bytesio_traverse,
    .tp_clear = bytesio_clear,
    .tp_weaklistoffset = offsetof(bytesio, weakreflist),
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = bytesio_iternext,
    .tp_methods = bytesio_methods,
    .tp_getset = bytesio_getset,
    .tp_base = &_PyBufferedIOBase_Type,
    .tp_dictoffset = offsetof(bytesio, dict),
    .tp_init = bytesio_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = bytesio_new,
    .tp_free = PyObject_GC_Del,
};

/* ---------------------------------------------- getbuffer()'s exporter */

static void
bytesiobuf_dealloc(PyObject *op)
{
    Py_XDECREF(((bytesiobuf *)op)->source);
    Py_TYPE(op)->tp_free(op);
}

/* Export the BytesIO's bytes in place and pin them. */
static int
bytesiobuf_getbuffer(PyObject *op, Py_buffer *view, int flags)
{
    bytesio *src = ((bytesiobuf *)op)->source;
    int r;
    Py_BEGIN_CRITICAL_SECTION(src);
    r = bio_reserve(src, 1);
    if (r == 0) {
        r = PyBuffer_FillInfo(view, op, src->buf, src->len, 0, flags);
        if (r == 0) {
            src->exports++;
        }
    }
    Py_END_CRITICAL_SECTION();
    return r;
}

static void
bytesiobuf_releasebuffer(PyObject *op, Py_buffer *view)
{
    bytesio *src = ((bytesiobuf *)op)->source;
    Py_BEGIN_CRITICAL_SECTION(src);
    src->exports--;
    Py_END_CRITICAL_SECTION();
}

static PyBufferProcs bytesiobuf_as_buffer = {
    .bf_getbuffer = bytesiobuf_getbuffer,
    .bf_releasebuffer = bytesiobuf_releasebuffer,
};

static PyTypeObject bytesiobuf_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io._BytesIOBuffer",
    .tp_basicsize = sizeof(bytesiobuf),
    .tp_dealloc = bytesiobuf_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_as_buffer = &bytesiobuf_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

/* Called by PyInit__io: the exporter type is not in the module dict. */
int
_PyBytesIO_InitTypes(void)
{
    return PyType_Ready(&bytesiobuf_type);
}
