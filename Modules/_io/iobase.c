/* The abstract I/O bases: _IOBase, _RawIOBase, _BufferedIOBase and
 * _TextIOBase.
 *
 * _IOBase keeps its closed flag as the instance attribute
 * "__IOBase_closed" (so Python subclasses and C subclasses share one
 * protocol), and its finalizer calls close() on an object that is not
 * closed yet.  Every method here works through calls on self; the only
 * state is the instance dict, which the dict type protects itself.
 * Thread safety therefore comes from the dict and from the methods the
 * subclasses implement. */
#include "Python.h"
#include "structmember.h"
#include "pycore_io.h"

/* The layout shared by every _io object: the instance dict and weak
   reference list come first so subclasses can extend it. */
typedef struct {
    PyObject_HEAD
    PyObject *dict;
    PyObject *weakreflist;
} iobase;

/* Look up self.closed.  1/0, -1 on error. */
int
_PyIOBase_IsClosed(PyObject *self)
{
    PyObject *v = _PyIO_GetAttr(self, _PyIO_ID_closed);
    if (v == NULL) {
        return -1;
    }
    int r = PyObject_IsTrue(v);
    Py_DECREF(v);
    return r;
}

PyObject *
_PyIOBase_CheckClosed(PyObject *self)
{
    int r = _PyIOBase_IsClosed(self);
    if (r < 0) {
        return NULL;
    }
    if (r) {
        PyErr_SetString(PyExc_ValueError, "I/O operation on closed file.");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* Call self.<method>() and raise UnsupportedOperation(msg) unless it
   returns a true value.  None (new) or NULL. */
static PyObject *
check_capability(PyObject *self, const char *method, const char *msg)
{
    PyObject *r = PyObject_CallMethod(self, method, NULL);
    if (r == NULL) {
        return NULL;
    }
    if (r != Py_True) {
        Py_DECREF(r);
        return _PyIO_Unsupported(msg);
    }
    Py_DECREF(r);
    Py_RETURN_NONE;
}

PyObject *
_PyIOBase_CheckReadable(PyObject *self)
{
    return check_capability(self, "readable",
                            "File or stream is not readable.");
}

PyObject *
_PyIOBase_CheckWritable(PyObject *self)
{
    return check_capability(self, "writable",
                            "File or stream is not writable.");
}

PyObject *
_PyIOBase_CheckSeekable(PyObject *self)
{
    return check_capability(self, "seekable",
                            "File or stream is not seekable.");
}

/* Finalizer: close an open object, reporting errors as unraisable.  An
   object already closed (or whose closed attribute fails) is left
   alone. */
static void
iobase_finalize(PyObject *self)
{
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *closed = _PyIO_GetAttr(self, _PyIO_ID_closed);
    int is_closed = 1;
    if (closed == NULL) {
        PyErr_Clear();
    }
    else {
        is_closed = PyObject_IsTrue(closed);
        Py_DECREF(closed);
        if (is_closed < 0) {
            PyErr_Clear();
            is_closed = 1;
        }
    }
    if (!is_closed) {
        PyObject *dict = ((iobase *)self)->dict;
        if (dict != NULL && Py_TYPE(self)->tp_dictoffset ==
                                offsetof(iobase, dict)) {
            PyDict_SetItemString(dict, "_finalizing", Py_True);
            PyErr_Clear();
        }
        PyObject *r = PyObject_CallMethod(self, "close", NULL);
        if (r == NULL) {
            PyErr_WriteUnraisable(self);
        }
        Py_XDECREF(r);
    }
    PyErr_SetRaisedException(exc);
}

/* _finalizing: True once the finalizer has started closing the object
   (recorded in the instance dict by iobase_finalize). */
PyObject *
_PyIOBase_FinalizingGet(PyObject *self, void *context)
{
    PyObject *dict = ((iobase *)self)->dict;
    PyObject *v = dict != NULL ? PyDict_GetItemString(dict, "_finalizing")
                               : NULL;
    return PyBool_FromLong(v == Py_True);
}

int
_PyIOBase_Finalize(PyObject *self)
{
    return PyObject_CallFinalizerFromDealloc(self);
}

static int
iobase_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((iobase *)self)->dict);
    return 0;
}

