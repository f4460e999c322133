/* The _io module: open(), open_code(), text_encoding(), the module object,
 * the helpers every _io file shares, and the runtime hooks that build and
 * flush sys.stdin/stdout/stderr.
 *
 * Thread safety: the only module-level mutable state is the
 * io.UnsupportedOperation class and the interned attribute names, each
 * published once with a CAS (a losing initialiser drops its copy) and
 * read with acquire loads afterwards; they never change again.  open()
 * touches no shared state: it builds new objects.  _PyIOLock (the lock
 * of the buffered objects and TextIOWrapper) is defined here. */
#include "Python.h"
#include "pycore_pystate.h"
#include "pycore_io.h"

#include <errno.h>
#include <unistd.h>

static PyObject *unsupported_operation;  /* published once, see above */

/* Interned names: written once each with a CAS, never changed after. */
static PyObject *io_names[_PyIO_ID_COUNT];
static const char *const io_name_text[_PyIO_ID_COUNT] = {
    "closed", "write", "read", "read1", "flush", "getstate", "decode",
    "reset", "tell", "readline",
};

PyObject *
_PyIO_Name(_PyIO_NameId id)
{
    PyObject *name = _Py_atomic_load_ptr_acquire(&io_names[id]);
    if (name != NULL) {
        return name;
    }
    name = PyUnicode_InternFromString(io_name_text[id]);
    if (name == NULL) {
        return NULL;
    }
    PyObject *expected = NULL;
    if (!_Py_atomic_compare_exchange_ptr(&io_names[id], &expected, name)) {
        Py_DECREF(name);
        return expected;
    }
    return name;
}

PyObject *
_PyIO_GetUnsupportedOperation(void)
{
    return _Py_atomic_load_ptr_acquire(&unsupported_operation);
}

/* Created at first import; the class lives as long as the process, so the
   pointer never dangles. */
static PyObject *
make_unsupported_operation(void)
{
    PyObject *cur = _PyIO_GetUnsupportedOperation();
    if (cur != NULL) {
        return cur;
    }
    PyObject *bases = PyTuple_Pack(2, PyExc_OSError, PyExc_ValueError);
    if (bases == NULL) {
        return NULL;
    }
    PyObject *cls = PyErr_NewException("io.UnsupportedOperation", bases,
                                       NULL);
    Py_DECREF(bases);
    if (cls == NULL) {
        return NULL;
    }
    PyObject *expected = NULL;
    if (!_Py_atomic_compare_exchange_ptr(&unsupported_operation, &expected,
                                         cls)) {
        Py_DECREF(cls);
        return expected;
    }
    return cls;
}

PyObject *
_PyIO_Unsupported(const char *msg)
{
    PyObject *exc = _PyIO_GetUnsupportedOperation();
    PyErr_SetString(exc != NULL ? exc : PyExc_OSError, msg);
    return NULL;
}

int
_PyIO_ConvertSsize(PyObject *obj, void *result)
{
    Py_ssize_t n;
    if (obj == Py_None) {
        n = -1;
    }
    else if (PyIndex_Check(obj)) {
        n = PyNumber_AsSsize_t(obj, PyExc_OverflowError);
        if (n == -1 && PyErr_Occurred()) {
            return 0;
        }
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "argument should be integer or None, not '%.200s'",
                     Py_TYPE(obj)->tp_name);
        return 0;
    }
    *(Py_ssize_t *)result = n;
    return 1;
}

off_t
_PyIO_AsOff(PyObject *obj, PyObject *exc)
{
    PyObject *idx = PyNumber_Index(obj);
    if (idx == NULL) {
        return -1;
    }
    long long v = PyLong_AsLongLong(idx);
    Py_DECREF(idx);
    if (v == -1 && PyErr_Occurred()) {
        if (exc != NULL && PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PyErr_Clear();
            PyErr_SetString(exc, "cannot fit offset into an off_t");
        }
        return -1;
    }
    return (off_t)v;
}

PyObject *
_PyIO_FromOff(off_t off)
{
    return PyLong_FromLongLong((long long)off);
}

