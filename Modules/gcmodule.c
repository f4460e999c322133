/* The gc module: the Python face of the cycle collector (Python/gc.c,
 * Include/internal/pycore_gc.h).
 *
 * Thread safety: the module holds no C state of its own.  Settings and
 * counters live in the collector (atomics and its mutex); gc.garbage and
 * gc.callbacks are ordinary lists stored as module attributes, so they
 * follow the list's own locking.  The collector's garbage list is moved
 * into gc.garbage after each gc.collect() made through this module. */
#include "Python.h"
#include "pycore_gc.h"
#include "pycore_pystate.h"

/* Appends the collector's pending uncollectable objects to the module's
   `garbage` list (oldest first).  Returns 0, or -1 with an exception. */
static int
gc_move_garbage(PyObject *module)
{
    PyObject *garbage = PyObject_GetAttrString(module, "garbage");
    if (garbage == NULL) {
        return -1;
    }
    int rc = 0;
    PyObject *op;
    while ((op = _PyGC_PopGarbage()) != NULL) {
        if (rc == 0 && PyList_Check(garbage)) {
            rc = PyList_Append(garbage, op);
        }
        Py_DECREF(op);
    }
    Py_DECREF(garbage);
    return rc;
}

/* gc.collect(generation=2): new reference to the number of unreachable
   objects found. */
static PyObject *
gc_collect(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"generation", NULL};
    int generation = 2;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|i:collect", kwlist,
                                     &generation)) {
        return NULL;
    }
    if (generation < 0 || generation >= _PyGC_NUM_GENERATIONS) {
        PyErr_SetString(PyExc_ValueError, "invalid generation");
        return NULL;
    }
    Py_ssize_t n = _PyGC_Collect(_PyThreadState_GET(), generation,
                                 _Py_GC_REASON_MANUAL);
    if (gc_move_garbage(module) < 0) {
        return NULL;
    }
    return PyLong_FromSsize_t(n);
}

/* gc.enable(): new reference to None. */
static PyObject *
gc_enable(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyGC_Enable();
    Py_RETURN_NONE;
}

/* gc.disable(): new reference to None. */
static PyObject *
gc_disable(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyGC_Disable();
    Py_RETURN_NONE;
}

/* gc.isenabled(): new reference to a bool. */
static PyObject *
gc_isenabled(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(PyGC_IsEnabled());
}

/* gc.get_count(): new reference to a 3-tuple.  One generation: the
   other two counts are always 0. */
static PyObject *
gc_get_count(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(nii)", _PyGC_GetCount(), 0, 0);
}

/* gc.get_threshold(): new reference to a 3-tuple. */
static PyObject *
gc_get_threshold(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    int th[_PyGC_NUM_GENERATIONS];
    _PyGC_GetThreshold(th);
    return Py_BuildValue("(iii)", th[0], th[1], th[2]);
}

/* gc.set_threshold(threshold0[, threshold1[, threshold2]]): new
   reference to None.  Omitted thresholds keep their values. */
static PyObject *
gc_set_threshold(PyObject *module, PyObject *args)
{
    int th[_PyGC_NUM_GENERATIONS];
    _PyGC_GetThreshold(th);
    if (!PyArg_ParseTuple(args, "i|ii:set_threshold",
                          &th[0], &th[1], &th[2])) {
        return NULL;
    }
    _PyGC_SetThreshold(th);
    Py_RETURN_NONE;
}

/* gc.get_debug(): new reference to an int. */
static PyObject *
gc_get_debug(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(_PyGC_GetDebug());
}

/* gc.set_debug(flags): new reference to None. */
static PyObject *
gc_set_debug(PyObject *module, PyObject *arg)
{
    int flags = _PyLong_AsInt(arg);
    if (flags == -1 && PyErr_Occurred()) {
        return NULL;
    }
    _PyGC_SetDebug(flags);
    Py_RETURN_NONE;
}

/* Context of gc_add_object: the list being filled. */
struct gc_list_arg {
    PyObject *list;
    int error;
};

/* PyUnstable_GC_VisitObjects callback: appends `op` (borrowed, held by
   the walker) to the list; stops on error. */
static int
gc_add_object(PyObject *op, void *arg)
{
    struct gc_list_arg *a = arg;
    if (PyList_Append(a->list, op) < 0) {
        a->error = 1;
        return 0;
    }
    return 1;
}

/* gc.get_objects(generation=None): new reference to a list of every
   tracked object (a generation given selects all of them too: Plait has
   a single generation). */