static int
iobase_clear(PyObject *self)
{
    Py_CLEAR(((iobase *)self)->dict);
    return 0;
}

static void
iobase_dealloc(PyObject *self)
{
    if (_PyIOBase_Finalize(self) < 0) {
        return;
    }
    PyObject_GC_UnTrack(self);
    iobase_clear(self);
    Py_TYPE(self)->tp_free(self);
}

/* 1 if the __IOBase_closed attribute is set and true, else 0; -1. */
static int
iobase_is_closed_flag(PyObject *self)
{
    PyObject *v;
    PyObject *name = PyUnicode_FromString("__IOBase_closed");
    if (name == NULL) {
        return -1;
    }
    int r = _PyObject_LookupAttr(self, name, &v);
    Py_DECREF(name);
    if (r <= 0) {
        return r;
    }
    r = PyObject_IsTrue(v);
    Py_DECREF(v);
    return r;
}

static PyObject *
iobase_closed_get(PyObject *self, void *context)
{
    int r = iobase_is_closed_flag(self);
    return r < 0 ? NULL : PyBool_FromLong(r);
}

static PyObject *
iobase_unsupported_seek(PyObject *self, PyObject *args)
{
    return _PyIO_Unsupported("seek");
}

static PyObject *
iobase_unsupported_truncate(PyObject *self, PyObject *args)
{
    return _PyIO_Unsupported("truncate");
}

static PyObject *
iobase_tell(PyObject *self, PyObject *unused)
{
    return PyObject_CallMethod(self, "seek", "ii", 0, 1);
}

