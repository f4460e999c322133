/* The _thread module: OS threads, locks and thread-local objects.
 *
 * Threads started here run Python code truly in parallel (no GIL).  Each new
 * OS thread gets its own thread state through PyGILState_Ensure and drops it
 * with PyGILState_Release when the function returns.
 *
 * Thread safety:
 * - lock: a PyMutex; acquire/release are atomic operations on it; waiting
 *   threads park detached (_PY_LOCK_DETACH) so no core is held and a
 *   stop-the-world is never held up.  Any thread may release.
 * - RLock: a PyMutex plus an owner ident and a count.  The owner and count
 *   are written only by the thread holding the mutex; other threads read
 *   the owner with an atomic load (to answer "is it mine?", which is exact
 *   for the asking thread) and repr() reads both racily (informational).
 * - _local: per-thread dicts live in each thread state's `dict`, touched
 *   only by their own thread, so no locking is needed.
 * - Module-wide counters (_count, stack_size) are atomics.
 */
#include "Python.h"
#include "pycore_lock.h"
#include "pycore_pystate.h"
#include "pycore_typeobject.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

/* TEMPORARY declaration: PySys_GetObject is defined in Python/sysmodule.c
   but not yet declared in a public header (remove when sysmodule.h has it). */
PyAPI_FUNC(PyObject *) PySys_GetObject(const char *name);

/* Largest timeout accepted by acquire(), in seconds (as CPython 3.11 on
   64-bit Linux: PY_TIMEOUT_MAX in microseconds / 1e6). */
#define THREAD_TIMEOUT_MAX 9223372036.0

/* Threads started by start_new_thread and still running. */
static Py_ssize_t thread_count;
/* Stack size for new threads (0 = platform default). */
static Py_ssize_t thread_stack_size;

/* The sentinel lock of the current thread (see _set_sentinel); C11
   thread-local, so each thread sees only its own. */
static _Thread_local PyObject *thread_sentinel;

/* ---------------------------------------------------------------- time */

/* Converts acquire()'s (blocking, timeout) into nanoseconds (-1 forever,
   0 try once); -1 with ValueError/OverflowError as CPython 3.11. */
static int
lock_timeout_ns(int blocking, double timeout, PyTime_t *out)
{
    if (!blocking && timeout != -1) {
        PyErr_SetString(PyExc_ValueError,
                        "can't specify a timeout for a non-blocking call");
        return -1;
    }
    if (timeout < 0 && timeout != -1) {
        PyErr_SetString(PyExc_ValueError, "timeout value must be positive");
        return -1;
    }
    if (!blocking) {
        *out = 0;
        return 0;
    }
    if (timeout == -1) {
        *out = -1;
        return 0;
    }
    if (timeout > THREAD_TIMEOUT_MAX) {
        PyErr_SetString(PyExc_OverflowError,
                        "timestamp out of range for platform time_t");
        return -1;
    }
    *out = (PyTime_t)(timeout * 1e9);
    return 0;
}

/* Parses acquire(blocking=True, timeout=-1); -1 with an error set. */
static int
parse_acquire_args(PyObject *args, PyObject *kwds, PyTime_t *timeout_ns)
{
    static char *kwlist[] = {"blocking", "timeout", NULL};
    PyObject *blocking_obj = NULL;
    double timeout = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|Od:acquire", kwlist,
                                     &blocking_obj, &timeout)) {
        return -1;
    }
    int blocking = 1;
    if (blocking_obj != NULL) {
        blocking = PyObject_IsTrue(blocking_obj);
        if (blocking < 0) {
            return -1;
        }
    }
    return lock_timeout_ns(blocking, timeout, timeout_ns);
}

/* The OS identity of the calling thread, as threading.get_ident(). */
static unsigned long
current_ident(void)
{
    return (unsigned long)pthread_self();
}

/* ---------------------------------------------------------------- lock */

typedef struct {
    PyObject_HEAD
    PyMutex mutex;
    PyObject *weakreflist;      /* Objects/weakrefobject.c */
} lockobject;

static PyTypeObject Lock_Type;

/* Frees a lock (whatever its state). */
static void
lock_dealloc(PyObject *self)
{
    PyObject_ClearWeakRefs(self);
    PyObject_Free(self);
}

/* Returns a new, unlocked lock object (new reference). */
static PyObject *
lock_create(void)
{
    lockobject *self = PyObject_New(lockobject, &Lock_Type);
    if (self == NULL) {
        return NULL;
    }
    self->mutex = (PyMutex){0};
    self->weakreflist = NULL;
    return (PyObject *)self;
}