int
_PyIO_CheckSignals(void)
{
    return PyErr_CheckSignals();
}

/* ------------------------------------------------------------------ lock */

int
_PyIOLock_HeldByMe(_PyIOLock *lock)
{
    return _Py_atomic_load_ptr_relaxed(&lock->owner) ==
           (void *)_PyThreadState_GET();
}

/* PyMutex_Lock parks detached, so a thread blocked here never holds up a
   stop-the-world or the thread doing the I/O it waits for. */
void
_PyIOLock_Acquire(_PyIOLock *lock)
{
    PyMutex_Lock(&lock->mutex);
    _Py_atomic_store_ptr_relaxed(&lock->owner, _PyThreadState_GET());
}

void
_PyIOLock_Release(_PyIOLock *lock)
{
    _Py_atomic_store_ptr_relaxed(&lock->owner, NULL);
    PyMutex_Unlock(&lock->mutex);
}

/* ------------------------------------------------------------------ open */

/* Decoded flags of an open() mode string. */
typedef struct {
    int creating, reading, writing, appending, updating, text, binary;
} io_mode;

/* Validate mode as open() does; 0 or -1 with ValueError. */
static int
parse_open_mode(PyObject *modeobj, const char *mode, io_mode *m)
{
    memset(m, 0, sizeof(*m));
    for (const char *p = mode; *p; p++) {
        int *flag;
        switch (*p) {
        case 'x': flag = &m->creating; break;
        case 'r': flag = &m->reading; break;
        case 'w': flag = &m->writing; break;
        case 'a': flag = &m->appending; break;
        case '+': flag = &m->updating; break;
        case 't': flag = &m->text; break;
        case 'b': flag = &m->binary; break;
        default: flag = NULL; break;
        }
        if (flag == NULL || *flag) {
            PyErr_Format(PyExc_ValueError, "invalid mode: %R", modeobj);
            return -1;
        }
        *flag = 1;
    }
    if (m->text && m->binary) {
        PyErr_SetString(PyExc_ValueError,
                        "can't have text and binary mode at once");
        return -1;
    }
    int n = m->creating + m->reading + m->writing + m->appending;
    if (n > 1) {
        PyErr_SetString(PyExc_ValueError,
                        "must have exactly one of create/read/write/append "
                        "mode");
        return -1;
    }
    if (n == 0) {
        PyErr_SetString(PyExc_ValueError,
                        "Must have exactly one of create/read/write/append "
                        "mode and at most one plus");
        return -1;
    }
    return 0;
}

/* Close obj after a failure, keeping the pending exception as context. */
static void
close_after_error(PyObject *obj)
{
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *r = PyObject_CallMethod(obj, "close", NULL);
    if (r == NULL) {
        _PyErr_ChainExceptions1(exc);
    }
    else {
        Py_DECREF(r);
        PyErr_SetRaisedException(exc);
    }
}

/* Pick the buffer size for a raw file: st_blksize via raw._blksize, or
   the default.  -1 on error. */
static Py_ssize_t
default_buffer_size(PyObject *raw)
{
    PyObject *b = PyObject_GetAttrString(raw, "_blksize");
    if (b == NULL) {
        return -1;
    }
    Py_ssize_t n = PyLong_AsSsize_t(b);
    Py_DECREF(b);
    if (n == -1 && PyErr_Occurred()) {
        return -1;
    }
    return n > 1 ? n : _PyIO_DEFAULT_BUFFER_SIZE;
}