static PyObject *
iobase_flush(PyObject *self, PyObject *unused)
{
    int r = iobase_is_closed_flag(self);
    if (r < 0) {
        return NULL;
    }
    if (r) {
        PyErr_SetString(PyExc_ValueError, "I/O operation on closed file.");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* close(): flush, then mark closed even if the flush failed. */
static PyObject *
iobase_close(PyObject *self, PyObject *unused)
{
    int r = iobase_is_closed_flag(self);
    if (r < 0) {
        return NULL;
    }
    if (r) {
        Py_RETURN_NONE;
    }
    PyObject *res = PyObject_CallMethod(self, "flush", NULL);
    PyObject *exc = res == NULL ? PyErr_GetRaisedException() : NULL;
    if (PyObject_SetAttrString(self, "__IOBase_closed", Py_True) < 0) {
        Py_XDECREF(res);
        _PyErr_ChainExceptions1(exc);
        return NULL;
    }
    if (res == NULL) {
        PyErr_SetRaisedException(exc);
        return NULL;
    }
    Py_DECREF(res);
    Py_RETURN_NONE;
}

static PyObject *
iobase_false(PyObject *self, PyObject *unused)
{
    Py_RETURN_FALSE;
}

static PyObject *
iobase_check_closed_m(PyObject *self, PyObject *args)
{
    return _PyIOBase_CheckClosed(self);
}

static PyObject *
iobase_check_readable_m(PyObject *self, PyObject *args)
{
    return _PyIOBase_CheckReadable(self);
}

static PyObject *
iobase_check_writable_m(PyObject *self, PyObject *args)
{
    return _PyIOBase_CheckWritable(self);
}

static PyObject *
iobase_check_seekable_m(PyObject *self, PyObject *args)
{
    return _PyIOBase_CheckSeekable(self);
}

static PyObject *
iobase_enter(PyObject *self, PyObject *unused)
{
    PyObject *r = _PyIOBase_CheckClosed(self);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    return Py_NewRef(self);
}

static PyObject *
iobase_exit(PyObject *self, PyObject *args)
{
    return PyObject_CallMethod(self, "close", NULL);
}

static PyObject *
iobase_fileno(PyObject *self, PyObject *unused)
{
    return _PyIO_Unsupported("fileno");
}

static PyObject *
iobase_isatty(PyObject *self, PyObject *unused)
{
    PyObject *r = _PyIOBase_CheckClosed(self);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    Py_RETURN_FALSE;
}

/* How many bytes readline() may take from a peek() result: up to and
   including the first newline, at most limit (-1 = no limit). */
static Py_ssize_t
peek_line_length(PyObject *peeked, Py_ssize_t limit)
{
    const char *s = PyBytes_AS_STRING(peeked);
    Py_ssize_t n = PyBytes_GET_SIZE(peeked);
    const char *nl = memchr(s, '\n', n);
    Py_ssize_t take = nl != NULL ? nl - s + 1 : n;
    if (limit >= 0 && take > limit) {
        take = limit;
    }
    return take < 1 ? 1 : take;
}

/* getattr(obj, name, NULL): 1 found (*res new), 0 missing, -1 error. */
static int
lookup_attr(PyObject *obj, const char *name, PyObject **res)
{
    *res = PyObject_GetAttrString(obj, name);
    if (*res != NULL) {
        return 1;
    }
    if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Clear();
        return 0;
    }
    return -1;
}

/* Append the next chunk of a line to buf.  0 at EOF, 1 on progress,
   -1 on error. */
static int
readline_step(PyObject *self, PyObject *peek, PyObject *buf,
              Py_ssize_t limit)
{
    Py_ssize_t want = 1;
    if (peek != NULL) {
        PyObject *peeked = PyObject_CallFunction(peek, "i", 1);
        if (peeked == NULL) {
            return -1;
        }
        if (!PyBytes_Check(peeked)) {
            PyErr_Format(PyExc_OSError,
                         "peek() should have returned a bytes object, not "
                         "'%.200s'", Py_TYPE(peeked)->tp_name);
            Py_DECREF(peeked);
            return -1;
        }
        if (PyBytes_GET_SIZE(peeked) > 0) {
            Py_ssize_t room = limit >= 0 ? limit - PyByteArray_GET_SIZE(buf)
                                         : -1;
            want = peek_line_length(peeked, room);
        }
        Py_DECREF(peeked);
    }
    PyObject *b = PyObject_CallMethod(self, "read", "n", want);
    if (b == NULL) {
        return -1;
    }
    if (!PyBytes_Check(b)) {
        PyErr_Format(PyExc_OSError,
                     "read() should have returned a bytes object, not "
                     "'%.200s'", Py_TYPE(b)->tp_name);
        Py_DECREF(b);
        return -1;
    }
    Py_ssize_t n = PyBytes_GET_SIZE(b);
    Py_ssize_t old = PyByteArray_GET_SIZE(buf);
    if (n > 0 && PyByteArray_Resize(buf, old + n) < 0) {
        Py_DECREF(b);
        return -1;
    }
    memcpy(PyByteArray_AS_STRING(buf) + old, PyBytes_AS_STRING(b), n);
    Py_DECREF(b);
    return n > 0;
}

/* readline(size=-1) over read() (and peek() when the object has one). */
static PyObject *
iobase_readline(PyObject *self, PyObject *args)
{
    Py_ssize_t limit = -1;
    if (!PyArg_ParseTuple(args, "|O&:readline", _PyIO_ConvertSsize,
                          &limit)) {
        return NULL;
    }
    PyObject *peek;
    if (lookup_attr(self, "peek", &peek) < 0) {
        return NULL;
    }
    PyObject *buf = PyByteArray_FromStringAndSize(NULL, 0);
    if (buf == NULL) {
        Py_XDECREF(peek);
        return NULL;
    }
    for (;;) {
        Py_ssize_t len = PyByteArray_GET_SIZE(buf);
        if ((limit >= 0 && len >= limit) ||
            (len > 0 && PyByteArray_AS_STRING(buf)[len - 1] == '\n')) {
            break;
        }
        int r = readline_step(self, peek, buf, limit);
        if (r < 0) {
            Py_XDECREF(peek);
            Py_DECREF(buf);
            return NULL;
        }
        if (r == 0) {
            break;
        }
    }
    Py_XDECREF(peek);
    PyObject *res = PyBytes_FromStringAndSize(PyByteArray_AS_STRING(buf),
                                              PyByteArray_GET_SIZE(buf));
    Py_DECREF(buf);
    return res;
}

static PyObject *
iobase_iter(PyObject *self)
{
    PyObject *r = _PyIOBase_CheckClosed(self);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    return Py_NewRef(self);
}

static PyObject *
iobase_iternext(PyObject *self)
{
    PyObject *line = _PyIO_CallMethod0(self, _PyIO_ID_readline);
    if (line == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyObject_Size(line);
    if (n <= 0) {
        Py_DECREF(line);
        return NULL;
    }
    return line;
}

/* readlines(hint=-1): lines until EOF or until their total length
   reaches hint. */
static PyObject *
iobase_readlines(PyObject *self, PyObject *args)
{
    Py_ssize_t hint = -1;
    if (!PyArg_ParseTuple(args, "|O&:readlines", _PyIO_ConvertSsize,
                          &hint)) {
        return NULL;
    }
    PyObject *result = PyList_New(0);
    if (result == NULL) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(self);
    if (it == NULL) {
        Py_DECREF(result);
        return NULL;
    }
    Py_ssize_t total = 0;
    PyObject *line;
    while ((line = PyIter_Next(it)) != NULL) {
        Py_ssize_t n = PyObject_Size(line);
        if (n < 0 || PyList_Append(result, line) < 0) {
            Py_DECREF(line);
            goto error;
        }
        Py_DECREF(line);
        total += n;
        if (hint > 0 && total >= hint) {
            break;
        }
    }
    if (PyErr_Occurred()) {
        goto error;
    }
    Py_DECREF(it);
    return result;
error:
    Py_DECREF(it);
    Py_DECREF(result);
    return NULL;
}

static PyObject *
iobase_writelines(PyObject *self, PyObject *lines)
{
    PyObject *r = _PyIOBase_CheckClosed(self);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    PyObject *it = PyObject_GetIter(lines);
    if (it == NULL) {
        return NULL;
    }
    PyObject *line;
    while ((line = PyIter_Next(it)) != NULL) {
        PyObject *meth = PyObject_GetAttrString(self, "write");
        PyObject *w = meth ? PyObject_CallOneArg(meth, line) : NULL;
        Py_XDECREF(meth);
        Py_DECREF(line);
        if (w == NULL) {
            Py_DECREF(it);
            return NULL;
        }
        Py_DECREF(w);
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
iobase_del(PyObject *self, PyObject *unused)
{
    iobase_finalize(self);
    Py_RETURN_NONE;
}

static PyMethodDef iobase_methods[] = {
    {"seek", iobase_unsupported_seek, METH_VARARGS, NULL},
    {"tell", iobase_tell, METH_NOARGS, NULL},
    {"truncate", iobase_unsupported_truncate, METH_VARARGS, NULL},
    {"flush", iobase_flush, METH_NOARGS, NULL},
    {"close", iobase_close, METH_NOARGS, NULL},
    {"seekable", iobase_false, METH_NOARGS, NULL},
    {"readable", iobase_false, METH_NOARGS, NULL},
    {"writable", iobase_false, METH_NOARGS, NULL},
    {"_checkClosed", iobase_check_closed_m, METH_VARARGS, NULL},
    {"_checkSeekable", iobase_check_seekable_m, METH_VARARGS, NULL},
    {"_checkReadable", iobase_check_readable_m, METH_VARARGS, NULL},
    {"_checkWritable", iobase_check_writable_m, METH_VARARGS, NULL},
    {"fileno", iobase_fileno, METH_NOARGS, NULL},
    {"isatty", iobase_isatty, METH_NOARGS, NULL},
    {"__enter__", iobase_enter, METH_NOARGS, NULL},
    {"__exit__", iobase_exit, METH_VARARGS, NULL},
    {"readline", iobase_readline, METH_VARARGS, NULL},
    {"readlines", iobase_readlines, METH_VARARGS, NULL},
    {"writelines", iobase_writelines, METH_O, NULL},
    {"__del__", iobase_del, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef iobase_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL,
     NULL},
    {"closed", iobase_closed_get, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject _PyIOBase_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io._IOBase",
    .tp_basicsize = sizeof(iobase),
    .tp_dealloc = iobase_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "The abstract base class for all I/O classes.",
    .tp_traverse = iobase_traverse,
    .tp_clear = iobase_clear,
    .tp_weaklistoffset = offsetof(iobase, weakreflist),
    .tp_iter = iobase_iter,
    .tp_iternext = iobase_iternext,
    .tp_methods = iobase_methods,
    .tp_getset = iobase_getset,
    .tp_dictoffset = offsetof(iobase, dict),
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
    .tp_finalize = iobase_finalize,
};

/* ------------------------------------------------------------ _RawIOBase */

/* read(size=-1): readall() for a negative size, else readinto() a fresh
   buffer. */
static PyObject *
rawiobase_read(PyObject *self, PyObject *args)
{
    Py_ssize_t n = -1;
    if (!PyArg_ParseTuple(args, "|n:read", &n)) {
        return NULL;
    }
    if (n < 0) {
        return PyObject_CallMethod(self, "readall", NULL);
    }
    PyObject *b = PyByteArray_FromStringAndSize(NULL, n);
    if (b == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_CallMethod(self, "readinto", "O", b);
    if (res == NULL || res == Py_None) {
        Py_DECREF(b);
        return res;
    }
    Py_ssize_t got = PyNumber_AsSsize_t(res, PyExc_ValueError);
    Py_DECREF(res);
    if (got == -1 && PyErr_Occurred()) {
        Py_DECREF(b);
        return NULL;
    }
    if (got < 0 || got > n) {
        PyErr_Format(PyExc_ValueError,
                     "readinto returned %zd outside buffer size %zd", got, n);
        Py_DECREF(b);
        return NULL;
    }
    res = PyBytes_FromStringAndSize(PyByteArray_AS_STRING(b), got);
    Py_DECREF(b);
    return res;
}

/* readall(): read() chunks until EOF.  None if the first read would
   block. */
static PyObject *
rawiobase_readall(PyObject *self, PyObject *unused)
{
    PyObject *chunks = PyList_New(0);
    if (chunks == NULL) {
        return NULL;
    }
    for (;;) {
        PyObject *data = PyObject_CallMethod(self, "read", "i",
                                             _PyIO_DEFAULT_BUFFER_SIZE);
        if (data == NULL) {
            Py_DECREF(chunks);
            return NULL;
        }
        if (data == Py_None) {
            if (PyList_GET_SIZE(chunks) == 0) {
                Py_DECREF(chunks);
                return data;
            }
            Py_DECREF(data);
            break;
        }
        if (!PyBytes_Check(data)) {
            Py_DECREF(chunks);
            Py_DECREF(data);
            PyErr_SetString(PyExc_TypeError, "read() should return bytes");
            return NULL;
        }
        if (PyBytes_GET_SIZE(data) == 0) {
            Py_DECREF(data);
            break;
        }
        int r = PyList_Append(chunks, data);
        Py_DECREF(data);
        if (r < 0) {
            Py_DECREF(chunks);
            return NULL;
        }
    }
    PyObject *empty = PyBytes_FromStringAndSize(NULL, 0);
    PyObject *res = empty != NULL ? PyObject_CallMethod(empty, "join", "O",
                                                        chunks)
                                  : NULL;
    Py_XDECREF(empty);
    Py_DECREF(chunks);
    return res;
}

static PyObject *
rawiobase_not_implemented(PyObject *self, PyObject *args)
{
    PyErr_SetNone(PyExc_NotImplementedError);
    return NULL;
}

static PyMethodDef rawiobase_methods[] = {
    {"read", rawiobase_read, METH_VARARGS, NULL},
    {"readall", rawiobase_readall, METH_NOARGS, NULL},
    {"readinto", rawiobase_not_implemented, METH_VARARGS, NULL},
    {"write", rawiobase_not_implemented, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

PyTypeObject _PyRawIOBase_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io._RawIOBase",
    .tp_basicsize = sizeof(iobase),
    .tp_dealloc = iobase_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Base class for raw binary I/O.",
    .tp_traverse = iobase_traverse,
    .tp_clear = iobase_clear,
    .tp_methods = rawiobase_methods,
    .tp_base = &_PyIOBase_Type,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
    .tp_finalize = iobase_finalize,
};

/* ------------------------------------------------------- _BufferedIOBase */

static PyObject *
bufferediobase_unsupported_read(PyObject *self, PyObject *args)
{
    return _PyIO_Unsupported("read");
}

static PyObject *
bufferediobase_unsupported_read1(PyObject *self, PyObject *args)
{
    return _PyIO_Unsupported("read1");
}

static PyObject *
bufferediobase_unsupported_write(PyObject *self, PyObject *args)
{
    return _PyIO_Unsupported("write");
}

static PyObject *
bufferediobase_detach(PyObject *self, PyObject *args)
{
    return _PyIO_Unsupported("detach");
}

/* readinto(b) / readinto1(b): call read/read1(len(b)) and copy. */
static PyObject *
bufferediobase_readinto_generic(PyObject *self, PyObject *args,
                                const char *method)
{
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "w*", &view)) {
        return NULL;
    }
    PyObject *data = PyObject_CallMethod(self, method, "n", view.len);
    if (data == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    if (!PyBytes_Check(data)) {
        PyErr_SetString(PyExc_TypeError, "read() should return bytes");
        goto error;
    }
    Py_ssize_t n = PyBytes_GET_SIZE(data);
    if (n > view.len) {
        PyErr_Format(PyExc_ValueError,
                     "read() returned too much data: %zd bytes requested, "
                     "%zd returned", view.len, n);
        goto error;
    }
    memcpy(view.buf, PyBytes_AS_STRING(data), n);
    PyBuffer_Release(&view);
    Py_DECREF(data);
    return PyLong_FromSsize_t(n);
error:
    PyBuffer_Release(&view);
    Py_DECREF(data);
    return NULL;
}

static PyObject *
bufferediobase_readinto(PyObject *self, PyObject *args)
{
    return bufferediobase_readinto_generic(self, args, "read");
}

static PyObject *
bufferediobase_readinto1(PyObject *self, PyObject *args)
{
    return bufferediobase_readinto_generic(self, args, "read1");
}

static PyMethodDef bufferediobase_methods[] = {
    {"detach", bufferediobase_detach, METH_NOARGS, NULL},
    {"read", bufferediobase_unsupported_read, METH_VARARGS, NULL},
    {"read1", bufferediobase_unsupported_read1, METH_VARARGS, NULL},
    {"readinto", bufferediobase_readinto, METH_VARARGS, NULL},
    {"readinto1", bufferediobase_readinto1, METH_VARARGS, NULL},
    {"write", bufferediobase_unsupported_write, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

PyTypeObject _PyBufferedIOBase_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io._BufferedIOBase",
    .tp_basicsize = sizeof(iobase),
    .tp_dealloc = iobase_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Base class for buffered IO objects.",
    .tp_traverse = iobase_traverse,
    .tp_clear = iobase_clear,
    .tp_methods = bufferediobase_methods,
    .tp_base = &_PyIOBase_Type,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
    .tp_finalize = iobase_finalize,
};

/* ----------------------------------------------------------- _TextIOBase */

static PyObject *
textiobase_detach(PyObject *self, PyObject *args)
{
    return _PyIO_Unsupported("detach");
}

static PyObject *
textiobase_read(PyObject *self, PyObject *args)
{
    return _PyIO_Unsupported("read");
}

static PyObject *
textiobase_readline(PyObject *self, PyObject *args)
{
    return _PyIO_Unsupported("readline");
}

static PyObject *
textiobase_write(PyObject *self, PyObject *args)
{
    return _PyIO_Unsupported("write");
}

static PyObject *
textiobase_none(PyObject *self, void *context)
{
    Py_RETURN_NONE;
}

static PyMethodDef textiobase_methods[] = {
    {"detach", textiobase_detach, METH_NOARGS, NULL},
    {"read", textiobase_read, METH_VARARGS, NULL},
    {"readline", textiobase_readline, METH_VARARGS, NULL},
    {"write", textiobase_write, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef textiobase_getset[] = {
    {"encoding", textiobase_none, NULL, NULL, NULL},
    {"newlines", textiobase_none, NULL, NULL, NULL},
    {"errors", textiobase_none, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject _PyTextIOBase_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io._TextIOBase",
    .tp_basicsize = sizeof(iobase),
    .tp_dealloc = iobase_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Base class for text I/O.",
    .tp_traverse = iobase_traverse,
    .tp_clear = iobase_clear,
    .tp_methods = textiobase_methods,
    .tp_getset = textiobase_getset,
    .tp_base = &_PyIOBase_Type,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
    .tp_finalize = iobase_finalize,
};