/* Waits for the mutex up to timeout_ns, detached; 1 acquired, 0 timed out,
   -1 with an exception (a signal handler raised). */
static int
mutex_acquire_timed(PyMutex *m, PyTime_t timeout_ns)
{
    if (_PyMutex_TryLock(m)) {
        return 1;
    }
    if (timeout_ns == 0) {
        return 0;
    }
    PyLockStatus r = _PyMutex_LockTimed(
        m, timeout_ns, _PY_LOCK_DETACH | _PY_LOCK_HANDLE_SIGNALS);
    if (r == PY_LOCK_INTR) {
        return -1;
    }
    return r == PY_LOCK_ACQUIRED;
}

/* lock.acquire(blocking=True, timeout=-1) -> bool (new reference). */
static PyObject *
lock_acquire(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyTime_t timeout_ns;
    if (parse_acquire_args(args, kwds, &timeout_ns) < 0) {
        return NULL;
    }
    int r = mutex_acquire_timed(&((lockobject *)self)->mutex, timeout_ns);
    if (r < 0) {
        return NULL;
    }
    return PyBool_FromLong(r);
}

/* lock.release(); RuntimeError if unlocked. */
static PyObject *
lock_release(PyObject *self, PyObject *unused)
{
    if (_PyMutex_TryUnlock(&((lockobject *)self)->mutex) < 0) {
        PyErr_SetString(PyExc_RuntimeError, "release unlocked lock");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* lock.__exit__(*exc): releases, never suppresses. */
static PyObject *
lock_exit(PyObject *self, PyObject *args)
{
    return lock_release(self, NULL);
}

/* lock.locked() -> bool. */
static PyObject *
lock_locked(PyObject *self, PyObject *unused)
{
    return PyBool_FromLong(PyMutex_IsLocked(&((lockobject *)self)->mutex));
}

/* lock._at_fork_reinit(): after fork only this thread exists, so the
   mutex is simply reset to unlocked. */
static PyObject *
lock_at_fork_reinit(PyObject *self, PyObject *unused)
{
    ((lockobject *)self)->mutex = (PyMutex){0};
    Py_RETURN_NONE;
}

/* repr: "<locked _thread.lock object at 0x...>" (new reference). */
static PyObject *
lock_repr(PyObject *self)
{
    return PyUnicode_FromFormat(
        "<%s %s object at %p>",
        PyMutex_IsLocked(&((lockobject *)self)->mutex) ? "locked" : "unlocked",
        Py_TYPE(self)->tp_name, self);
}

/* _thread.lock() / LockType(): a new unlocked lock (new reference). */
static PyObject *
lock_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (PyTuple_GET_SIZE(args) != 0 || (kwds && PyDict_GET_SIZE(kwds))) {
        PyErr_SetString(PyExc_TypeError, "lock() takes no arguments");
        return NULL;
    }
    return lock_create();
}

static PyMethodDef lock_methods[] = {
    {"acquire", (PyCFunction)(void (*)(void))lock_acquire,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"acquire_lock", (PyCFunction)(void (*)(void))lock_acquire,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"__enter__", (PyCFunction)(void (*)(void))lock_acquire,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"release", lock_release, METH_NOARGS, NULL},
    {"release_lock", lock_release, METH_NOARGS, NULL},
    {"__exit__", lock_exit, METH_VARARGS, NULL},
    {"locked", lock_locked, METH_NOARGS, NULL},
    {"locked_lock", lock_locked, METH_NOARGS, NULL},
    {"_at_fork_reinit", lock_at_fork_reinit, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Lock_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_thread.lock",
    .tp_basicsize = sizeof(lockobject),
    .tp_weaklistoffset = offsetof(lockobject, weakreflist),
    .tp_dealloc = lock_dealloc,
    .tp_repr = lock_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = lock_methods,
    .tp_new = lock_new,
};

/* --------------------------------------------------------------- RLock */

typedef struct {
    PyObject_HEAD
    PyMutex mutex;
    uintptr_t owner;    /* ident of the holder, 0 if none; atomic */
    Py_ssize_t count;   /* written only by the holder; atomic (relaxed) so
                           repr() from another thread is race-free */
    PyObject *weakreflist;      /* Objects/weakrefobject.c */
} rlockobject;

static PyTypeObject RLock_Type;

/* Frees an RLock. */
static void
rlock_dealloc(PyObject *self)
{
    PyObject_ClearWeakRefs(self);
    PyObject_Free(self);
}

/* RLock(): a new unowned recursive lock (new reference). */
static PyObject *
rlock_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    rlockobject *self = PyObject_New(rlockobject, &RLock_Type);
    if (self == NULL) {
        return NULL;
    }
    self->mutex = (PyMutex){0};
    self->owner = 0;
    self->count = 0;
    self->weakreflist = NULL;
    return (PyObject *)self;
}

/* 1 if the calling thread holds the RLock.  Only the owner itself stores
   its own ident, so the answer is exact for the caller. */
static int
rlock_is_mine(rlockobject *self)
{
    return _Py_atomic_load_uintptr_relaxed(&self->owner) == current_ident();
}

/* The recursion count (relaxed atomic: exact for the owner). */
static inline Py_ssize_t
rlock_count(rlockobject *self)
{
    return _Py_atomic_load_ssize_relaxed(&self->count);
}

/* Sets the recursion count; only the owner calls this. */
static inline void
rlock_set_count(rlockobject *self, Py_ssize_t n)
{
    _Py_atomic_store_ssize_relaxed(&self->count, n);
}

/* RLock.acquire(blocking=True, timeout=-1) -> bool (new reference). */
static PyObject *
rlock_acquire(PyObject *op, PyObject *args, PyObject *kwds)
{
    rlockobject *self = (rlockobject *)op;
    PyTime_t timeout_ns;
    if (parse_acquire_args(args, kwds, &timeout_ns) < 0) {
        return NULL;
    }
    if (rlock_is_mine(self)) {
        Py_ssize_t count = rlock_count(self);
        if (count == PY_SSIZE_T_MAX) {
            PyErr_SetString(PyExc_OverflowError,
                            "Internal lock count overflowed");
            return NULL;
        }
        rlock_set_count(self, count + 1);
        Py_RETURN_TRUE;
    }
    int r = mutex_acquire_timed(&self->mutex, timeout_ns);
    if (r < 0) {
        return NULL;
    }
    if (r == 0) {
        Py_RETURN_FALSE;
    }
    _Py_atomic_store_uintptr_relaxed(&self->owner, current_ident());
    rlock_set_count(self, 1);
    Py_RETURN_TRUE;
}

/* RLock.release(); RuntimeError unless held by the caller. */
static PyObject *
rlock_release(PyObject *op, PyObject *unused)
{
    rlockobject *self = (rlockobject *)op;
    if (!rlock_is_mine(self) || rlock_count(self) == 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "cannot release un-acquired lock");
        return NULL;
    }
    Py_ssize_t count = rlock_count(self) - 1;
    rlock_set_count(self, count);
    if (count == 0) {
        _Py_atomic_store_uintptr_relaxed(&self->owner, 0);
        PyMutex_Unlock(&self->mutex);
    }
    Py_RETURN_NONE;
}