static PyObject *
gc_get_objects(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"generation", NULL};
    PyObject *gen = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:get_objects", kwlist,
                                     &gen)) {
        return NULL;
    }
    if (gen != Py_None) {
        long g = PyLong_AsLong(gen);
        if (g == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (g >= _PyGC_NUM_GENERATIONS) {
            PyErr_Format(PyExc_ValueError,
                         "generation parameter must be less than the "
                         "number of available generations (%i)",
                         _PyGC_NUM_GENERATIONS);
            return NULL;
        }
        if (g < 0) {
            PyErr_SetString(PyExc_ValueError,
                            "generation parameter cannot be negative");
            return NULL;
        }
    }
    struct gc_list_arg a = {PyList_New(0), 0};
    if (a.list == NULL) {
        return NULL;
    }
    PyUnstable_GC_VisitObjects(gc_add_object, &a);
    if (a.error) {
        Py_DECREF(a.list);
        return NULL;
    }
    return a.list;
}

/* Moves (steals) the references on `s` into a new list, dropping the
   list itself from it (the caller's own result list is never a referrer
   worth reporting).  Returns a new reference, or NULL with an exception;
   `s` is emptied and freed either way. */
static PyObject *
gc_stack_to_list(_PyObjectStack *s, int failed)
{
    PyObject *list = failed ? NULL : PyList_New(0);
    PyObject *op;
    while ((op = _PyObjectStack_Pop(s)) != NULL) {
        if (list != NULL && PyList_Append(list, op) < 0) {
            Py_CLEAR(list);
        }
        Py_DECREF(op);
    }
    PyMem_RawFree(s->items);
    s->items = NULL;
    s->capacity = 0;
    if (list != NULL && PyList_Reverse(list) < 0) {
        Py_CLEAR(list);
    }
    if (list == NULL && !PyErr_Occurred()) {
        PyErr_NoMemory();
    }
    return list;
}

/* gc.get_referrers(*objs): new reference to a list. */
static PyObject *
gc_get_referrers(PyObject *module, PyObject *args)
{
    _PyObjectStack s = {NULL, 0, 0};
    int rc = _PyGC_GetReferrers(&PyTuple_GET_ITEM(args, 0),
                                PyTuple_GET_SIZE(args), &s);
    /* The argument tuple itself refers to every target. */
    _PyObjectStack kept = {NULL, 0, 0};
    PyObject *op;
    int failed = rc < 0;
    while ((op = _PyObjectStack_Pop(&s)) != NULL) {
        if (op == args || failed) {
            Py_DECREF(op);
            continue;
        }
        if (_PyObjectStack_Push(&kept, op) < 0) {
            Py_DECREF(op);
            failed = 1;
        }
    }
    PyMem_RawFree(s.items);
    return gc_stack_to_list(&kept, failed);
}

/* gc.get_referents(*objs): new reference to a list. */
static PyObject *
gc_get_referents(PyObject *module, PyObject *args)
{
    _PyObjectStack s = {NULL, 0, 0};
    int rc = _PyGC_GetReferents(&PyTuple_GET_ITEM(args, 0),
                                PyTuple_GET_SIZE(args), &s);
    return gc_stack_to_list(&s, rc < 0);
}

/* gc.is_tracked(obj): new reference to a bool. */
static PyObject *
gc_is_tracked(PyObject *module, PyObject *obj)
{
    return PyBool_FromLong(_PyObject_GC_IS_TRACKED(obj));
}

/* gc.is_finalized(obj): new reference to a bool. */
static PyObject *
gc_is_finalized(PyObject *module, PyObject *obj)
{
    return PyBool_FromLong(_PyObject_GC_IS_TRACKED(obj)
                           && _PyGC_FINALIZED(obj));
}

/* gc.freeze(): new reference to None. */
static PyObject *
gc_freeze(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    _PyGC_Freeze();
    Py_RETURN_NONE;
}

/* gc.unfreeze(): new reference to None. */
static PyObject *
gc_unfreeze(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    _PyGC_Unfreeze();
    Py_RETURN_NONE;
}

/* gc.get_freeze_count(): new reference to an int. */
static PyObject *
gc_get_freeze_count(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t(_PyGC_GetFreezeCount());
}