/* Build the buffered and text layers over raw (stolen).  New reference. */
static PyObject *
open_layers(PyObject *raw, io_mode *m, PyObject *modeobj,
            Py_ssize_t buffering, PyObject *encoding, PyObject *errors,
            PyObject *newline)
{
    int line_buffering = 0;
    if (buffering == 1 || buffering < 0) {
        PyObject *tty = PyObject_CallMethod(raw, "isatty", NULL);
        int istty = tty != NULL ? PyObject_IsTrue(tty) : -1;
        Py_XDECREF(tty);
        if (istty < 0) {
            goto error;
        }
        if (buffering == 1 || istty) {
            buffering = -1;
            line_buffering = 1;
        }
    }
    if (buffering < 0) {
        buffering = default_buffer_size(raw);
        if (buffering < 0) {
            goto error;
        }
    }
    if (buffering == 0) {
        if (m->binary) {
            return raw;
        }
        PyErr_SetString(PyExc_ValueError, "can't have unbuffered text I/O");
        goto error;
    }
    PyTypeObject *cls = m->updating ? &_PyBufferedRandom_Type
                        : m->reading ? &_PyBufferedReader_Type
                        : &_PyBufferedWriter_Type;
    PyObject *buffer = PyObject_CallFunction((PyObject *)cls, "On", raw,
                                             buffering);
    if (buffer == NULL) {
        goto error;
    }
    Py_DECREF(raw);
    if (m->binary) {
        return buffer;
    }
    PyObject *text = PyObject_CallFunction(
        (PyObject *)&_PyTextIOWrapper_Type, "OOOOi", buffer, encoding,
        errors, newline, line_buffering);
    if (text == NULL) {
        close_after_error(buffer);
        Py_DECREF(buffer);
        return NULL;
    }
    Py_DECREF(buffer);
    if (PyObject_SetAttrString(text, "mode", modeobj) < 0) {
        close_after_error(text);
        Py_DECREF(text);
        return NULL;
    }
    return text;

error:
    close_after_error(raw);
    Py_DECREF(raw);
    return NULL;
}

/* open(file, mode='r', buffering=-1, encoding=None, errors=None,
        newline=None, closefd=True, opener=None) -> new reference. */
static PyObject *
io_open(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"file", "mode", "buffering", "encoding",
                             "errors", "newline", "closefd", "opener", NULL};
    PyObject *file, *modeobj = NULL, *encoding = Py_None, *errors = Py_None;
    PyObject *newline = Py_None, *opener = Py_None;
    Py_ssize_t buffering = -1;
    int closefd = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|OnOOOpO:open", kwlist,
                                     &file, &modeobj, &buffering, &encoding,
                                     &errors, &newline, &closefd, &opener)) {
        return NULL;
    }
    const char *argnames[] = {"mode", "encoding", "errors", "newline"};
    PyObject *argvals[] = {modeobj, encoding, errors, newline};
    for (int i = 0; i < 4; i++) {
        PyObject *v = argvals[i];
        if (v != NULL && !PyUnicode_Check(v) && (i == 0 || v != Py_None)) {
            PyErr_Format(PyExc_TypeError,
                         "open() argument '%s' must be str%s, not %.200s",
                         argnames[i], i == 0 ? "" : " or None",
                         Py_TYPE(v)->tp_name);
            return NULL;
        }
    }
    PyObject *defmode = NULL;
    if (modeobj == NULL) {
        modeobj = defmode = PyUnicode_FromString("r");
        if (modeobj == NULL) {
            return NULL;
        }
    }
    PyObject *result = NULL;
    io_mode m;
    const char *mode = PyUnicode_AsUTF8(modeobj);
    if (mode == NULL || parse_open_mode(modeobj, mode, &m) < 0) {
        goto done;
    }
    if (m.binary) {
        const char *what = encoding != Py_None ? "an encoding"
                           : errors != Py_None ? "an errors"
                           : newline != Py_None ? "a newline" : NULL;
        if (what != NULL) {
            PyErr_Format(PyExc_ValueError,
                         "binary mode doesn't take %s argument", what);
            goto done;
        }
        if (buffering == 1 &&
            PyErr_WarnEx(PyExc_RuntimeWarning,
                         "line buffering (buffering=1) isn't supported in "
                         "binary mode, the default buffer size will be used",
                         1) < 0) {
            goto done;
        }
    }
    char rawmode[4];
    char *rm = rawmode;
    *rm++ = m.creating ? 'x' : m.reading ? 'r' : m.writing ? 'w' : 'a';
    if (m.updating) {
        *rm++ = '+';
    }
    *rm = '\0';
    PyObject *raw = PyObject_CallFunction((PyObject *)&_PyFileIO_Type,
                                          "OsOO", file, rawmode,
                                          closefd ? Py_True : Py_False,
                                          opener);
    if (raw == NULL) {
        goto done;
    }
    result = open_layers(raw, &m, modeobj, buffering, encoding, errors,
                         newline);
