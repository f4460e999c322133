/* Py_BuildValue and friends: build Python values from C values driven by
 * a format string (format units as documented for CPython 3.11).  Pure
 * functions of their arguments: no shared state. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_excstate.h"

#define FLAG_SIZE_T 1

typedef double va_double;

static PyObject *do_mkvalue(const char **p_format, va_list *p_va, int flags);
static int do_mkstack(PyObject **stack, const char **p_format, va_list *p_va,
                      char endchar, Py_ssize_t n, int flags);

/* The number of values in format up to `endchar` at nesting level 0. */
static Py_ssize_t
countformat(const char *format, char endchar)
{
    Py_ssize_t count = 0;
    int level = 0;
    while (level > 0 || *format != endchar) {
        switch (*format) {
        case '\0':
            PyErr_SetString(PyExc_SystemError,
                            "unmatched paren in format");
            return -1;
        case '(':
        case '[':
        case '{':
            if (level == 0) {
                count++;
            }
            level++;
            break;
        case ')':
        case ']':
        case '}':
            level--;
            break;
        case '#':
        case '&':
        case ',':
        case ':':
        case ' ':
        case '\t':
            break;
        default:
            if (level == 0) {
                count++;
            }
        }
        format++;
    }
    return count;
}

/* After an error, the rest of the format is skipped; N arguments are
   still released (they were stolen). */
static void
do_ignore(const char **p_format, va_list *p_va, char endchar, Py_ssize_t n,
          int flags)
{
    PyObject *v = PyTuple_New(n);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *exc = PyErr_GetRaisedException();
        PyObject *w = do_mkvalue(p_format, p_va, flags);
        PyErr_SetRaisedException(exc);
        if (w != NULL) {
            if (v != NULL) {
                PyTuple_SET_ITEM(v, i, w);
            }
            else {
                Py_DECREF(w);
            }
        }
    }
    Py_XDECREF(v);
    if (**p_format != endchar) {
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        return;
    }
    if (endchar) {
        ++*p_format;
    }
}

static PyObject *
do_mkdict(const char **p_format, va_list *p_va, char endchar, Py_ssize_t n,
          int flags)
{
    if (n < 0) {
        return NULL;
    }
    if (n % 2) {
        PyErr_SetString(PyExc_SystemError, "Bad dict format");
        do_ignore(p_format, p_va, endchar, n, flags);
        return NULL;
    }
    PyObject *d = PyDict_New();
    if (d == NULL) {
        do_ignore(p_format, p_va, endchar, n, flags);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i += 2) {
        PyObject *k = do_mkvalue(p_format, p_va, flags);
        if (k == NULL) {
            do_ignore(p_format, p_va, endchar, n - i - 1, flags);
            Py_DECREF(d);
            return NULL;
        }
        PyObject *v = do_mkvalue(p_format, p_va, flags);
        if (v == NULL || PyDict_SetItem(d, k, v) < 0) {
            do_ignore(p_format, p_va, endchar, n - i - 2, flags);
            Py_DECREF(k);
            Py_XDECREF(v);
            Py_DECREF(d);
            return NULL;
        }
        Py_DECREF(k);
        Py_DECREF(v);
    }
    if (**p_format != endchar) {
        Py_DECREF(d);
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        return NULL;
    }
    if (endchar) {
        ++*p_format;
    }
    return d;
}

static PyObject *
do_mklist(const char **p_format, va_list *p_va, char endchar, Py_ssize_t n,
          int flags)
{
    if (n < 0) {
        return NULL;
    }
    PyObject *v = PyList_New(n);
    if (v == NULL) {
        do_ignore(p_format, p_va, endchar, n, flags);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *w = do_mkvalue(p_format, p_va, flags);
        if (w == NULL) {
            do_ignore(p_format, p_va, endchar, n - i - 1, flags);
            Py_DECREF(v);
            return NULL;
        }
        PyList_SET_ITEM(v, i, w);
    }
    if (**p_format != endchar) {
        Py_DECREF(v);
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        return NULL;
    }
    if (endchar) {
        ++*p_format;
    }
    return v;
}