/* gc.get_stats(): new reference to a list of one dict per generation. */
static PyObject *
gc_get_stats(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    struct _PyGC_Stats st;
    _PyGC_GetStats(&st);
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    for (int i = 0; i < _PyGC_NUM_GENERATIONS; i++) {
        PyObject *d = Py_BuildValue("{snsnsn}",
                                    "collections", st.gen[i].collections,
                                    "collected", st.gen[i].collected,
                                    "uncollectable",
                                    st.gen[i].uncollectable);
        if (d == NULL || PyList_Append(list, d) < 0) {
            Py_XDECREF(d);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(d);
    }
    return list;
}

static PyMethodDef gc_methods[] = {
    {"collect", (PyCFunction)(void (*)(void))gc_collect,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"enable", gc_enable, METH_NOARGS, NULL},
    {"disable", gc_disable, METH_NOARGS, NULL},
    {"isenabled", gc_isenabled, METH_NOARGS, NULL},
    {"get_count", gc_get_count, METH_NOARGS, NULL},
    {"get_threshold", gc_get_threshold, METH_NOARGS, NULL},
    {"set_threshold", gc_set_threshold, METH_VARARGS, NULL},
    {"get_debug", gc_get_debug, METH_NOARGS, NULL},
    {"set_debug", gc_set_debug, METH_O, NULL},
    {"get_objects", (PyCFunction)(void (*)(void))gc_get_objects,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"get_referrers", gc_get_referrers, METH_VARARGS, NULL},
    {"get_referents", gc_get_referents, METH_VARARGS, NULL},
    {"is_tracked", gc_is_tracked, METH_O, NULL},
    {"is_finalized", gc_is_finalized, METH_O, NULL},
    {"freeze", gc_freeze, METH_NOARGS, NULL},
    {"unfreeze", gc_unfreeze, METH_NOARGS, NULL},
    {"get_freeze_count", gc_get_freeze_count, METH_NOARGS, NULL},
    {"get_stats", gc_get_stats, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef gc_module = {
    PyModuleDef_HEAD_INIT,
    "gc",
    NULL,
    -1,
    gc_methods,
    NULL, NULL, NULL, NULL
};

/* Adds the DEBUG_* constants.  Returns 0, or -1 with an exception. */
static int
gc_add_constants(PyObject *m)
{
    if (PyModule_AddIntConstant(m, "DEBUG_STATS", _PyGC_DEBUG_STATS) < 0
        || PyModule_AddIntConstant(m, "DEBUG_COLLECTABLE",
                                   _PyGC_DEBUG_COLLECTABLE) < 0
        || PyModule_AddIntConstant(m, "DEBUG_UNCOLLECTABLE",
                                   _PyGC_DEBUG_UNCOLLECTABLE) < 0
        || PyModule_AddIntConstant(m, "DEBUG_SAVEALL",
                                   _PyGC_DEBUG_SAVEALL) < 0
        || PyModule_AddIntConstant(m, "DEBUG_LEAK", _PyGC_DEBUG_LEAK) < 0) {
        return -1;
    }
    return 0;
}

/* Calls every entry of gc.callbacks (iterating over a copy, as the list
   may change meanwhile) with (phase, info).  Errors are reported through
   sys.unraisablehook.  Returns 0, or -1 with an exception set when the
   arguments could not be built. */
static int
gc_run_callbacks(PyObject *callbacks, int phase, int generation,
                 Py_ssize_t collected, Py_ssize_t uncollectable)
{
    PyObject *copy = PyList_GetSlice(callbacks, 0,
                                     PyList_GET_SIZE(callbacks));
    if (copy == NULL) {
        return -1;
    }
    PyObject *info = Py_BuildValue("{sisnsn}",
                                   "generation", generation,
                                   "collected", collected,
                                   "uncollectable", uncollectable);
    if (info == NULL) {
        Py_DECREF(copy);
        return -1;
    }
    const char *name = phase == 0 ? "start" : "stop";
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(copy); i++) {
        PyObject *cb = PyList_GET_ITEM(copy, i);
        PyObject *r = PyObject_CallFunction(cb, "sO", name, info);
        if (r == NULL) {
            PyErr_WriteUnraisable(cb);
        }
        Py_XDECREF(r);
    }
    Py_DECREF(info);
    Py_DECREF(copy);
    return 0;
}

/* The collector's hook (_PyGC_SetCallbackHook), called on the collecting
   thread with the world running: moves new uncollectable objects into
   gc.garbage at the end of a collection and runs gc.callbacks.  Does
   nothing while the gc module is not in sys.modules.  Never leaves an
   exception set; an exception pending on entry is kept. */
static void
gc_callback_hook(int phase, int generation, Py_ssize_t collected,
                 Py_ssize_t uncollectable)
{
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *name = PyUnicode_FromString("gc");
    PyObject *module = name != NULL ? PyImport_GetModule(name) : NULL;
    Py_XDECREF(name);
    if (module != NULL) {
        if (phase == 1 && gc_move_garbage(module) < 0) {
            PyErr_WriteUnraisable(module);
        }
        PyObject *callbacks = PyObject_GetAttrString(module, "callbacks");
        if (callbacks == NULL) {
            PyErr_Clear();
        }
        else if (PyList_Check(callbacks) && PyList_GET_SIZE(callbacks) > 0
                 && gc_run_callbacks(callbacks, phase, generation,
                                     collected, uncollectable) < 0) {
            PyErr_WriteUnraisable(callbacks);
        }
        Py_XDECREF(callbacks);
        Py_DECREF(module);
    }
    else {
        PyErr_Clear();
    }
    PyErr_SetRaisedException(exc);
}

/* Module init: new reference to the module, or NULL with an exception. */
PyMODINIT_FUNC
PyInit_gc(void)
{
    PyObject *m = PyModule_Create(&gc_module);
    if (m == NULL) {
        return NULL;
    }
    if (gc_add_constants(m) < 0
        || PyModule_AddObject(m, "garbage", PyList_New(0)) < 0
        || PyModule_AddObject(m, "callbacks", PyList_New(0)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    _PyGC_SetCallbackHook(gc_callback_hook);
    return m;
}