done:
    Py_XDECREF(defmode);
    return result;
}

/* open_code(path): open path for reading as bytes (no hooks). */
static PyObject *
io_open_code(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"path", NULL};
    PyObject *path;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "U:open_code", kwlist,
                                     &path)) {
        return NULL;
    }
    PyObject *a = Py_BuildValue("(Os)", path, "rb");
    if (a == NULL) {
        return NULL;
    }
    PyObject *res = io_open(module, a, NULL);
    Py_DECREF(a);
    return res;
}

/* text_encoding(encoding, stacklevel=2): "locale" for None (UTF-8 mode is
   off by default in 3.11), else encoding unchanged.  The
   EncodingWarning of -X warn_default_encoding is not emitted. */
static PyObject *
io_text_encoding(PyObject *module, PyObject *args)
{
    PyObject *encoding;
    int stacklevel = 2;
    if (!PyArg_ParseTuple(args, "O|i:text_encoding", &encoding,
                          &stacklevel)) {
        return NULL;
    }
    if (encoding == Py_None) {
        return PyUnicode_FromString("locale");
    }
    return Py_NewRef(encoding);
}

static PyMethodDef io_methods[] = {
    {"open", (PyCFunction)(void (*)(void))io_open,
     METH_VARARGS | METH_KEYWORDS, "Open file and return a stream."},
    {"open_code", (PyCFunction)(void (*)(void))io_open_code,
     METH_VARARGS | METH_KEYWORDS, "Opens the provided file with the "
     "intent to import the contents."},
    {"text_encoding", io_text_encoding, METH_VARARGS,
     "A helper function to choose the text encoding."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef io_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_io",
    .m_doc = "The io module provides the Python interfaces to stream "
             "handling.",
    .m_size = -1,
    .m_methods = io_methods,
};

PyMODINIT_FUNC
PyInit__io(void)
{
    PyTypeObject *bases[] = {
        &_PyIOBase_Type, &_PyRawIOBase_Type, &_PyBufferedIOBase_Type,
        &_PyTextIOBase_Type,
    };
    PyTypeObject *types[] = {
        &_PyFileIO_Type, &_PyBytesIO_Type, &_PyStringIO_Type,
        &_PyBufferedReader_Type, &_PyBufferedWriter_Type,
        &_PyBufferedRandom_Type, &_PyBufferedRWPair_Type,
        &_PyTextIOWrapper_Type, &_PyIncrementalNewlineDecoder_Type,
    };
    if (make_unsupported_operation() == NULL) {
        return NULL;
    }
    if (PyType_Ready(&_PyIOSimpleDecoder_Type) < 0 ||
        _PyBytesIO_InitTypes() < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&io_module);
    if (m == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
        if (PyType_Ready(bases[i]) < 0 ||
            PyModule_AddObjectRef(m, bases[i]->tp_name + 4,
                                  (PyObject *)bases[i]) < 0) {
            goto error;
        }
    }
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (PyType_Ready(types[i]) < 0 ||
            PyModule_AddType(m, types[i]) < 0) {
            goto error;
        }
    }
    if (PyModule_AddIntConstant(m, "DEFAULT_BUFFER_SIZE",
                                _PyIO_DEFAULT_BUFFER_SIZE) < 0 ||
        PyModule_AddObjectRef(m, "UnsupportedOperation",
                              _PyIO_GetUnsupportedOperation()) < 0 ||
        PyModule_AddObjectRef(m, "BlockingIOError",
                              PyExc_BlockingIOError) < 0) {
        goto error;
    }
    return m;
error:
    Py_DECREF(m);
    return NULL;
}
