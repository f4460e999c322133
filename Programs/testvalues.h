/* Helpers for the value tests of numbers, text and containers
   (Programs/test_values_*.c): start the runtime, compare reprs and
   exception messages with strings taken from CPython 3.11. */
#ifndef PLAIT_TESTVALUES_H
#define PLAIT_TESTVALUES_H

#include "Python.h"
#include "pycore_pystate.h"
#include "pycore_long.h"
#include "pycore_unicodeobject.h"
#include "bytearrayobject.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
            exit(1);                                                       \
        }                                                                  \
    } while (0)


static inline void
tv_init(void)
{
    Py_Initialize();
}

static inline void
tv_fini(void)
{
    Py_FinalizeEx();
}

/* "Type: message" of the pending exception (cleared), or "". */
static inline const char *
tv_error(void)
{
    static char buf[1024];
    if (!PyErr_Occurred()) {
        return "";
    }
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyObject *s = v ? PyObject_Str(v) : NULL;
    snprintf(buf, sizeof(buf), "%s: %s", ((PyTypeObject *)t)->tp_name,
             s ? PyUnicode_AsUTF8(s) : "");
    Py_XDECREF(s);
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
    return buf;
}

static inline void
tv_fail_str(const char *what, const char *got, const char *expected,
            const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s\n  got:      %s\n  expected: %s\n", file,
            line, what, got, expected);
    exit(1);
}

/* The pending exception must be `type` with message `msg`. */
#define tv_check_error(type, msg) \
    tv_check_error_at((type), (msg), __FILE__, __LINE__)
static inline void
tv_check_error_at(const char *type, const char *msg, const char *file,
                  int line)
{
    char expected[1024];
    snprintf(expected, sizeof(expected), "%s: %s", type, msg);
    const char *got = tv_error();
    if (strcmp(got, expected) != 0) {
        tv_fail_str("wrong exception", got, expected, file, line);
    }
}

/* str (stolen) must equal the UTF-8 text expected. */
#define tv_check_str(str, expected) \
    tv_check_str_at((str), (expected), __FILE__, __LINE__)
static inline void
tv_check_str_at(PyObject *str, const char *expected, const char *file,
                int line)
{
    if (str == NULL) {
        tv_fail_str("error", tv_error(), expected, file, line);
    }
    const char *got = PyUnicode_AsUTF8(str);
    if (got == NULL || strcmp(got, expected) != 0) {
        tv_fail_str("wrong text", got ? got : tv_error(), expected, file,
                    line);
    }
    Py_DECREF(str);
}

/* repr(obj) must equal expected; obj is stolen (NULL: fail). */
#define tv_check_repr(obj, expected) \
    tv_check_repr_at((obj), (expected), __FILE__, __LINE__)
static inline void
tv_check_repr_at(PyObject *obj, const char *expected, const char *file,
                 int line)
{
    if (obj == NULL) {
        tv_fail_str("error", tv_error(), expected, file, line);
    }
    tv_check_str_at(PyObject_Repr(obj), expected, file, line);
    Py_DECREF(obj);
}

/* a <op> b through the operands' number slots (a's, then b's), as the
   binary operators do for built-in types. */
static inline PyObject *
tv_binop(const char *op, PyObject *a, PyObject *b)
{
    size_t off;
#define TV_OP(name, slot) \
    if (strcmp(op, name) == 0) { off = offsetof(PyNumberMethods, slot); } else
    TV_OP("add", nb_add) TV_OP("sub", nb_subtract) TV_OP("mul", nb_multiply)
    TV_OP("floordiv", nb_floor_divide) TV_OP("mod", nb_remainder)
    TV_OP("truediv", nb_true_divide) TV_OP("lshift", nb_lshift)
    TV_OP("rshift", nb_rshift) TV_OP("and", nb_and) TV_OP("or", nb_or)
    TV_OP("xor", nb_xor) TV_OP("divmod", nb_divmod)
    {
        abort();
    }
#undef TV_OP
    PyNumberMethods *na = Py_TYPE(a)->tp_as_number;
    PyNumberMethods *nb = Py_TYPE(b)->tp_as_number;
    if (na != NULL) {
        binaryfunc f = *(binaryfunc *)((char *)na + off);
        if (f != NULL) {
            PyObject *r = f(a, b);
            if (r != Py_NotImplemented) {
                return r;
            }
        }
    }
    if (nb != NULL && nb != na) {
        binaryfunc f = *(binaryfunc *)((char *)nb + off);
        if (f != NULL) {
            PyObject *r = f(a, b);
            if (r != Py_NotImplemented) {
                return r;
            }
        }
    }
    PyErr_SetString(PyExc_TypeError, "unsupported operand types");
    return NULL;
}

static inline PyObject *
tv_pow(PyObject *a, PyObject *b, PyObject *m)
{
    PyObject *r = Py_TYPE(a)->tp_as_number->nb_power(a, b,
                                                     m ? m : Py_None);
    if (r == Py_NotImplemented) {
        r = Py_TYPE(b)->tp_as_number->nb_power(a, b, m ? m : Py_None);
    }
    return r;
}

static inline double
tv_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif /* !PLAIT_TESTVALUES_H */
