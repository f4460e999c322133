/* The PyStructSequence C API (Objects/structseq.c): a static type through
 * PyStructSequence_InitType2 and a heap type through
 * PyStructSequence_NewType, with visible, attribute-only and unnamed
 * fields; New/SetItem/GetItem and the macros; reprs, lengths, reduce and
 * the constructor's errors as CPython 3.11 words them; and 8 threads
 * reading one shared instance while others make and drop their own
 * (instances are immutable, so readers need no lock).  Runs under TSan. */
#include "testvalues.h"

static PyStructSequence_Field point_fields[] = {
    {"x", "the x coordinate"},
    {"y", "the y coordinate"},
    {NULL, "unnamed, visible"},     /* set to UnnamedField in main */
    {"label", "attribute only"},
    {"weight", "attribute only"},
    {NULL, NULL}
};

static PyStructSequence_Desc point_desc = {
    "test.point", "A point.", point_fields, 3
};

static PyTypeObject PointType;

static void
check_repr(PyObject *o, const char *expected)
{
    PyObject *r = PyObject_Repr(o);
    CHECK(r != NULL);
    const char *got = PyUnicode_AsUTF8(r);
    if (strcmp(got, expected) != 0) {
        tv_fail_str("repr", got, expected, __FILE__, __LINE__);
    }
    Py_DECREF(r);
}

/* New reference: an instance of TYPE with fields 0..n-1 = BASE+i. */
static PyObject *
make(PyTypeObject *type, long base, int n)
{
    PyObject *o = PyStructSequence_New(type);
    CHECK(o != NULL);
    for (int i = 0; i < n; i++) {
        PyStructSequence_SetItem(o, i, PyLong_FromLong(base + i));
    }
    return o;
}

static void
test_static_type(void)
{
    CHECK(PyStructSequence_InitType2(&PointType, &point_desc) == 0);
    PyObject *p = make(&PointType, 10, 5);
    CHECK(PyTuple_Check(p) && PyTuple_GET_SIZE(p) == 3);
    CHECK(PyLong_AsLong(PyStructSequence_GetItem(p, 3)) == 13);
    CHECK(PyLong_AsLong(PyStructSequence_GET_ITEM(p, 4)) == 14);
    check_repr(p, "test.point(x=10, y=11, label=12)");
    PyObject *w = PyObject_GetAttrString(p, "weight");
    CHECK(w != NULL && PyLong_AsLong(w) == 14);
    Py_DECREF(w);
    PyObject *red = PyObject_CallMethod(p, "__reduce__", NULL);
    CHECK(red != NULL);
    check_repr(red, "(<class 'test.point'>, ((10, 11, 12), "
                    "{'label': 13, 'weight': 14}))");
    /* Rebuild from the reduce value: equal, hidden fields included. */
    PyObject *q = PyObject_Call(PyTuple_GET_ITEM(red, 0),
                                PyTuple_GET_ITEM(red, 1), NULL);
    CHECK(q != NULL);
    CHECK(PyObject_RichCompareBool(p, q, Py_EQ) == 1);
    w = PyObject_GetAttrString(q, "label");
    CHECK(w != NULL && PyLong_AsLong(w) == 13);
    Py_DECREF(w);
    Py_DECREF(q);
    Py_DECREF(red);
    PyObject *n = PyObject_GetAttrString((PyObject *)&PointType,
                                         "n_unnamed_fields");
    CHECK(n != NULL && PyLong_AsLong(n) == 1);
    Py_DECREF(n);
    PyObject *ma = PyObject_GetAttrString((PyObject *)&PointType,
                                          "__match_args__");
    check_repr(ma, "('x', 'y')");
    Py_DECREF(ma);
    /* Fields never set read as None. */
    PyObject *e = PyStructSequence_New(&PointType);
    PyObject *lbl = PyObject_GetAttrString(e, "label");
    CHECK(lbl == Py_None);
    Py_DECREF(lbl);
    Py_DECREF(e);
    Py_DECREF(p);
}