/* RLock.__exit__(*exc). */
static PyObject *
rlock_exit(PyObject *self, PyObject *args)
{
    return rlock_release(self, NULL);
}

/* RLock._is_owned() -> bool. */
static PyObject *
rlock_is_owned(PyObject *op, PyObject *unused)
{
    rlockobject *self = (rlockobject *)op;
    return PyBool_FromLong(rlock_is_mine(self) && rlock_count(self) > 0);
}

/* RLock._recursion_count() -> int: the caller's depth, 0 if not owner. */
static PyObject *
rlock_recursion_count(PyObject *op, PyObject *unused)
{
    rlockobject *self = (rlockobject *)op;
    return PyLong_FromSsize_t(rlock_is_mine(self) ? rlock_count(self) : 0);
}

/* RLock._release_save() -> (count, owner): releases completely, for
   Condition.wait (new reference). */
static PyObject *
rlock_release_save(PyObject *op, PyObject *unused)
{
    rlockobject *self = (rlockobject *)op;
    if (!rlock_is_mine(self) || rlock_count(self) == 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "cannot release un-acquired lock");
        return NULL;
    }
    Py_ssize_t count = rlock_count(self);
    unsigned long owner = (unsigned long)self->owner;
    rlock_set_count(self, 0);
    _Py_atomic_store_uintptr_relaxed(&self->owner, 0);
    PyMutex_Unlock(&self->mutex);
    return Py_BuildValue("(nk)", count, owner);
}

/* RLock._acquire_restore((count, owner)): re-takes after _release_save. */
static PyObject *
rlock_acquire_restore(PyObject *op, PyObject *state)
{
    rlockobject *self = (rlockobject *)op;
    Py_ssize_t count;
    unsigned long owner;
    if (!PyArg_ParseTuple(state, "nk:_acquire_restore", &count, &owner)) {
        return NULL;
    }
    if (mutex_acquire_timed(&self->mutex, -1) < 0) {
        return NULL;
    }
    _Py_atomic_store_uintptr_relaxed(&self->owner, owner);
    rlock_set_count(self, count);
    Py_RETURN_NONE;
}