static int
do_mkstack(PyObject **stack, const char **p_format, va_list *p_va,
           char endchar, Py_ssize_t n, int flags)
{
    if (n < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *w = do_mkvalue(p_format, p_va, flags);
        if (w == NULL) {
            do_ignore(p_format, p_va, endchar, n - i - 1, flags);
            for (Py_ssize_t j = 0; j < i; j++) {
                Py_DECREF(stack[j]);
            }
            return -1;
        }
        stack[i] = w;
    }
    if (**p_format != endchar) {
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        for (Py_ssize_t j = 0; j < n; j++) {
            Py_DECREF(stack[j]);
        }
        return -1;
    }
    if (endchar) {
        ++*p_format;
    }
    return 0;
}

static PyObject *
do_mktuple(const char **p_format, va_list *p_va, char endchar, Py_ssize_t n,
           int flags)
{
    if (n < 0) {
        return NULL;
    }
    PyObject *v = PyTuple_New(n);
    if (v == NULL) {
        do_ignore(p_format, p_va, endchar, n, flags);
        return NULL;
    }
    if (n > 0 && do_mkstack(_PyTuple_ITEMS(v), p_format, p_va, endchar, n,
                            flags) < 0) {
        /* The items were released; free the empty shell. */
        memset(_PyTuple_ITEMS(v), 0, (size_t)n * sizeof(PyObject *));
        Py_DECREF(v);
        return NULL;
    }
    if (n == 0) {
        if (**p_format != endchar) {
            Py_DECREF(v);
            PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
            return NULL;
        }
        if (endchar) {
            ++*p_format;
        }
    }
    return v;
}

/* The length argument of a '#' unit. */
static Py_ssize_t
get_hash_length(va_list *p_va, int flags, int *err)
{
    if (!(flags & FLAG_SIZE_T)) {
        PyErr_SetString(PyExc_SystemError,
                        "PY_SSIZE_T_CLEAN macro must be defined for '#' "
                        "formats");
        *err = 1;
        return 0;
    }
    return va_arg(*p_va, Py_ssize_t);
}

