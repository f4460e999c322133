/* _io.StringIO: a text stream over an in-memory array of code points.
 *
 * Thread safety: the array, its length, the position and the state flags
 * are touched only inside a critical section on the object.  Nothing in
 * a section blocks: the newline decoder used for universal-newline
 * writes is an IncrementalNewlineDecoder over None, which runs no Python
 * code.  Concurrent writers are serialised call by call; no character is
 * lost. */
#include "Python.h"
#include "pycore_critical_section.h"
#include "pycore_io.h"

typedef struct {
    _PyIO_HEAD
    Py_UCS4 *buf;
    Py_ssize_t len;
    Py_ssize_t cap;
    Py_ssize_t pos;
    int ok;
    int closed;
    int readuniversal;
    int readtranslate;
    PyObject *decoder;      /* IncrementalNewlineDecoder or NULL */
    PyObject *readnl;       /* str or NULL */
    PyObject *writenl;      /* str or NULL */
} stringio;

/* Closed / uninitialized checks.  Locked.  0/-1. */
static int
sio_check(stringio *self)
{
    if (!self->ok) {
        PyErr_SetString(PyExc_ValueError,
                        "I/O operation on uninitialized object");
        return -1;
    }
    if (self->closed) {
        PyErr_SetString(PyExc_ValueError, "I/O operation on closed file");
        return -1;
    }
    return 0;
}

static int
sio_reserve(stringio *self, Py_ssize_t need)
{
    if (need <= self->cap) {
        return 0;
    }
    Py_ssize_t ncap = self->cap + (self->cap >> 1);
    if (ncap < need) {
        ncap = need;
    }
    if (ncap > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(Py_UCS4)) {
        PyErr_NoMemory();
        return -1;
    }
    Py_UCS4 *nb = PyMem_Realloc(self->buf, ncap * sizeof(Py_UCS4));
    if (nb == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->buf = nb;
    self->cap = ncap;
    return 0;
}

/* Store text (already translated) at pos.  Locked.  0/-1. */
static int
sio_store(stringio *self, PyObject *text)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (n == 0) {
        return 0;
    }
    Py_ssize_t end = self->pos + n;
    if (sio_reserve(self, end) < 0) {
        return -1;
    }
    if (self->pos > self->len) {
        memset(self->buf + self->len, 0,
               (self->pos - self->len) * sizeof(Py_UCS4));
    }
    if (PyUnicode_AsUCS4(text, self->buf + self->pos, n, 0) == NULL) {
        return -1;
    }
    self->pos = end;
    if (end > self->len) {
        self->len = end;
    }
    return 0;
}

/* Translate per the newline mode.  New reference. */
static PyObject *
sio_translate(stringio *self, PyObject *text)
{
    if (self->decoder != NULL) {
        return _PyIncrementalNewlineDecoder_Decode(self->decoder, text, 1);
    }
    if (self->writenl != NULL &&
        PyUnicode_FindChar(text, '\n', 0, PyUnicode_GET_LENGTH(text),
                           1) >= 0) {
        PyObject *lf = PyUnicode_FromString("\n");
        PyObject *r = lf ? PyUnicode_Replace(text, lf, self->writenl, -1)
                         : NULL;
        Py_XDECREF(lf);
        return r;
    }
    return Py_NewRef(text);
}

static PyObject *
sio_slice(stringio *self, Py_ssize_t start, Py_ssize_t n)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, self->buf + start,
                                     n);
}

static PyObject *
stringio_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return type->tp_alloc(type, 0);
}

