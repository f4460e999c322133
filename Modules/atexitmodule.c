/* The atexit module: functions to call at interpreter exit.
 *
 * Thread safety: the callback list is process-wide state (Plait runs one
 * interpreter) guarded by `atexit_state.mutex`.  The mutex is held only
 * while the array is read or changed, never across a call into Python
 * code (a callback, or __eq__ during unregister), so callbacks may
 * themselves register or unregister.  _run_exitfuncs pops one entry at
 * a time under the lock and calls it unlocked. */
#include "Python.h"
#include "lock.h"

/* One registered call: func(*args, **kwargs); strong references,
   kwargs may be NULL. */
typedef struct {
    PyObject *func;
    PyObject *args;
    PyObject *kwargs;
} _PyAtExit_Callback;

typedef struct {
    PyMutex mutex;
    _PyAtExit_Callback *entries;
    Py_ssize_t count;
    Py_ssize_t capacity;
} _PyAtExit_State;

static _PyAtExit_State atexit_state;

/* Drops the references of one entry (no lock needed: the entry has
   already been taken out of the array). */
static void
atexit_entry_clear(_PyAtExit_Callback *cb)
{
    Py_XDECREF(cb->func);
    Py_XDECREF(cb->args);
    Py_XDECREF(cb->kwargs);
}

/* Appends an entry, stealing its references; 0, or -1 with MemoryError
   (the references are then dropped). */
static int
atexit_append(_PyAtExit_Callback cb)
{
    PyMutex_Lock(&atexit_state.mutex);
    if (atexit_state.count == atexit_state.capacity) {
        Py_ssize_t newcap = atexit_state.capacity ? atexit_state.capacity * 2
                                                  : 16;
        _PyAtExit_Callback *grown = PyMem_Realloc(
            atexit_state.entries, (size_t)newcap * sizeof(*grown));
        if (grown == NULL) {
            PyMutex_Unlock(&atexit_state.mutex);
            atexit_entry_clear(&cb);
            PyErr_NoMemory();
            return -1;
        }
        atexit_state.entries = grown;
        atexit_state.capacity = newcap;
    }
    atexit_state.entries[atexit_state.count++] = cb;
    PyMutex_Unlock(&atexit_state.mutex);
    return 0;
}

/* Removes the last entry into *out; 1 if there was one, else 0. */
static int
atexit_pop(_PyAtExit_Callback *out)
{
    int found = 0;
    PyMutex_Lock(&atexit_state.mutex);
    if (atexit_state.count > 0) {
        *out = atexit_state.entries[--atexit_state.count];
        found = 1;
    }
    PyMutex_Unlock(&atexit_state.mutex);
    return found;
}

/* Calls every registered function, last registered first, and empties
   the list.  A failing callback is reported as unraisable and the rest
   still run.  Called by atexit._run_exitfuncs and by Py_FinalizeEx
   (the lifecycle owner calls it; see the report).  Needs an attached
   thread state; leaves no exception set. */
void
_PyAtExit_Call(void)
{
    _PyAtExit_Callback cb;
    while (atexit_pop(&cb)) {
        PyObject *res = PyObject_Call(cb.func, cb.args, cb.kwargs);
        if (res == NULL) {
            PyErr_WriteUnraisable(cb.func);
        }
        else {
            Py_DECREF(res);
        }
        atexit_entry_clear(&cb);
    }
}

/* register(func, *args, **kwargs): returns func (new reference). */
static PyObject *
atexit_register(PyObject *self, PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) == 0) {
        PyErr_SetString(PyExc_TypeError,
                        "register() takes at least 1 argument (0 given)");
        return NULL;
    }
    PyObject *func = PyTuple_GET_ITEM(args, 0);
    if (!PyCallable_Check(func)) {
        PyErr_SetString(PyExc_TypeError,
                        "the first argument must be callable");
        return NULL;
    }
    _PyAtExit_Callback cb = {NULL, NULL, NULL};
    cb.args = PyTuple_GetSlice(args, 1, PyTuple_GET_SIZE(args));
    if (cb.args == NULL) {
        return NULL;
    }
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs) > 0) {
        cb.kwargs = PyDict_Copy(kwargs);
        if (cb.kwargs == NULL) {
            Py_DECREF(cb.args);
            return NULL;
        }
    }
    cb.func = Py_NewRef(func);
    if (atexit_append(cb) < 0) {
        return NULL;
    }
    return Py_NewRef(func);
}

/* Takes a snapshot of the registered functions (new references) into a
   fresh array; NULL with MemoryError, or with *n == 0 and NULL. */
static PyObject **
atexit_snapshot(Py_ssize_t *n)
{
    PyMutex_Lock(&atexit_state.mutex);
    Py_ssize_t count = atexit_state.count;
    PyObject **funcs = NULL;
    if (count > 0) {
        funcs = PyMem_Malloc((size_t)count * sizeof(PyObject *));
        if (funcs != NULL) {
            for (Py_ssize_t i = 0; i < count; i++) {
                funcs[i] = Py_NewRef(atexit_state.entries[i].func);
            }
        }
    }
    PyMutex_Unlock(&atexit_state.mutex);
    *n = (funcs == NULL) ? 0 : count;
    if (count > 0 && funcs == NULL) {
        PyErr_NoMemory();
    }
    return funcs;
}

