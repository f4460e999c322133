/* Helpers for the C tests of the object core (Programs/test_core_*.c):
 * they check reprs and error messages against the strings CPython 3.11
 * produces.  Every helper exits(1) with a message on a mismatch. */
#ifndef PLAIT_CORETEST_H
#define PLAIT_CORETEST_H

#include "testutil.h"

static int coretest_failures;

#define EXPECT(cond)                                                       \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: EXPECT failed: %s\n", __FILE__,        \
                    __LINE__, #cond);                                      \
            coretest_failures++;                                           \
        }                                                                  \
    } while (0)

/* The UTF-8 of str(o) or repr(o), in a static-free malloc'd copy. */
static inline char *
coretest_text(PyObject *o, int use_repr)
{
    PyObject *s = use_repr ? PyObject_Repr(o) : PyObject_Str(o);
    if (s == NULL) {
        PyErr_Clear();
        return strdup("<repr failed>");
    }
    char *res = strdup(PyUnicode_AsUTF8(s));
    Py_DECREF(s);
    return res;
}

/* Steals `o`. */
static inline void
expect_repr_at(const char *file, int line, PyObject *o, const char *want)
{
    if (o == NULL) {
        PyObject *exc = PyErr_GetRaisedException();
        char *e = exc ? coretest_text(exc, 1) : strdup("<none>");
        fprintf(stderr, "%s:%d: expected %s, got an error: %s\n", file, line,
                want, e);
        free(e);
        Py_XDECREF(exc);
        coretest_failures++;
        return;
    }
    char *got = coretest_text(o, 1);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "%s:%d: repr mismatch:\n  want: %s\n  got:  %s\n",
                file, line, want, got);
        coretest_failures++;
    }
    free(got);
    Py_DECREF(o);
}
#define expect_repr(o, want) expect_repr_at(__FILE__, __LINE__, (o), (want))

/* Steals `o`. */
static inline void
expect_str_at(const char *file, int line, PyObject *o, const char *want)
{
    if (o == NULL) {
        PyErr_Clear();
        fprintf(stderr, "%s:%d: expected str %s, got an error\n", file, line,
                want);
        coretest_failures++;
        return;
    }
    char *got = coretest_text(o, 0);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "%s:%d: str mismatch:\n  want: %s\n  got:  %s\n",
                file, line, want, got);
        coretest_failures++;
    }
    free(got);
    Py_DECREF(o);
}
#define expect_str(o, want) expect_str_at(__FILE__, __LINE__, (o), (want))

/* `failed` must be true with an exception of exactly `type` whose str()
   is `msg` set; clears it. */
static inline void
expect_error_at(const char *file, int line, int failed, PyObject *type,
                const char *msg)
{
    PyObject *exc = PyErr_GetRaisedException();
    if (!failed || exc == NULL) {
        fprintf(stderr, "%s:%d: expected %s: %s; no error raised\n", file,
                line, ((PyTypeObject *)type)->tp_name, msg);
        coretest_failures++;
        Py_XDECREF(exc);
        return;
    }
    char *got = coretest_text(exc, 0);
    if ((PyObject *)Py_TYPE(exc) != type || strcmp(got, msg) != 0) {
        fprintf(stderr, "%s:%d: error mismatch:\n  want: %s: %s\n"
                "  got:  %s: %s\n", file, line,
                ((PyTypeObject *)type)->tp_name, msg,
                Py_TYPE(exc)->tp_name, got);
        coretest_failures++;
    }
    free(got);
    Py_DECREF(exc);
}
#define expect_error(failed, type, msg) \
    expect_error_at(__FILE__, __LINE__, (failed), (type), (msg))

/* A NULL-returning call: expect_error_obj(PyObject_GetItem(...), ...)
   releases a non-NULL result. */
static inline void
expect_error_obj_at(const char *file, int line, PyObject *res,
                    PyObject *type, const char *msg)
{
    Py_XDECREF(res);
    expect_error_at(file, line, res == NULL, type, msg);
}
#define expect_error_obj(res, type, msg) \
    expect_error_obj_at(__FILE__, __LINE__, (res), (type), (msg))

static inline PyObject *
str_(const char *s)
{
    PyObject *o = PyUnicode_FromString(s);
    CHECK(o != NULL);
    return o;
}

static inline PyObject *
int_(long v)
{
    PyObject *o = PyLong_FromLong(v);
    CHECK(o != NULL);
    return o;
}

static inline int
coretest_finish(const char *name)
{
    if (coretest_failures) {
        fprintf(stderr, "%s: %d failure(s)\n", name, coretest_failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

#endif /* !PLAIT_CORETEST_H */
