/* The marshal C API (Python/marshal.c) with the bytes CPython 3.11
 * writes, through strings and C FILEs (reads consume exactly one
 * object), and the C warning API (Python/_warnings.c): PyErr_WarnEx and
 * friends against the default filters, an "error" filter, the registry,
 * and _PyWarnings_InitFilters with -W options. */
#include "testvalues.h"
#include "pycore_warnings.h"

/* Checks that OBJ marshals to exactly HEX (CPython 3.11's bytes) and that
   the bytes load back to an equal object.  Steals OBJ. */
static void
check_bytes(PyObject *obj, const char *hex)
{
    CHECK(obj != NULL);
    PyObject *data = PyMarshal_WriteObjectToString(obj, Py_MARSHAL_VERSION);
    CHECK(data != NULL);
    char got[512];
    Py_ssize_t n = PyBytes_GET_SIZE(data);
    CHECK(n * 2 < (Py_ssize_t)sizeof(got));
    for (Py_ssize_t i = 0; i < n; i++) {
        snprintf(got + 2 * i, 3, "%02x",
                 (unsigned char)PyBytes_AS_STRING(data)[i]);
    }
    got[2 * n] = '\0';
    if (strcmp(got, hex) != 0) {
        fprintf(stderr, "marshal: got %s want %s\n", got, hex);
        exit(1);
    }
    PyObject *back = PyMarshal_ReadObjectFromString(PyBytes_AS_STRING(data),
                                                    n);
    CHECK(back != NULL);
    CHECK(PyObject_RichCompareBool(back, obj, Py_EQ) == 1);
    Py_DECREF(back);
    Py_DECREF(data);
    Py_DECREF(obj);
}

static void
test_strings(void)
{
    /* A fresh object (one reference) carries no FLAG_REF. */
    check_bytes(PyLong_FromLong(100000), "69a0860100");
    check_bytes(PyLong_FromString("100000000000000000000", NULL, 10),
                "6c0500000000002046b5783a5e5600");
    check_bytes(PyFloat_FromDouble(1.5), "67000000000000f83f");
    check_bytes(PyUnicode_FromString("a b"), "7a03612062");
    check_bytes(PyBytes_FromString("xy"), "73020000007879");
    check_bytes(Py_BuildValue("(i[s])", 300, "qq"),
                "2902692c0100005b010000007a027171");
    check_bytes(Py_NewRef(Py_None), "4e");

    CHECK(PyMarshal_ReadObjectFromString("", 0) == NULL);
    CHECK(strcmp(tv_error(), "EOFError: EOF read where object expected")
          == 0);
    CHECK(PyMarshal_ReadObjectFromString("i\x01", 2) == NULL);
    CHECK(strcmp(tv_error(), "EOFError: marshal data too short") == 0);
    CHECK(PyMarshal_ReadObjectFromString("Q", 1) == NULL);
    CHECK(strcmp(tv_error(),
                 "ValueError: bad marshal data (unknown type code)") == 0);
    PyObject *o = PyModule_New("m");
    CHECK(PyMarshal_WriteObjectToString(o, 4) == NULL);
    CHECK(strcmp(tv_error(), "ValueError: unmarshallable object") == 0);
    Py_DECREF(o);
}

static void
test_files(void)
{
    FILE *fp = tmpfile();
    CHECK(fp != NULL);
    PyMarshal_WriteLongToFile(-2, fp, 4);
    PyMarshal_WriteLongToFile(0x1234, fp, 4);
    PyObject *v = Py_BuildValue("[is]", 7, "seven");
    PyMarshal_WriteObjectToFile(v, fp, 4);
    PyMarshal_WriteObjectToFile(v, fp, 4);
    CHECK(!PyErr_Occurred());
    rewind(fp);
    CHECK(PyMarshal_ReadLongFromFile(fp) == -2);
    CHECK(PyMarshal_ReadShortFromFile(fp) == 0x1234);
    CHECK(PyMarshal_ReadShortFromFile(fp) == 0);
    PyObject *a = PyMarshal_ReadObjectFromFile(fp);
    CHECK(a != NULL && PyObject_RichCompareBool(a, v, Py_EQ) == 1);
    PyObject *b = PyMarshal_ReadLastObjectFromFile(fp);
    CHECK(b != NULL && PyObject_RichCompareBool(b, v, Py_EQ) == 1);
    CHECK(PyMarshal_ReadObjectFromFile(fp) == NULL);
    CHECK(strcmp(tv_error(), "EOFError: EOF read where object expected")
          == 0);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(v);
    fclose(fp);
}