/* RLock._at_fork_reinit(). */
static PyObject *
rlock_at_fork_reinit(PyObject *op, PyObject *unused)
{
    rlockobject *self = (rlockobject *)op;
    self->mutex = (PyMutex){0};
    self->owner = 0;
    self->count = 0;
    Py_RETURN_NONE;
}

/* repr as CPython 3.11 (new reference). */
static PyObject *
rlock_repr(PyObject *op)
{
    rlockobject *self = (rlockobject *)op;
    unsigned long owner = _Py_atomic_load_uintptr_relaxed(&self->owner);
    return PyUnicode_FromFormat(
        "<%s %s object owner=%lu count=%zd at %p>",
        PyMutex_IsLocked(&self->mutex) ? "locked" : "unlocked",
        Py_TYPE(op)->tp_name, owner, owner ? rlock_count(self) : 0, op);
}

static PyMethodDef rlock_methods[] = {
    {"acquire", (PyCFunction)(void (*)(void))rlock_acquire,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"__enter__", (PyCFunction)(void (*)(void))rlock_acquire,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"release", rlock_release, METH_NOARGS, NULL},
    {"__exit__", rlock_exit, METH_VARARGS, NULL},
    {"_is_owned", rlock_is_owned, METH_NOARGS, NULL},
    {"_recursion_count", rlock_recursion_count, METH_NOARGS, NULL},
    {"_release_save", rlock_release_save, METH_NOARGS, NULL},
    {"_acquire_restore", rlock_acquire_restore, METH_O, NULL},
    {"_at_fork_reinit", rlock_at_fork_reinit, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject RLock_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_thread.RLock",
    .tp_basicsize = sizeof(rlockobject),
    .tp_weaklistoffset = offsetof(rlockobject, weakreflist),
    .tp_dealloc = rlock_dealloc,
    .tp_repr = rlock_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = rlock_methods,
    .tp_new = rlock_new,
};

/* -------------------------------------------------------------- _local */

/* A thread-local object.  Each thread's attributes live in a dict stored
 * in that thread's state dict under `key` (a unique string), so they vanish
 * with the thread state when the thread ends.  A thread that outlives the
 * _local object keeps its (unreachable) dict until it ends. */
typedef struct {
    PyObject_HEAD
    PyObject *key;      /* str, immutable after creation */
    PyObject *args;     /* constructor arguments, replayed per thread */
    PyObject *kw;
    PyObject *weakreflist;      /* Objects/weakrefobject.c */
} localobject;

/* _local(*args, **kw): arguments are only allowed when a subclass
   defines __init__ (new reference). */
static PyObject *
local_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    if (type->tp_init == PyBaseObject_Type.tp_init &&
        (PyTuple_GET_SIZE(args) || (kw && PyDict_GET_SIZE(kw)))) {
        PyErr_SetString(PyExc_TypeError,
                        "Initialization arguments are not supported");
        return NULL;
    }
    localobject *self = (localobject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->key = PyUnicode_FromFormat("_thread._local.%p", self);
    self->args = Py_NewRef(args);
    self->kw = Py_XNewRef(kw);
    if (self->key == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

/* Frees a _local; other threads' dicts for it die with their threads. */
static void
local_dealloc(PyObject *op)
{
    localobject *self = (localobject *)op;
    PyObject_ClearWeakRefs(op);
    PyThreadState *ts = PyThreadState_GetUnchecked();
    if (ts != NULL && ts->dict != NULL && self->key != NULL) {
        if (PyDict_DelItem(ts->dict, self->key) < 0) {
            PyErr_Clear();
        }
    }
    Py_XDECREF(self->key);
    Py_XDECREF(self->args);
    Py_XDECREF(self->kw);
    Py_TYPE(op)->tp_free(op);
}

/* The calling thread's attribute dict for self, made (and the subclass
   __init__ replayed) on first use (borrowed reference; NULL on error). */
static PyObject *
local_getdict(localobject *self)
{
    PyThreadState *ts = PyThreadState_Get();
    if (ts->dict == NULL) {
        ts->dict = PyDict_New();
        if (ts->dict == NULL) {
            return NULL;
        }
    }
    PyObject *d = PyDict_GetItemWithError(ts->dict, self->key);
    if (d != NULL || PyErr_Occurred()) {
        return d;
    }
    d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    int r = PyDict_SetItem(ts->dict, self->key, d);
    Py_DECREF(d);
    if (r < 0) {
        return NULL;
    }
    PyTypeObject *tp = Py_TYPE(self);
    if (tp->tp_init != PyBaseObject_Type.tp_init) {
        if (tp->tp_init((PyObject *)self, self->args, self->kw) < 0) {
            (void)PyDict_DelItem(ts->dict, self->key);
            return NULL;
        }
    }
    return PyDict_GetItemWithError(ts->dict, self->key);
}

/* getattr through the per-thread dict (new reference). */
static PyObject *
local_getattro(PyObject *op, PyObject *name)
{
    PyObject *d = local_getdict((localobject *)op);
    if (d == NULL) {
        return NULL;
    }
    if (PyUnicode_Check(name) &&
        PyUnicode_CompareWithASCIIString(name, "__dict__") == 0) {
        return Py_NewRef(d);
    }
    return _PyObject_GenericGetAttrWithDict(op, name, d, 0);
}

/* setattr/delattr through the per-thread dict. */
static int
local_setattro(PyObject *op, PyObject *name, PyObject *value)
{
    PyObject *d = local_getdict((localobject *)op);
    if (d == NULL) {
        return -1;
    }
    if (PyUnicode_Check(name) &&
        PyUnicode_CompareWithASCIIString(name, "__dict__") == 0) {
        PyErr_Format(PyExc_AttributeError,
                     "'%.100s' object attribute '__dict__' is read-only",
                     Py_TYPE(op)->tp_name);
        return -1;
    }
    return _PyObject_GenericSetAttrWithDict(op, name, value, d);
}

static PyTypeObject Local_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_thread._local",
    .tp_basicsize = sizeof(localobject),
    .tp_weaklistoffset = offsetof(localobject, weakreflist),
    .tp_dealloc = local_dealloc,
    .tp_getattro = local_getattro,
    .tp_setattro = local_setattro,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Thread-local data",
    .tp_new = local_new,
};

/* -------------------------------------------------------- _excepthook */

/* _ExceptHookArgs: a tuple subclass with named fields (exc_type,
   exc_value, exc_traceback, thread), immutable like any tuple. */
static const char *const hookargs_fields[] = {
    "exc_type", "exc_value", "exc_traceback", "thread",
};
#define HOOKARGS_N 4

static PyTypeObject HookArgs_Type;

/* _ExceptHookArgs(seq): a 4-tuple subclass (new reference). */
static PyObject *
hookargs_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *self = PyTuple_Type.tp_new(type, args, kwds);
    if (self == NULL) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(self) != HOOKARGS_N) {
        PyErr_Format(PyExc_TypeError,
                     "_thread._ExceptHookArgs() takes a 4-sequence "
                     "(%zd-sequence given)", PyTuple_GET_SIZE(self));
        Py_DECREF(self);
        return NULL;
    }
    return self;
}