/* Removes every entry whose func is `target` (by identity); the removed
   entries are moved to a temporary array under the lock and released
   after it, since dropping the last reference may run Python code.
   0, or -1 with MemoryError (nothing removed then). */
static int
atexit_remove_identical(PyObject *target)
{
    PyMutex_Lock(&atexit_state.mutex);
    Py_ssize_t count = atexit_state.count;
    _PyAtExit_Callback *removed = NULL;
    if (count > 0) {
        removed = PyMem_Malloc((size_t)count * sizeof(*removed));
    }
    if (count > 0 && removed == NULL) {
        PyMutex_Unlock(&atexit_state.mutex);
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t kept = 0;
    Py_ssize_t nremoved = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (atexit_state.entries[i].func == target) {
            removed[nremoved++] = atexit_state.entries[i];
        }
        else {
            atexit_state.entries[kept++] = atexit_state.entries[i];
        }
    }
    atexit_state.count = kept;
    PyMutex_Unlock(&atexit_state.mutex);
    for (Py_ssize_t i = 0; i < nremoved; i++) {
        atexit_entry_clear(&removed[i]);
    }
    PyMem_Free(removed);
    return 0;
}

/* unregister(func): forgets every registration of a function equal to
   func; returns None (new reference). */
static PyObject *
atexit_unregister(PyObject *self, PyObject *func)
{
    Py_ssize_t n;
    PyObject **funcs = atexit_snapshot(&n);
    if (funcs == NULL && PyErr_Occurred()) {
        return NULL;
    }
    int failed = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!failed) {
            int eq = PyObject_RichCompareBool(funcs[i], func, Py_EQ);
            if (eq < 0) {
                failed = 1;
            }
            else if (eq && atexit_remove_identical(funcs[i]) < 0) {
                failed = 1;
            }
        }
        Py_DECREF(funcs[i]);
    }
    PyMem_Free(funcs);
    if (failed) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* _run_exitfuncs(): runs and clears the callbacks; None. */
static PyObject *
atexit_run_exitfuncs(PyObject *self, PyObject *unused)
{
    _PyAtExit_Call();
    Py_RETURN_NONE;
}

/* _clear(): forgets every callback without calling it; None. */
static PyObject *
atexit_clear(PyObject *self, PyObject *unused)
{
    _PyAtExit_Callback cb;
    while (atexit_pop(&cb)) {
        atexit_entry_clear(&cb);
    }
    Py_RETURN_NONE;
}

/* _ncallbacks(): the number of registered callbacks (new int). */
static PyObject *
atexit_ncallbacks(PyObject *self, PyObject *unused)
{
    PyMutex_Lock(&atexit_state.mutex);
    Py_ssize_t n = atexit_state.count;
    PyMutex_Unlock(&atexit_state.mutex);
    return PyLong_FromSsize_t(n);
}

static PyMethodDef atexit_methods[] = {
    {"register", (PyCFunction)(void (*)(void))atexit_register,
     METH_VARARGS | METH_KEYWORDS,
     "register($module, func, /, *args, **kwargs)\n--\n\n"
     "Register a function to be executed upon normal program termination\n"
     "\n"
     "    func - function to be called at exit\n"
     "    args - optional arguments to pass to func\n"
     "    kwargs - optional keyword arguments to pass to func\n"
     "\n"
     "    func is returned to facilitate usage as a decorator."},
    {"unregister", atexit_unregister, METH_O,
     "unregister($module, func, /)\n--\n\n"
     "Unregister an exit function which was previously registered using\n"
     "atexit.register\n"
     "\n"
     "    func - function to be unregistered"},
    {"_run_exitfuncs", atexit_run_exitfuncs, METH_NOARGS,
     "_run_exitfuncs($module, /)\n--\n\n"
     "Run all registered exit functions.\n\n"
     "If a callback raises an exception, it is logged with "
     "sys.unraisablehook."},
    {"_clear", atexit_clear, METH_NOARGS,
     "_clear($module, /)\n--\n\nClear the list of previously registered "
     "exit functions."},
    {"_ncallbacks", atexit_ncallbacks, METH_NOARGS,
     "_ncallbacks($module, /)\n--\n\nReturn the number of registered exit "
     "functions."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef atexit_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "atexit",
    .m_doc = "allow programmer to define multiple exit functions to be "
             "executed\nupon normal program termination.\n\n"
             "Two public functions, register and unregister, are defined.\n",
    .m_size = 0,
    .m_methods = atexit_methods,
};

/* Module entry point for the inittab; a new reference or NULL. */
PyMODINIT_FUNC
PyInit_atexit(void)
{
    return PyModule_Create(&atexit_module);
}