static void
test_warnings(void)
{
    CHECK(_PyWarnings_InitFilters(NULL) == 0);
    /* Ignored by the default filters. */
    CHECK(PyErr_WarnEx(PyExc_DeprecationWarning, "quiet", 1) == 0);
    CHECK(PyErr_ResourceWarning(NULL, 1, "quiet %d", 1) == 0);
    CHECK(PyErr_WarnEx(PyExc_TypeError, "x", 1) == -1);
    CHECK(strcmp(tv_error(), "TypeError: category must be a Warning "
                 "subclass, not 'type'") == 0);

    /* "ignore" leaves the registry without the key (only its version). */
    PyObject *reg = PyDict_New();
    CHECK(reg != NULL);
    CHECK(PyErr_WarnExplicit(PyExc_DeprecationWarning, "d", "f.py", 2, NULL,
                             reg) == 0);
    PyObject *key = Py_BuildValue("(sOi)", "d", PyExc_DeprecationWarning, 2);
    CHECK(key != NULL && PyDict_Contains(reg, key) == 0);
    CHECK(PyDict_GetItemString(reg, "version") != NULL);
    Py_DECREF(key);
    Py_DECREF(reg);

    /* -W error::UserWarning: applied by the warnings module. */
    PyObject *opts = Py_BuildValue("[s]", "error::UserWarning");
    CHECK(opts != NULL);
    if (_PyWarnings_InitFilters(opts) < 0) {
        fprintf(stderr, "skipping the -W part: %s\n", tv_error());
    }
    else {
        CHECK(PyErr_WarnEx(PyExc_UserWarning, "boom", 1) == -1);
        CHECK(strcmp(tv_error(), "UserWarning: boom") == 0);
        CHECK(PyErr_WarnFormat(PyExc_UserWarning, 1, "n=%d", 5) == -1);
        CHECK(strcmp(tv_error(), "UserWarning: n=5") == 0);
        CHECK(PyErr_WarnExplicitFormat(PyExc_UserWarning, "f.py", 3, NULL,
                                       NULL, "%s!", "fmt") == -1);
        CHECK(strcmp(tv_error(), "UserWarning: fmt!") == 0);
        PyObject *msg = PyUnicode_FromString("obj");
        PyObject *fn = PyUnicode_FromString("g.py");
        CHECK(PyErr_WarnExplicitObject(PyExc_UserWarning, msg, fn, 1, NULL,
                                       NULL) == -1);
        CHECK(strcmp(tv_error(), "UserWarning: obj") == 0);
        Py_DECREF(msg);
        Py_DECREF(fn);
        /* Reset: back to the defaults, UserWarning no longer an error. */
        CHECK(_PyWarnings_InitFilters(NULL) == 0);
        PyObject *w = PyImport_ImportModule("warnings");
        CHECK(w != NULL);
        PyObject *filters = PyObject_GetAttrString(w, "filters");
        CHECK(filters != NULL && PyList_Check(filters)
              && PyList_GET_SIZE(filters) == 5);
        Py_DECREF(filters);
        Py_DECREF(w);
    }
    Py_DECREF(opts);
}

int
main(void)
{
    tv_init();
    test_strings();
    test_files();
    test_warnings();
    tv_fini();
    printf("test_marshal_capi: ok\n");
    return 0;
}