static int
stringio_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"initial_value", "newline", NULL};
    stringio *self = (stringio *)op;
    PyObject *value = NULL, *newline = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|OO:StringIO", kwlist,
                                     &value, &newline)) {
        return -1;
    }
    const char *nl = "\n";
    if (newline == Py_None) {
        nl = NULL;
    }
    else if (newline != NULL) {
        if (!PyUnicode_Check(newline)) {
            PyErr_Format(PyExc_TypeError,
                         "newline must be str or None, not %.200s",
                         Py_TYPE(newline)->tp_name);
            return -1;
        }
        nl = PyUnicode_AsUTF8(newline);
        if (nl == NULL) {
            return -1;
        }
    }
    if (nl != NULL && nl[0] != '\0' && strcmp(nl, "\n") != 0 &&
        strcmp(nl, "\r") != 0 && strcmp(nl, "\r\n") != 0) {
        PyErr_Format(PyExc_ValueError, "illegal newline value: %R",
                     newline);
        return -1;
    }
    if (value != NULL && value != Py_None && !PyUnicode_Check(value)) {
        PyErr_Format(PyExc_TypeError,
                     "initial_value must be str or None, not %.200s",
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    PyObject *decoder = NULL, *readnl = NULL, *writenl = NULL;
    int universal = nl == NULL || nl[0] == '\0';
    if (nl != NULL && nl[0] != '\0') {
        readnl = PyUnicode_FromString(nl);
        if (readnl == NULL) {
            return -1;
        }
        if (nl[0] == '\r') {
            writenl = Py_NewRef(readnl);
        }
    }
    if (universal) {
        decoder = PyObject_CallFunction(
            (PyObject *)&_PyIncrementalNewlineDecoder_Type, "Oi", Py_None,
            nl == NULL);
        if (decoder == NULL) {
            Py_XDECREF(readnl);
            return -1;
        }
    }
    int r = 0;
    Py_BEGIN_CRITICAL_SECTION(self);
    Py_XSETREF(self->decoder, decoder);
    Py_XSETREF(self->readnl, readnl);
    Py_XSETREF(self->writenl, writenl);
    self->readuniversal = universal;
    self->readtranslate = nl == NULL;
    self->len = self->pos = 0;
    self->closed = 0;
    self->ok = 1;
    if (value != NULL && value != Py_None) {
        PyObject *t = sio_translate(self, value);
        r = t == NULL ? -1 : sio_store(self, t);
        Py_XDECREF(t);
        self->pos = 0;
    }
    if (r < 0) {
        self->ok = 0;
    }
    Py_END_CRITICAL_SECTION();
    return r;
}

static int
stringio_traverse(PyObject *op, visitproc visit, void *arg)
{
    stringio *self = (stringio *)op;
    Py_VISIT(self->decoder);
    Py_VISIT(self->dict);
    return 0;
}

static int
stringio_clear(PyObject *op)
{
    stringio *self = (stringio *)op;
    Py_CLEAR(self->decoder);
    Py_CLEAR(self->readnl);
    Py_CLEAR(self->writenl);
    Py_CLEAR(self->dict);
    return 0;
}

static void
stringio_dealloc(PyObject *op)
{
    stringio *self = (stringio *)op;
    PyObject_GC_UnTrack(op);
    stringio_clear(op);
    PyMem_Free(self->buf);
    Py_TYPE(op)->tp_free(op);
}

/* Locked-method prologue/epilogue shorthand. */
#define SIO_LOCKED(self, ...)                                           \
    do {                                                                \
        Py_BEGIN_CRITICAL_SECTION(self);                                \
        if (sio_check(self) == 0) {                                     \
            __VA_ARGS__;                                                \
        }                                                               \
        Py_END_CRITICAL_SECTION();                                      \
    } while (0)

static PyObject *
stringio_getvalue(PyObject *op, PyObject *unused)
{
    stringio *self = (stringio *)op;
    PyObject *r = NULL;
    SIO_LOCKED(self, r = sio_slice(self, 0, self->len));
    return r;
}

static PyObject *
stringio_read(PyObject *op, PyObject *args)
{
    stringio *self = (stringio *)op;
    Py_ssize_t size = -1;
    if (!PyArg_ParseTuple(args, "|O&:read", _PyIO_ConvertSsize, &size)) {
        return NULL;
    }
    PyObject *r = NULL;
    SIO_LOCKED(self, {
        Py_ssize_t n = self->len - self->pos;
        if (n < 0) {
            n = 0;
        }
        if (size >= 0 && size < n) {
            n = size;
        }
        r = sio_slice(self, n > 0 ? self->pos : 0, n);
        if (r != NULL) {
            self->pos += n;
        }
    });
    return r;
}

/* Length of the next line from pos, at most limit (-1 = no limit).
   Locked. */
static Py_ssize_t
sio_line_len(stringio *self, Py_ssize_t limit)
{
    Py_ssize_t avail = self->len - self->pos;
    if (avail <= 0) {
        return 0;
    }
    if (limit >= 0 && limit < avail) {
        avail = limit;
    }
    const Py_UCS4 *s = self->buf + self->pos;
    if (self->readuniversal && !self->readtranslate) {
        for (Py_ssize_t i = 0; i < avail; i++) {
            if (s[i] == '\n') {
                return i + 1;
            }
            if (s[i] == '\r') {
                if (i + 1 < avail && s[i + 1] == '\n') {
                    return i + 2;
                }
                return i + 1;
            }
        }
        return avail;
    }
    if (self->readtranslate || self->readnl == NULL) {
        for (Py_ssize_t i = 0; i < avail; i++) {
            if (s[i] == '\n') {
                return i + 1;
            }
        }
        return avail;
    }
    Py_ssize_t nllen = PyUnicode_GET_LENGTH(self->readnl);
    Py_UCS4 c0 = PyUnicode_READ_CHAR(self->readnl, 0);
    for (Py_ssize_t i = 0; i < avail; i++) {
        if (s[i] != c0) {
            continue;
        }
        if (nllen == 1) {
            return i + 1;
        }
        if (i + 1 < avail &&
            s[i + 1] == PyUnicode_READ_CHAR(self->readnl, 1)) {
            return i + 2;
        }
    }
    return avail;
}

static PyObject *
sio_take_line(stringio *self, Py_ssize_t limit)
{
    Py_ssize_t n = sio_line_len(self, limit);
    PyObject *r = sio_slice(self, n > 0 ? self->pos : 0, n);
    if (r != NULL) {
        self->pos += n;
    }
    return r;
}

static PyObject *
stringio_readline(PyObject *op, PyObject *args)
{
    stringio *self = (stringio *)op;
    Py_ssize_t limit = -1;
    if (!PyArg_ParseTuple(args, "|O&:readline", _PyIO_ConvertSsize,
                          &limit)) {
        return NULL;
    }
    PyObject *r = NULL;
    SIO_LOCKED(self, r = sio_take_line(self, limit));
    return r;
}

static PyObject *
stringio_iternext(PyObject *op)
{
    stringio *self = (stringio *)op;
    PyObject *r = NULL;
    if (Py_TYPE(op) != &_PyStringIO_Type) {
        r = PyObject_CallMethod(op, "readline", NULL);
        if (r != NULL && !PyUnicode_Check(r)) {
            PyErr_Format(PyExc_OSError,
                         "readline() should have returned a str object, "
                         "not '%.200s'", Py_TYPE(r)->tp_name);
            Py_CLEAR(r);
        }
    }
    else {
        SIO_LOCKED(self, r = sio_take_line(self, -1));
    }
    if (r != NULL && PyUnicode_GET_LENGTH(r) == 0) {
        Py_CLEAR(r);
    }
    return r;
}

static PyObject *
stringio_write(PyObject *op, PyObject *text)
{
    stringio *self = (stringio *)op;
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "string argument expected, got '%s'",
                     Py_TYPE(text)->tp_name);
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int ok = 0;
    SIO_LOCKED(self, {
        PyObject *t = sio_translate(self, text);
        ok = t != NULL && sio_store(self, t) == 0;
        Py_XDECREF(t);
    });
    return ok ? PyLong_FromSsize_t(n) : NULL;
}

