/* sys.stdin, sys.stdout and sys.stderr as CPython 3.11 builds them:
 * TextIOWrapper over BufferedReader/BufferedWriter over
 * FileIO(fd, closefd=False), UTF-8 (Plait's locale encoding), errors
 * "surrogateescape" for stdin/stdout and "backslashreplace" for stderr,
 * newline "\n", stdout line-buffered on a terminal, stderr always
 * line-buffered.  Unbuffered mode (-u, PYTHONUNBUFFERED) writes
 * stdout/stderr straight to the FileIO with write_through.
 *
 * Runs once at start-up (single-threaded) and at shutdown; it keeps no
 * state: the streams live in the sys module. */
#include "Python.h"
#include "pycore_io.h"

#include <stdlib.h>
#include <unistd.h>

/* Unbuffered when sys.flags.unbuffered is set or PYTHONUNBUFFERED is a
   non-empty string. */
static int
stdio_unbuffered(PyObject *sys)
{
    const char *env = getenv("PYTHONUNBUFFERED");
    if (env != NULL && env[0] != '\0') {
        return 1;
    }
    PyObject *flags = PyObject_GetAttrString(sys, "flags");
    if (flags == NULL) {
        PyErr_Clear();
        return 0;
    }
    PyObject *v = PyObject_GetAttrString(flags, "unbuffered");
    Py_DECREF(flags);
    if (v == NULL) {
        PyErr_Clear();
        return 0;
    }
    int r = PyObject_IsTrue(v);
    Py_DECREF(v);
    if (r < 0) {
        PyErr_Clear();
        return 0;
    }
    return r;
}

/* One standard stream over fd.  New reference. */
static PyObject *
create_stdio(int fd, const char *name, int write_mode, int unbuffered,
             const char *errors)
{
    PyObject *raw = PyObject_CallFunction((PyObject *)&_PyFileIO_Type,
                                          "isO", fd, write_mode ? "wb" : "rb",
                                          Py_False);
    if (raw == NULL) {
        return NULL;
    }
    PyObject *nameobj = PyUnicode_FromString(name);
    if (nameobj == NULL || PyObject_SetAttrString(raw, "name", nameobj) < 0) {
        Py_XDECREF(nameobj);
        Py_DECREF(raw);
        return NULL;
    }
    Py_DECREF(nameobj);
    int tty = isatty(fd);
    int buffered = !(unbuffered && write_mode);
    PyObject *buf;
    if (buffered) {
        PyObject *blk = PyObject_GetAttrString(raw, "_blksize");
        Py_ssize_t size = blk ? PyLong_AsSsize_t(blk) : -1;
        Py_XDECREF(blk);
        if (size < 0) {
            Py_DECREF(raw);
            return NULL;
        }
        buf = PyObject_CallFunction(
            (PyObject *)(write_mode ? &_PyBufferedWriter_Type
                                    : &_PyBufferedReader_Type),
            "On", raw, size);
        Py_DECREF(raw);
        if (buf == NULL) {
            return NULL;
        }
    }
    else {
        buf = raw;
    }
    int line_buffering = !unbuffered && (tty || fd == 2);
    PyObject *text = PyObject_CallFunction(
        (PyObject *)&_PyTextIOWrapper_Type, "Ossspp", buf, "utf-8", errors,
        "\n", line_buffering, unbuffered);
    Py_DECREF(buf);
    if (text == NULL) {
        return NULL;
    }
    PyObject *mode = PyUnicode_FromString(write_mode ? "w" : "r");
    if (mode == NULL || PyObject_SetAttrString(text, "mode", mode) < 0) {
        Py_XDECREF(mode);
        Py_DECREF(text);
        return NULL;
    }
    Py_DECREF(mode);
    return text;
}

/* Set sys.<name> and sys.__<name>__ to stream. */
static int
install_stdio(PyObject *sys, const char *name, PyObject *stream)
{
    char dunder[32];
    snprintf(dunder, sizeof(dunder), "__%s__", name);
    if (PyObject_SetAttrString(sys, name, stream) < 0 ||
        PyObject_SetAttrString(sys, dunder, stream) < 0) {
        return -1;
    }
    return 0;
}

int
_PyIO_InitStdio(void)
{
    PyObject *io = PyImport_ImportModule("_io");
    if (io == NULL) {
        return -1;
    }
    Py_DECREF(io);
    PyObject *sys = PyImport_ImportModule("sys");
    if (sys == NULL) {
        return -1;
    }
    int unbuffered = stdio_unbuffered(sys);
    static const struct {
        int fd;
        const char *attr, *name, *errors;
        int write;
    } streams[] = {
        {0, "stdin", "<stdin>", "surrogateescape", 0},
        {1, "stdout", "<stdout>", "surrogateescape", 1},
        {2, "stderr", "<stderr>", "backslashreplace", 1},
    };
    for (int i = 0; i < 3; i++) {
        PyObject *s = create_stdio(streams[i].fd, streams[i].name,
                                   streams[i].write, unbuffered,
                                   streams[i].errors);
        if (s == NULL) {
            /* A closed descriptor gives None, as in CPython. */
            if (!PyErr_ExceptionMatches(PyExc_OSError)) {
                Py_DECREF(sys);
                return -1;
            }
            PyErr_Clear();
            s = Py_NewRef(Py_None);
        }
        int r = install_stdio(sys, streams[i].attr, s);
        Py_DECREF(s);
        if (r < 0) {
            Py_DECREF(sys);
            return -1;
        }
    }
    Py_DECREF(sys);
    return 0;
}

/* builtins.open = _io.open (CPython 3.11 does the same at start-up, so
   builtins.open is io.open).  0/-1. */
int
_PyIO_InstallBuiltinsOpen(void)
{
    PyObject *io = PyImport_ImportModule("_io");
    if (io == NULL) {
        return -1;
    }
    PyObject *open = PyObject_GetAttrString(io, "open");
    Py_DECREF(io);
    if (open == NULL) {
        return -1;
    }
    PyObject *builtins = PyImport_ImportModule("builtins");
    int r = builtins ? PyObject_SetAttrString(builtins, "open", open) : -1;
    Py_XDECREF(builtins);
    Py_DECREF(open);
    return r;
}

/* Flush sys.stdout then sys.stderr, reporting failures as unraisable
   (a closed or replaced stream is skipped quietly). */
void
_PyIO_FlushStdio(void)
{
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *sys = PyImport_ImportModule("sys");
    if (sys == NULL) {
        PyErr_Clear();
        PyErr_SetRaisedException(exc);
        return;
    }
    const char *names[] = {"stdout", "stderr"};
    for (int i = 0; i < 2; i++) {
        PyObject *f = PyObject_GetAttrString(sys, names[i]);
        if (f == NULL || f == Py_None) {
            PyErr_Clear();
            Py_XDECREF(f);
            continue;
        }
        PyObject *closed = PyObject_GetAttrString(f, "closed");
        int c = closed ? PyObject_IsTrue(closed) : 0;
        Py_XDECREF(closed);
        PyErr_Clear();
        if (c <= 0) {
            PyObject *r = PyObject_CallMethod(f, "flush", NULL);
            if (r == NULL) {
                PyErr_WriteUnraisable(f);
            }
            Py_XDECREF(r);
        }
        Py_DECREF(f);
    }
    Py_DECREF(sys);
    PyErr_SetRaisedException(exc);
}
