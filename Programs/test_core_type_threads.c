/* Classes changed while other threads use them (issue 6): for a bounded
 * time, reader threads look attributes up on a class and its instances
 * (through the method cache) and call a special method, while writer
 * threads assign class attributes, replace the special method (slot
 * updates with the world stopped, propagated to a subclass) and churn new
 * names (version tags), and one thread keeps reassigning the instance's
 * __class__ between the class and its subclass.
 *
 * Invariants: a reader only ever sees a value some writer stored (never a
 * freed or torn one), the special method result is one of the two
 * implementations', nothing crashes; also under TSan.  Readers reach a
 * safe point (the eval breaker) between operations, as bytecode does. */
#include "coretest.h"

#include <pthread.h>

#define NREADERS 4
#define NWRITERS 2
#define DURATION 1.0

typedef PyObject *(*tfunc_impl)(PyObject *const *args, Py_ssize_t nargs);

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    tfunc_impl impl;
} TFuncObject;

static PyObject *
tfunc_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                 PyObject *kwnames)
{
    return ((TFuncObject *)self)->impl(args, PyVectorcall_NARGS(nargsf));
}

static PyObject *
tfunc_get(PyObject *self, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None) {
        return Py_NewRef(self);
    }
    return PyMethod_New(self, obj);
}

static void
tfunc_dealloc(PyObject *self)
{
    PyObject_Free(self);
}

static PyTypeObject TFunc_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "tfunc",
    .tp_basicsize = sizeof(TFuncObject),
    .tp_dealloc = tfunc_dealloc,
    .tp_vectorcall_offset = offsetof(TFuncObject, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL |
                Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_descr_get = tfunc_get,
};

static PyObject *
tfunc(tfunc_impl impl)
{
    TFuncObject *f = PyObject_New(TFuncObject, &TFunc_Type);
    CHECK(f != NULL);
    f->vectorcall = tfunc_vectorcall;
    f->impl = impl;
    return (PyObject *)f;
}

static PyObject *
impl_42(PyObject *const *args, Py_ssize_t nargs)
{
    return PyLong_FromLong(42);
}

static PyObject *
impl_43(PyObject *const *args, Py_ssize_t nargs)
{
    return PyLong_FromLong(43);
}

static PyObject *cls, *cls2, *inst, *func42, *func43;
static int stop_flag;
static Py_ssize_t bad, lookups;

static void *
reader(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    PyObject *x = PyUnicode_InternFromString("x");
    PyObject *one = PyLong_FromLong(1);
    Py_ssize_t n = 0;
    while (!_Py_atomic_load_int(&stop_flag)) {
        PyObject *target = (n & 1) ? inst : cls;
        PyObject *v = PyObject_GetAttr(target, x);
        if (v == NULL || !PyLong_Check(v) || PyLong_AsLong(v) % 7 != 0) {
            _Py_atomic_add_ssize(&bad, 1);
            PyErr_Clear();
        }
        Py_XDECREF(v);
        PyObject *r = PyNumber_Add(inst, one);
        long rv = r ? PyLong_AsLong(r) : -1;
        if (rv != 42 && rv != 43) {
            _Py_atomic_add_ssize(&bad, 1);
            PyErr_Clear();
        }
        Py_XDECREF(r);
        n++;
        _PyEval_CheckBreaker(ts);
    }
    _Py_atomic_add_ssize(&lookups, n);
    Py_DECREF(one);
    Py_DECREF(x);
    PyGILState_Release(g);
    return NULL;
}

static void *
writer(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    long k = (long)(intptr_t)arg;
    int i = 0;
    while (!_Py_atomic_load_int(&stop_flag)) {
        PyObject *v = PyLong_FromLong(7 * (k + 2 * i));
        CHECK(PyObject_SetAttrString(cls, "x", v) == 0);
        Py_DECREF(v);
        if (i % 16 == 0) {
            CHECK(PyObject_SetAttrString(cls, "__add__",
                                         (i / 16) & 1 ? func43 : func42)
                  == 0);
        }
        PyObject *name = PyUnicode_FromFormat("churn%d", i % 64);
        CHECK(PyObject_SetAttr(cls, name, Py_None) == 0);
        Py_DECREF(name);
        i++;
        _PyEval_CheckBreaker(ts);
    }
    PyGILState_Release(g);
    return NULL;
}

/* Flips the instance between C and its subclass C2 (same layout). */
static void *
class_flipper(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    int i = 0;
    while (!_Py_atomic_load_int(&stop_flag)) {
        CHECK(PyObject_SetAttrString(inst, "__class__",
                                     (i++ & 1) ? cls : cls2) == 0);
        _PyEval_CheckBreaker(ts);
    }
    PyGILState_Release(g);
    return NULL;
}

int
main(void)
{
    Py_Initialize();
    CHECK(PyType_Ready(&TFunc_Type) == 0);
    func42 = tfunc(impl_42);
    func43 = tfunc(impl_43);
    PyObject *ns = PyDict_New();
    PyObject *zero = PyLong_FromLong(0);
    CHECK(PyDict_SetItemString(ns, "x", zero) == 0);
    CHECK(PyDict_SetItemString(ns, "__add__", func42) == 0);
    Py_DECREF(zero);
    cls = PyObject_CallFunction((PyObject *)&PyType_Type, "s()O", "C", ns);
    CHECK(cls != NULL);
    Py_DECREF(ns);
    inst = PyObject_CallNoArgs(cls);
    CHECK(inst != NULL);
    cls2 = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){}", "C2",
                                 cls);
    CHECK(cls2 != NULL);
    pthread_t t[NREADERS + NWRITERS + 1];
    int n = 0;
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i < NREADERS; i++) {
        CHECK(pthread_create(&t[n++], NULL, reader, NULL) == 0);
    }
    for (int i = 0; i < NWRITERS; i++) {
        CHECK(pthread_create(&t[n++], NULL, writer,
                             (void *)(intptr_t)i) == 0);
    }
    CHECK(pthread_create(&t[n++], NULL, class_flipper, NULL) == 0);
    double t0 = test_seconds();
    while (test_seconds() - t0 < DURATION) {
        usleep(10000);
    }
    _Py_atomic_store_int(&stop_flag, 1);
    test_join_threads(t, n);
    Py_END_ALLOW_THREADS
    EXPECT(_Py_atomic_load_ssize(&bad) == 0);
    EXPECT(_Py_atomic_load_ssize(&lookups) > 0);
    Py_DECREF(inst);
    Py_DECREF(cls2);
    Py_DECREF(cls);
    Py_DECREF(func42);
    Py_DECREF(func43);
    CHECK(!PyErr_Occurred());
    Py_FinalizeEx();
    return coretest_finish("test_core_type_threads");
}