static PyObject *
stringio_seek(PyObject *op, PyObject *args)
{
    stringio *self = (stringio *)op;
    Py_ssize_t pos;
    int whence = 0;
    if (!PyArg_ParseTuple(args, "n|i:seek", &pos, &whence)) {
        return NULL;
    }
    PyObject *r = NULL;
    SIO_LOCKED(self, {
        if (whence != 0 && whence != 1 && whence != 2) {
            PyErr_Format(PyExc_ValueError,
                         "Invalid whence (%i, should be 0, 1 or 2)", whence);
        }
        else if (pos < 0 && whence == 0) {
            PyErr_Format(PyExc_ValueError, "Negative seek position %zd",
                         pos);
        }
        else if (whence != 0 && pos != 0) {
            PyErr_SetString(PyExc_OSError,
                            whence == 1 ? "Can't do nonzero cur-relative "
                                          "seeks"
                                        : "Can't do nonzero end-relative "
                                          "seeks");
        }
        else {
            if (whence == 0) {
                self->pos = pos;
            }
            else if (whence == 2) {
                self->pos = self->len;
            }
            r = PyLong_FromSsize_t(self->pos);
        }
    });
    return r;
}

static PyObject *
stringio_tell(PyObject *op, PyObject *unused)
{
    stringio *self = (stringio *)op;
    PyObject *r = NULL;
    SIO_LOCKED(self, r = PyLong_FromSsize_t(self->pos));
    return r;
}