static void
test_constructor_errors(void)
{
    PyObject *args = Py_BuildValue("((ii))", 1, 2);
    CHECK(PyObject_Call((PyObject *)&PointType, args, NULL) == NULL);
    tv_check_error("TypeError", "test.point() takes an at least "
                   "3-sequence (2-sequence given)");
    Py_DECREF(args);
    args = Py_BuildValue("((iiiiii))", 1, 2, 3, 4, 5, 6);
    CHECK(PyObject_Call((PyObject *)&PointType, args, NULL) == NULL);
    tv_check_error("TypeError", "test.point() takes an at most "
                   "5-sequence (6-sequence given)");
    Py_DECREF(args);
    args = Py_BuildValue("((iii)i)", 1, 2, 3, 4);
    CHECK(PyObject_Call((PyObject *)&PointType, args, NULL) == NULL);
    tv_check_error("TypeError", "test.point() takes a dict as second "
                   "arg, if any");
    Py_DECREF(args);
    args = Py_BuildValue("(i)", 5);
    CHECK(PyObject_Call((PyObject *)&PointType, args, NULL) == NULL);
    tv_check_error("TypeError", "constructor requires a sequence");
    Py_DECREF(args);
}

static void
test_heap_type(void)
{
    PyTypeObject *t = PyStructSequence_NewType(&point_desc);
    CHECK(t != NULL);
    CHECK(PyType_HasFeature(t, Py_TPFLAGS_HEAPTYPE));
    for (int round = 0; round < 100; round++) {
        PyObject *p = make(t, round, 5);
        if (round == 0) {
            check_repr(p, "test.point(x=0, y=1, label=2)");
        }
        PyObject *mod = PyObject_GetAttrString((PyObject *)t, "__module__");
        CHECK(mod != NULL && strcmp(PyUnicode_AsUTF8(mod), "test") == 0);
        Py_DECREF(mod);
        Py_DECREF(p);
    }
    PyObject *args = Py_BuildValue("((iiii))", 1, 2, 3, 4);
    PyObject *p = PyObject_Call((PyObject *)t, args, NULL);
    CHECK(p != NULL);
    check_repr(p, "test.point(x=1, y=2, label=3)");
    Py_DECREF(args);
    Py_DECREF(p);
    Py_DECREF(t);
}

/* Shared instance read by all threads while each also makes its own. */
static PyObject *shared;

static void *
reader(void *arg)
{
    PyGILState_STATE st = PyGILState_Ensure();
    long bad = 0;
    for (int i = 0; i < 2000; i++) {
        PyObject *w = PyObject_GetAttrString(shared, "weight");
        PyObject *x = PySequence_GetItem(shared, 0);
        if (w == NULL || x == NULL || PyLong_AsLong(w) != 4 ||
            PyLong_AsLong(x) != 0) {
            bad++;
        }
        Py_XDECREF(w);
        Py_XDECREF(x);
        PyObject *mine = make(&PointType, i, 5);
        PyObject *r = PyObject_Repr(mine);
        if (r == NULL) {
            bad++;
        }
        Py_XDECREF(r);
        Py_DECREF(mine);
    }
    PyGILState_Release(st);
    return (void *)bad;
}

static void
test_threads(void)
{
    shared = make(&PointType, 0, 5);
    pthread_t th[8];
    PyThreadState *save = PyEval_SaveThread();
    for (int i = 0; i < 8; i++) {
        CHECK(pthread_create(&th[i], NULL, reader, NULL) == 0);
    }
    long bad = 0;
    for (int i = 0; i < 8; i++) {
        void *r;
        pthread_join(th[i], &r);
        bad += (long)r;
    }
    PyEval_RestoreThread(save);
    CHECK(bad == 0);
    Py_CLEAR(shared);
}

int
main(void)
{
    point_fields[2].name = PyStructSequence_UnnamedField;
    tv_init();
    test_static_type();
    test_constructor_errors();
    test_heap_type();
    test_threads();
    tv_fini();
    printf("test_structseq: ok\n");
    return 0;
}