/* Field getter; closure is the index (new reference). */
static PyObject *
hookargs_get(PyObject *self, void *closure)
{
    return Py_NewRef(PyTuple_GET_ITEM(self, (Py_ssize_t)(intptr_t)closure));
}

/* repr: "_thread._ExceptHookArgs(exc_type=..., ...)" (new reference). */
static PyObject *
hookargs_repr(PyObject *self)
{
    return PyUnicode_FromFormat(
        "_thread._ExceptHookArgs(%s=%R, %s=%R, %s=%R, %s=%R)",
        hookargs_fields[0], PyTuple_GET_ITEM(self, 0),
        hookargs_fields[1], PyTuple_GET_ITEM(self, 1),
        hookargs_fields[2], PyTuple_GET_ITEM(self, 2),
        hookargs_fields[3], PyTuple_GET_ITEM(self, 3));
}

static PyGetSetDef hookargs_getset[] = {
    {"exc_type", hookargs_get, NULL, NULL, (void *)0},
    {"exc_value", hookargs_get, NULL, NULL, (void *)1},
    {"exc_traceback", hookargs_get, NULL, NULL, (void *)2},
    {"thread", hookargs_get, NULL, NULL, (void *)3},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject HookArgs_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_thread._ExceptHookArgs",
    .tp_repr = hookargs_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_getset = hookargs_getset,
    .tp_base = &PyTuple_Type,
    .tp_new = hookargs_new,
};

/* Writes the str s to file; -1 with an error. */
static int
write_str(PyObject *file, PyObject *s)
{
    if (s == NULL) {
        return -1;
    }
    PyObject *r = PyObject_CallMethod(file, "write", "O", s);
    Py_DECREF(s);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);
    return 0;
}