static PyObject *
stringio_truncate(PyObject *op, PyObject *args)
{
    stringio *self = (stringio *)op;
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
            PyErr_Format(PyExc_ValueError, "Negative size value %zd", size);
            return NULL;
        }
    }
    PyObject *r = NULL;
    SIO_LOCKED(self, {
        if (size < 0) {
            size = self->pos;
        }
        if (size < self->len) {
            self->len = size;
        }
        r = PyLong_FromSsize_t(size);
    });
    return r;
}

static PyObject *
stringio_true(PyObject *op, PyObject *unused)
{
    stringio *self = (stringio *)op;
    PyObject *r = NULL;
    SIO_LOCKED(self, r = Py_NewRef(Py_True));
    return r;
}

static PyObject *
stringio_close(PyObject *op, PyObject *unused)
{
    stringio *self = (stringio *)op;
    Py_BEGIN_CRITICAL_SECTION(self);
    self->closed = 1;
    PyMem_Free(self->buf);
    self->buf = NULL;
    self->len = self->cap = 0;
    Py_END_CRITICAL_SECTION();
    Py_RETURN_NONE;
}

static PyObject *
stringio_closed_get(PyObject *op, void *context)
{
    stringio *self = (stringio *)op;
    int c = -1;
    Py_BEGIN_CRITICAL_SECTION(self);
    if (!self->ok) {
        PyErr_SetString(PyExc_ValueError,
                        "I/O operation on uninitialized object");
    }
    else {
        c = self->closed;
    }
    Py_END_CRITICAL_SECTION();
    return c < 0 ? NULL : PyBool_FromLong(c);
}

static PyObject *
stringio_line_buffering_get(PyObject *op, void *context)
{
    stringio *self = (stringio *)op;
    PyObject *r = NULL;
    SIO_LOCKED(self, r = Py_NewRef(Py_False));
    return r;
}

static PyObject *
stringio_newlines_get(PyObject *op, void *context)
{
    stringio *self = (stringio *)op;
    PyObject *dec = NULL;
    int ok = 0;
    SIO_LOCKED(self, {
        dec = Py_XNewRef(self->decoder);
        ok = 1;
    });
    if (!ok) {
        return NULL;
    }
    if (dec == NULL) {
        Py_RETURN_NONE;
    }
    PyObject *r = PyObject_GetAttrString(dec, "newlines");
    Py_DECREF(dec);
    return r;
}