static PyObject *
do_mkvalue(const char **p_format, va_list *p_va, int flags)
{
    for (;;) {
        switch (*(*p_format)++) {
        case '(':
            return do_mktuple(p_format, p_va, ')',
                              countformat(*p_format, ')'), flags);
        case '[':
            return do_mklist(p_format, p_va, ']',
                             countformat(*p_format, ']'), flags);
        case '{':
            return do_mkdict(p_format, p_va, '}',
                             countformat(*p_format, '}'), flags);
        case 'b':
        case 'B':
        case 'h':
        case 'i':
            return PyLong_FromLong((long)va_arg(*p_va, int));
        case 'p':
            /* an int as a bool (CPython 3.14's code; harmless earlier) */
            return PyBool_FromLong((long)va_arg(*p_va, int));
        case 'H':
            return PyLong_FromLong((long)va_arg(*p_va, unsigned int));
        case 'I':
            return PyLong_FromUnsignedLong(
                (unsigned long)va_arg(*p_va, unsigned int));
        case 'n':
            return PyLong_FromSsize_t(va_arg(*p_va, Py_ssize_t));
        case 'l':
            return PyLong_FromLong(va_arg(*p_va, long));
        case 'k':
            return PyLong_FromUnsignedLong(va_arg(*p_va, unsigned long));
        case 'L':
            return PyLong_FromLongLong(va_arg(*p_va, long long));
        case 'K':
            return PyLong_FromUnsignedLongLong(
                va_arg(*p_va, unsigned long long));
        case 'u': {
            Py_UNICODE *u = va_arg(*p_va, Py_UNICODE *);
            Py_ssize_t n;
            if (**p_format == '#') {
                ++*p_format;
                int err = 0;
                n = get_hash_length(p_va, flags, &err);
                if (err) {
                    return NULL;
                }
            }
            else {
                n = -1;
            }
            if (u == NULL) {
                Py_RETURN_NONE;
            }
            if (n < 0) {
                n = (Py_ssize_t)wcslen(u);
            }
            return PyUnicode_FromWideChar(u, n);
        }
        case 'f':
        case 'd':
            return PyFloat_FromDouble((double)va_arg(*p_va, va_double));
        case 'D':
            PyErr_SetString(PyExc_SystemError,
                            "Py_BuildValue: complex ('D') is not supported "
                            "yet");
            return NULL;
        case 'c': {
            char p[1];
            p[0] = (char)va_arg(*p_va, int);
            return PyBytes_FromStringAndSize(p, 1);
        }
        case 'C': {
            int i = va_arg(*p_va, int);
            return PyUnicode_FromOrdinal(i);
        }
        case 's':
        case 'z':
        case 'U': {
            const char *str = va_arg(*p_va, const char *);
            Py_ssize_t n;
            if (**p_format == '#') {
                ++*p_format;
                int err = 0;
                n = get_hash_length(p_va, flags, &err);
                if (err) {
                    return NULL;
                }
            }
            else {
                n = -1;
            }
            if (str == NULL) {
                Py_RETURN_NONE;
            }
            if (n < 0) {
                size_t m = strlen(str);
                if (m > PY_SSIZE_T_MAX) {
                    PyErr_SetString(PyExc_OverflowError,
                                    "string too long for Python string");
                    return NULL;
                }
                n = (Py_ssize_t)m;
            }
            return PyUnicode_FromStringAndSize(str, n);
        }
        case 'y': {
            const char *str = va_arg(*p_va, const char *);
            Py_ssize_t n;
            if (**p_format == '#') {
                ++*p_format;
                int err = 0;
                n = get_hash_length(p_va, flags, &err);
                if (err) {
                    return NULL;
                }
            }
            else {
                n = -1;
            }
            if (str == NULL) {
                Py_RETURN_NONE;
            }
            if (n < 0) {
                size_t m = strlen(str);
                if (m > PY_SSIZE_T_MAX) {
                    PyErr_SetString(PyExc_OverflowError,
                                    "string too long for Python bytes");
                    return NULL;
                }
                n = (Py_ssize_t)m;
            }
            return PyBytes_FromStringAndSize(str, n);
        }
        case 'N':
        case 'S':
        case 'O':
            if (**p_format == '&') {
                typedef PyObject *(*converter)(void *);
                converter func = va_arg(*p_va, converter);
                void *arg = va_arg(*p_va, void *);
                ++*p_format;
                return (*func)(arg);
            }
            else {
                PyObject *v = va_arg(*p_va, PyObject *);
                if (v != NULL) {
                    if (*(*p_format - 1) != 'N') {
                        Py_INCREF(v);
                    }
                }
                else if (!PyErr_Occurred()) {
                    PyErr_SetString(PyExc_SystemError,
                                    "NULL object passed to Py_BuildValue");
                }
                return v;
            }
        case ':':
        case ',':
        case ' ':
        case '\t':
            break;
        default:
            PyErr_SetString(PyExc_SystemError,
                            "bad format char passed to Py_BuildValue");
            return NULL;
        }
    }
}

static PyObject *
va_build_value(const char *format, va_list va, int flags)
{
    const char *f = format;
    Py_ssize_t n = countformat(f, '\0');
    va_list lva;
    PyObject *retval;
    if (n < 0) {
        return NULL;
    }
    if (n == 0) {
        Py_RETURN_NONE;
    }
    va_copy(lva, va);
    if (n == 1) {
        retval = do_mkvalue(&f, &lva, flags);
    }
    else {
        retval = do_mktuple(&f, &lva, '\0', n, flags);
    }
    va_end(lva);
    return retval;
}

#undef Py_BuildValue
PyObject *
Py_BuildValue(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *retval = va_build_value(format, va, 0);
    va_end(va);
    return retval;
}

PyObject *
_Py_BuildValue_SizeT(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *retval = va_build_value(format, va, FLAG_SIZE_T);
    va_end(va);
    return retval;
}

#undef Py_VaBuildValue
PyObject *
Py_VaBuildValue(const char *format, va_list va)
{
    return va_build_value(format, va, FLAG_SIZE_T);
}

PyObject *
_Py_VaBuildValue_SizeT(const char *format, va_list va)
{
    return va_build_value(format, va, FLAG_SIZE_T);
}
