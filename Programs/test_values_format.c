/* Formatting: format(value, spec) for int, bool, float and str over the
 * whole format-spec mini-language, printf-style str % args, and
 * str.format with positional arguments, checked against CPython 3.11
 * (testvalues_format.h, generated with python3.11). */
#include "testvalues.h"
#include "pycore_formatter.h"
#include "testvalues_format.h"

static PyObject *
make_arg(char kind, const char *lit)
{
    switch (kind) {
    case 'i':
        return PyLong_FromString(lit, NULL, 10);
    case 'b':
        return PyBool_FromLong(lit[0] == '1');
    case 'f': {
        uint64_t bits = strtoull(lit, NULL, 16);
        double x;
        memcpy(&x, &bits, sizeof(x));
        return PyFloat_FromDouble(x);
    }
    case 's':
        return PyUnicode_FromString(lit);
    }
    abort();
}

/* format(v, spec) as the built-in would dispatch it. */
static PyObject *
format_value(PyObject *v, PyObject *spec)
{
    if (PyFloat_Check(v)) {
        return _PyFloat_FormatSpec(v, spec);
    }
    if (PyLong_Check(v)) {
        return _PyLong_FormatSpec(v, spec);
    }
    return _PyUnicode_FormatSpec(v, spec);
}

int
main(void)
{
    tv_init();
    for (size_t i = 0; i < Py_ARRAY_LENGTH(fmtcases); i++) {
        const struct fmtcase *c = &fmtcases[i];
        const char *kinds = c->kinds;
        int single = kinds[0] == '1';
        if (single) {
            kinds++;
        }
        Py_ssize_t n = (Py_ssize_t)strlen(kinds);
        PyObject *args = PyTuple_New(n);
        for (Py_ssize_t k = 0; k < n; k++) {
            PyTuple_SET_ITEM(args, k, make_arg(kinds[k], c->args[k]));
        }
        PyObject *text = PyUnicode_FromString(c->text);
        PyObject *r;
        if (strcmp(c->kind, "spec") == 0) {
            r = format_value(PyTuple_GET_ITEM(args, 0), text);
        }
        else if (strcmp(c->kind, "pct") == 0) {
            r = PyUnicode_Format(text, single ? PyTuple_GET_ITEM(args, 0)
                                              : args);
        }
        else {
            r = _PyUnicode_FormatMethod(text, args, NULL);
        }
        const char *got = r ? PyUnicode_AsUTF8(r) : tv_error();
        if ((r != NULL) != c->ok || strcmp(got, c->expected) != 0) {
            fprintf(stderr, "case %zu: %s %s [%s %s]\n  got:      %s\n"
                    "  expected: %s\n", i, c->kind, c->text, c->kinds, c->args[0] ? c->args[0] : "", got,
                    c->expected);
            exit(1);
        }
        Py_XDECREF(r);
        Py_DECREF(text);
        Py_DECREF(args);
    }
    tv_fini();
    printf("test_values_format: ok (%zu cases)\n", Py_ARRAY_LENGTH(fmtcases));
    return 0;
}