static PyObject *
stringio_getstate(PyObject *op, PyObject *unused)
{
    stringio *self = (stringio *)op;
    PyObject *value = stringio_getvalue(op, NULL);
    if (value == NULL) {
        return NULL;
    }
    PyObject *nl;
    Py_ssize_t pos;
    Py_BEGIN_CRITICAL_SECTION(self);
    nl = self->readtranslate ? Py_NewRef(Py_None)
         : self->readnl != NULL ? Py_NewRef(self->readnl)
         : PyUnicode_FromString("");
    pos = self->pos;
    Py_END_CRITICAL_SECTION();
    PyObject *dict = self->dict ? PyDict_Copy(self->dict)
                                : Py_NewRef(Py_None);
    if (nl == NULL || dict == NULL) {
        Py_DECREF(value);
        Py_XDECREF(nl);
        Py_XDECREF(dict);
        return NULL;
    }
    return Py_BuildValue("(NNnN)", value, nl, pos, dict);
}

static PyObject *
stringio_setstate(PyObject *op, PyObject *state)
{
    stringio *self = (stringio *)op;
    if (!PyTuple_Check(state) || PyTuple_GET_SIZE(state) < 4) {
        PyErr_Format(PyExc_TypeError,
                     "%.200s.__setstate__ argument should be 4-tuple, got "
                     "%.200s", Py_TYPE(op)->tp_name,
                     Py_TYPE(state)->tp_name);
        return NULL;
    }
    PyObject *value = PyTuple_GET_ITEM(state, 0);
    if (!PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError,
                        "initial_value must be str or None");
        return NULL;
    }
    /* __init__ with the value records its newlines; the buffer is then
       replaced by the saved (already translated) value. */
    PyObject *args = PyTuple_GetSlice(state, 0, 2);
    if (args == NULL) {
        return NULL;
    }
    int r = stringio_init(op, args, NULL);
    Py_DECREF(args);
    if (r < 0) {
        return NULL;
    }
    Py_BEGIN_CRITICAL_SECTION(self);
    self->pos = self->len = 0;
    r = sio_store(self, value);
    Py_END_CRITICAL_SECTION();
    if (r < 0) {
        return NULL;
    }
    Py_ssize_t pos = PyNumber_AsSsize_t(PyTuple_GET_ITEM(state, 2),
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
    PyObject *d = PyTuple_GET_ITEM(state, 3);
    if (d != Py_None) {
        if (self->dict == NULL && (self->dict = PyDict_New()) == NULL) {
            return NULL;
        }
        if (PyDict_Update(self->dict, d) < 0) {
            return NULL;
        }
    }
    Py_RETURN_NONE;
}

static PyMethodDef stringio_methods[] = {
    {"close", stringio_close, METH_NOARGS, NULL},
    {"getvalue", stringio_getvalue, METH_NOARGS, NULL},
    {"read", stringio_read, METH_VARARGS, NULL},
    {"readline", stringio_readline, METH_VARARGS, NULL},
    {"tell", stringio_tell, METH_NOARGS, NULL},
    {"truncate", stringio_truncate, METH_VARARGS, NULL},
    {"seek", stringio_seek, METH_VARARGS, NULL},
    {"write", stringio_write, METH_O, NULL},
    {"seekable", stringio_true, METH_NOARGS, NULL},
    {"readable", stringio_true, METH_NOARGS, NULL},
    {"writable", stringio_true, METH_NOARGS, NULL},
    {"__getstate__", stringio_getstate, METH_NOARGS, NULL},
    {"__setstate__", stringio_setstate, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef stringio_getset[] = {
    {"closed", stringio_closed_get, NULL, NULL, NULL},
    {"newlines", stringio_newlines_get, NULL, NULL, NULL},
    {"line_buffering", stringio_line_buffering_get, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject _PyStringIO_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io.StringIO",
    .tp_basicsize = sizeof(stringio),
    .tp_dealloc = stringio_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Text I/O implementation using an in-memory buffer.",
    .tp_traverse = stringio_traverse,
    .tp_clear = stringio_clear,
    .tp_weaklistoffset = offsetof(stringio, weakreflist),
    .tp_iternext = stringio_iternext,
    .tp_methods = stringio_methods,
    .tp_getset = stringio_getset,
    .tp_base = &_PyTextIOBase_Type,
    .tp_dictoffset = offsetof(stringio, dict),
    .tp_init = stringio_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = stringio_new,
    .tp_free = PyObject_GC_Del,
};
