/* The PyFile_* helpers and PyObject_AsFileDescriptor: thin calls into
 * the io objects, holding no state of their own (thread safety is the
 * called objects'). */
#include "Python.h"
#include "pycore_io.h"

PyObject *
PyFile_FromFd(int fd, const char *name, const char *mode, int buffering,
              const char *encoding, const char *errors, const char *newline,
              int closefd)
{
    PyObject *io = PyImport_ImportModule("_io");
    if (io == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_CallMethod(io, "open", "isizzzi", fd, mode,
                                      buffering, encoding, errors, newline,
                                      closefd);
    Py_DECREF(io);
    return r;
}

/* readline() result with the n < 0 conventions of PyFile_GetLine. */
static PyObject *
strip_line(PyObject *line)
{
    Py_ssize_t len = PyObject_Size(line);
    if (len < 0) {
        Py_DECREF(line);
        return NULL;
    }
    if (len == 0) {
        Py_DECREF(line);
        PyErr_SetString(PyExc_EOFError, "EOF when reading a line");
        return NULL;
    }
    int last_nl;
    if (PyBytes_Check(line)) {
        last_nl = PyBytes_AS_STRING(line)[len - 1] == '\n';
    }
    else {
        last_nl = PyUnicode_READ_CHAR(line, len - 1) == '\n';
    }
    if (!last_nl) {
        return line;
    }
    PyObject *r = PyBytes_Check(line)
                  ? PyBytes_FromStringAndSize(PyBytes_AS_STRING(line),
                                              len - 1)
                  : PyUnicode_Substring(line, 0, len - 1);
    Py_DECREF(line);
    return r;
}

PyObject *
PyFile_GetLine(PyObject *f, int n)
{
    if (f == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    PyObject *line = n <= 0 ? PyObject_CallMethod(f, "readline", NULL)
                            : PyObject_CallMethod(f, "readline", "i", n);
    if (line == NULL) {
        return NULL;
    }
    if (!PyBytes_Check(line) && !PyUnicode_Check(line)) {
        Py_DECREF(line);
        PyErr_SetString(PyExc_TypeError,
                        "object.readline() returned non-string");
        return NULL;
    }
    return n < 0 ? strip_line(line) : line;
}

int
PyFile_WriteObject(PyObject *obj, PyObject *f, int flags)
{
    if (f == NULL) {
        PyErr_SetString(PyExc_TypeError, "writeobject with NULL file");
        return -1;
    }
    PyObject *value = (flags & Py_PRINT_RAW) ? PyObject_Str(obj)
                                             : PyObject_Repr(obj);
    if (value == NULL) {
        return -1;
    }
    PyObject *r = PyObject_CallMethod(f, "write", "O", value);
    Py_DECREF(value);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);
    return 0;
}

int
PyFile_WriteString(const char *s, PyObject *f)
{
    if (f == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_SystemError,
                            "null file for PyFile_WriteString");
        }
        return -1;
    }
    if (PyErr_Occurred()) {
        return -1;
    }
    PyObject *v = PyUnicode_FromString(s);
    if (v == NULL) {
        return -1;
    }
    int r = PyFile_WriteObject(v, f, Py_PRINT_RAW);
    Py_DECREF(v);
    return r;
}

int
PyObject_AsFileDescriptor(PyObject *o)
{
    long fd;
    if (PyLong_Check(o)) {
        fd = PyLong_AsLong(o);
    }
    else {
        PyObject *meth = PyObject_GetAttrString(o, "fileno");
        if (meth == NULL) {
            if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
                PyErr_Clear();
                PyErr_SetString(PyExc_TypeError,
                                "argument must be an int, or have a "
                                "fileno() method.");
            }
            return -1;
        }
        PyObject *r = PyObject_CallNoArgs(meth);
        Py_DECREF(meth);
        if (r == NULL) {
            return -1;
        }
        if (!PyLong_Check(r)) {
            Py_DECREF(r);
            PyErr_SetString(PyExc_TypeError,
                            "fileno() returned a non-integer");
            return -1;
        }
        fd = PyLong_AsLong(r);
        Py_DECREF(r);
    }
    if (fd == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (fd < 0) {
        PyErr_Format(PyExc_ValueError,
                     "file descriptor cannot be a negative integer (%i)",
                     (int)fd);
        return -1;
    }
    if (fd > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError,
                        "file descriptor is too large");
        return -1;
    }
    return (int)fd;
}