/* Writes "[module.]Type: message\n" for an exception to file. */
static int
write_exception_only(PyObject *file, PyObject *type, PyObject *value)
{
    PyObject *qual = NULL;
    if (PyType_Check(type)) {
        PyObject *mod = PyObject_GetAttrString(type, "__module__");
        PyObject *name = PyObject_GetAttrString(type, "__qualname__");
        if (mod == NULL || name == NULL) {
            Py_XDECREF(mod);
            Py_XDECREF(name);
            return -1;
        }
        if (PyUnicode_Check(mod) &&
            PyUnicode_CompareWithASCIIString(mod, "builtins") != 0) {
            qual = PyUnicode_FromFormat("%U.%U", mod, name);
        }
        else {
            qual = PyObject_Str(name);
        }
        Py_DECREF(mod);
        Py_DECREF(name);
    }
    else {
        qual = PyObject_Str(type);
    }
    if (qual == NULL) {
        return -1;
    }
    PyObject *msg = (value == Py_None) ? PyUnicode_FromString("")
                                       : PyObject_Str(value);
    if (msg == NULL) {
        PyErr_Clear();
        msg = PyUnicode_FromString("<exception str() failed>");
    }
    PyObject *line;
    if (msg != NULL && PyUnicode_GET_LENGTH(msg) > 0) {
        line = PyUnicode_FromFormat("%U: %U\n", qual, msg);
    }
    else {
        line = PyUnicode_FromFormat("%U\n", qual);
    }
    Py_DECREF(qual);
    Py_XDECREF(msg);
    return write_str(file, line);
}

/* _excepthook(args): prints "Exception in thread NAME:" and the
   traceback to sys.stderr (or thread._stderr); SystemExit is silent. */
static PyObject *
thread_excepthook(PyObject *module, PyObject *args)
{
    if (!PyObject_TypeCheck(args, &HookArgs_Type)) {
        PyErr_SetString(PyExc_TypeError,
                        "_thread._excepthook argument type must be "
                        "ExceptHookArgs");
        return NULL;
    }
    PyObject *type = PyTuple_GET_ITEM(args, 0);
    PyObject *value = PyTuple_GET_ITEM(args, 1);
    PyObject *tb = PyTuple_GET_ITEM(args, 2);
    PyObject *thread = PyTuple_GET_ITEM(args, 3);
    if (type == PyExc_SystemExit) {
        Py_RETURN_NONE;
    }
    PyObject *file = PySys_GetObject("stderr");   /* borrowed */
    PyObject *own = NULL;
    if (file == NULL || file == Py_None) {
        PyErr_Clear();
        if (thread == Py_None) {
            Py_RETURN_NONE;
        }
        own = PyObject_GetAttrString(thread, "_stderr");
        if (own == NULL) {
            return NULL;
        }
        if (own == Py_None) {
            Py_DECREF(own);
            Py_RETURN_NONE;
        }
        file = own;
    }
    PyObject *name = NULL;
    if (thread != Py_None) {
        name = PyObject_GetAttrString(thread, "name");
        if (name == NULL) {
            PyErr_Clear();
        }
    }
    PyObject *head = (name != NULL)
        ? PyUnicode_FromFormat("Exception in thread %S:\n", name)
        : PyUnicode_FromFormat("Exception in thread %lu:\n",
                               current_ident());
    Py_XDECREF(name);
    int r = write_str(file, head);
    if (r == 0 && tb != Py_None && PyTraceBack_Check(tb)) {
        r = PyTraceBack_Print(tb, file);
    }
    if (r == 0) {
        r = write_exception_only(file, type, value);
    }
    if (r == 0) {
        PyObject *f = PyObject_CallMethod(file, "flush", NULL);
        if (f == NULL) {
            PyErr_Clear();
        }
        Py_XDECREF(f);
    }
    Py_XDECREF(own);
    if (r < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------- threads */

/* What a new thread needs; owned by the new thread once started. */
typedef struct {
    PyObject *func;
    PyObject *args;
    PyObject *kwargs;
} bootstate;

/* Reports an exception escaping a thread's function like CPython: silent
   for SystemExit, else "Exception ignored in thread started by: F",
   the traceback and the exception line on sys.stderr. */
static void
report_thread_exception(PyObject *func)
{
    if (PyErr_ExceptionMatches(PyExc_SystemExit)) {
        PyErr_Clear();
        return;
    }
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *file = PySys_GetObject("stderr");     /* borrowed */
    if (file == NULL || file == Py_None) {
        PyErr_Clear();
        PyErr_SetRaisedException(exc);
        PyErr_WriteUnraisable(func);
        return;
    }
    Py_INCREF(file);
    int r = write_str(file, PyUnicode_FromFormat(
        "Exception ignored in thread started by: %R\n", func));
    PyObject *tb = PyException_GetTraceback(exc);
    if (r == 0 && tb != NULL && PyTraceBack_Check(tb)) {
        r = PyTraceBack_Print(tb, file);
    }
    Py_XDECREF(tb);
    if (r == 0) {
        r = write_exception_only(file, (PyObject *)Py_TYPE(exc), exc);
    }
    if (r == 0) {
        PyObject *f = PyObject_CallMethod(file, "flush", NULL);
        Py_XDECREF(f);
    }
    PyErr_Clear();
    Py_DECREF(file);
    Py_DECREF(exc);
}

/* Releases the sentinel lock set by _set_sentinel, if it is held. */
static void
release_sentinel(void)
{
    PyObject *lock = thread_sentinel;
    thread_sentinel = NULL;
    if (lock != NULL) {
        if (PyMutex_IsLocked(&((lockobject *)lock)->mutex)) {
            (void)_PyMutex_TryUnlock(&((lockobject *)lock)->mutex);
        }
        Py_DECREF(lock);
    }
}

/* Entry point of every thread started by start_new_thread. */
static void *
thread_run(void *arg)
{
    bootstate *boot = arg;
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *res = PyObject_Call(boot->func, boot->args, boot->kwargs);
    if (res == NULL) {
        report_thread_exception(boot->func);
    }
    Py_XDECREF(res);
    Py_DECREF(boot->func);
    Py_DECREF(boot->args);
    Py_XDECREF(boot->kwargs);
    PyMem_RawFree(boot);
    release_sentinel();
    _Py_atomic_add_ssize(&thread_count, -1);
    PyGILState_Release(g);
    return NULL;
}

/* start_new_thread(function, args[, kwargs]) -> ident (new reference). */
static PyObject *
thread_start_new_thread(PyObject *module, PyObject *fargs)
{
    PyObject *func, *args, *kwargs = NULL;
    if (!PyArg_UnpackTuple(fargs, "start_new_thread", 2, 3,
                           &func, &args, &kwargs)) {
        return NULL;
    }
    if (!PyCallable_Check(func)) {
        PyErr_SetString(PyExc_TypeError, "first arg must be callable");
        return NULL;
    }
    if (!PyTuple_Check(args)) {
        PyErr_SetString(PyExc_TypeError, "2nd arg must be a tuple");
        return NULL;
    }
    if (kwargs != NULL && !PyDict_Check(kwargs)) {
        PyErr_SetString(PyExc_TypeError,
                        "optional 3rd arg must be a dictionary");
        return NULL;
    }
    bootstate *boot = PyMem_RawMalloc(sizeof(*boot));
    if (boot == NULL) {
        return PyErr_NoMemory();
    }
    boot->func = Py_NewRef(func);
    boot->args = Py_NewRef(args);
    boot->kwargs = Py_XNewRef(kwargs);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    Py_ssize_t ss = _Py_atomic_load_ssize(&thread_stack_size);
    if (ss > 0) {
        pthread_attr_setstacksize(&attr, (size_t)ss);
    }
    pthread_t th;
    _Py_atomic_add_ssize(&thread_count, 1);
    int err = pthread_create(&th, &attr, thread_run, boot);
    pthread_attr_destroy(&attr);
    if (err != 0) {
        _Py_atomic_add_ssize(&thread_count, -1);
        Py_DECREF(boot->func);
        Py_DECREF(boot->args);
        Py_XDECREF(boot->kwargs);
        PyMem_RawFree(boot);
        PyErr_SetString(PyExc_RuntimeError, "can't start new thread");
        return NULL;
    }
    return PyLong_FromUnsignedLong((unsigned long)th);
}

/* allocate_lock() -> a new lock (new reference). */
static PyObject *
thread_allocate_lock(PyObject *module, PyObject *unused)
{
    return lock_create();
}

/* get_ident() -> int (new reference). */
static PyObject *
thread_get_ident(PyObject *module, PyObject *unused)
{
    return PyLong_FromUnsignedLong(current_ident());
}

/* get_native_id() -> the kernel's thread id (new reference). */
static PyObject *
thread_get_native_id(PyObject *module, PyObject *unused)
{
    return PyLong_FromLong((long)syscall(SYS_gettid));
}

/* _count() -> threads started here and still running (new reference). */
static PyObject *
thread_count_fn(PyObject *module, PyObject *unused)
{
    return PyLong_FromSsize_t(_Py_atomic_load_ssize(&thread_count));
}

/* stack_size([size]) -> the previous size (new reference). */
static PyObject *
thread_stack_size_fn(PyObject *module, PyObject *args)
{
    Py_ssize_t size = 0;
    if (!PyArg_ParseTuple(args, "|n:stack_size", &size)) {
        return NULL;
    }
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "size must be 0 or a positive value");
        return NULL;
    }
    if (size != 0 && size < 32768) {
        PyErr_Format(PyExc_ValueError, "size not valid: %zd bytes", size);
        return NULL;
    }
    Py_ssize_t old = _Py_atomic_exchange_ssize(&thread_stack_size, size);
    return PyLong_FromSsize_t(old);
}

/* _set_sentinel() -> a new, unlocked lock that this thread's end
   releases if it is held: threading acquires it at once and
   Thread.join() waits on it (new reference).  A later call (in the child
   of a fork) replaces the sentinel without releasing the old one. */
static PyObject *
thread_set_sentinel(PyObject *module, PyObject *unused)
{
    PyObject *lock = lock_create();
    if (lock == NULL) {
        return NULL;
    }
    PyObject *old = thread_sentinel;
    thread_sentinel = Py_NewRef(lock);
    Py_XDECREF(old);
    return lock;
}

/* interrupt_main(signum=SIGINT): simulates the arrival of the signal in
   the main thread (its Python handler runs there; nothing happens when
   the signal is ignored or has its default action). */
static PyObject *
thread_interrupt_main(PyObject *module, PyObject *args)
{
    int signum = SIGINT;
    if (!PyArg_ParseTuple(args, "|i:interrupt_main", &signum)) {
        return NULL;
    }
    if (signum < 1 || signum >= NSIG) {
        PyErr_SetString(PyExc_ValueError, "signal number out of range");
        return NULL;
    }
    if (PyErr_SetInterruptEx(signum) < 0) {
        PyErr_SetString(PyExc_ValueError, "signal number out of range");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* daemon_threads_allowed() -> True (one interpreter). */
static PyObject *
thread_daemon_threads_allowed(PyObject *module, PyObject *unused)
{
    Py_RETURN_TRUE;
}

/* exit() / exit_thread(): raise SystemExit, ending the thread quietly. */
static PyObject *
thread_exit(PyObject *module, PyObject *unused)
{
    PyErr_SetNone(PyExc_SystemExit);
    return NULL;
}

static PyMethodDef thread_methods[] = {
    {"start_new_thread", thread_start_new_thread, METH_VARARGS, NULL},
    {"start_new", thread_start_new_thread, METH_VARARGS, NULL},
    {"allocate_lock", thread_allocate_lock, METH_NOARGS, NULL},
    {"allocate", thread_allocate_lock, METH_NOARGS, NULL},
    {"get_ident", thread_get_ident, METH_NOARGS, NULL},
    {"get_native_id", thread_get_native_id, METH_NOARGS, NULL},
    {"_count", thread_count_fn, METH_NOARGS, NULL},
    {"stack_size", thread_stack_size_fn, METH_VARARGS, NULL},
    {"_set_sentinel", thread_set_sentinel, METH_NOARGS, NULL},
    {"interrupt_main", thread_interrupt_main, METH_VARARGS, NULL},
    {"daemon_threads_allowed", thread_daemon_threads_allowed, METH_NOARGS,
     NULL},
    {"exit", thread_exit, METH_NOARGS, NULL},
    {"_excepthook", thread_excepthook, METH_O, NULL},
    {"exit_thread", thread_exit, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef thread_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_thread",
    .m_doc = "Low-level threading primitives.",
    .m_size = -1,
    .m_methods = thread_methods,
};

/* Module init: the types are static (immortal); returns a new module. */
PyObject *
PyInit__thread(void)
{
    if (PyType_Ready(&Lock_Type) < 0 || PyType_Ready(&RLock_Type) < 0 ||
        PyType_Ready(&Local_Type) < 0 || PyType_Ready(&HookArgs_Type) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&thread_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "LockType", (PyObject *)&Lock_Type) < 0 ||
        PyModule_AddObjectRef(m, "lock", (PyObject *)&Lock_Type) < 0 ||
        PyModule_AddType(m, &RLock_Type) < 0 ||
        PyModule_AddObjectRef(m, "_local", (PyObject *)&Local_Type) < 0 ||
        PyModule_AddObjectRef(m, "_ExceptHookArgs",
                              (PyObject *)&HookArgs_Type) < 0 ||
        PyModule_AddObjectRef(m, "error", PyExc_RuntimeError) < 0 ||
        PyModule_AddObject(m, "TIMEOUT_MAX",
                           PyFloat_FromDouble(THREAD_TIMEOUT_MAX)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
