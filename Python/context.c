/* Context variables (PEP 567): Context, ContextVar, Token, the C API of
 * Include/context.h and the _contextvars module.
 *
 * Mapping.  A Context's mapping is a dict from ContextVar to value that is
 * never mutated once stored in ctx_vars (copy-on-write): ContextVar.set and
 * reset build a new dict (PyDict_Copy plus one change, O(n) in the number
 * of variables set in that context) and swap the pointer.  So
 * Context.copy() is O(1) (it shares the dict), and a copy never sees later
 * changes.  Contexts hold few variables in practice (decimal, asyncio), so
 * the O(n) set is acceptable; a HAMT would make it O(log n).
 *
 * Thread safety.
 *  - Each thread's current context lives in its thread state
 *    (_PyThreadStateImpl.context), touched only by that thread.
 *  - A context is entered by at most one thread at a time: ctx_entered is
 *    claimed with a CAS, so of two threads entering the same context the
 *    second gets RuntimeError.  ctx_prev is written only by the thread that
 *    holds ctx_entered.
 *  - ctx_vars is replaced only by the thread that has the context entered
 *    (ContextVar.set/reset act on the current context), under the
 *    context's critical section.  That thread reads its own current
 *    context's ctx_vars without a lock (nobody else writes it); any other
 *    read (ctx[var], iteration, copy, compare) takes a new reference to the
 *    dict inside the critical section and then reads the immutable dict
 *    lock-free.
 *  - ContextVar and Token are immutable after creation except
 *    Token.tok_used, which is claimed with an atomic exchange.
 *  - There is no per-thread ContextVar cache: a get is one dict lookup.
 */
#include "Python.h"
#include "structmember.h"
#include "pycore_pystate.h"
#include "pycore_tstate.h"
#include "pycore_critical_section.h"

struct _pycontextobject {
    PyObject_HEAD
    PyObject *ctx_vars;  /* dict var -> value, never mutated once stored */
    PyObject *ctx_prev;  /* the context current before Enter, or NULL */
    int ctx_entered;     /* 0/1, atomic */
    PyObject *ctx_weakreflist;
};

struct _pycontextvarobject {
    PyObject_HEAD
    PyObject *var_name;     /* str */
    PyObject *var_default;  /* or NULL */
};

struct _pycontexttokenobject {
    PyObject_HEAD
    PyObject *tok_ctx;  /* the context the set happened in */
    PyObject *tok_var;
    PyObject *tok_val;  /* the previous value, NULL if there was none */
    int tok_used;       /* 0/1, atomic */
};

/* Token.MISSING: an immortal static singleton. */
static PyTypeObject token_missing_type;
static struct {
    PyObject_HEAD
} token_missing_obj = {
    PyObject_HEAD_INIT(&token_missing_type)
};
#define token_missing (*(PyObject *)&token_missing_obj)

/* Types are readied once, by whichever caller comes first (the module or
   a C API entry point); the lock makes PyType_Ready run once. */
static PyMutex types_lock;
static int types_ready;  /* atomic */

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* Readies the types of this file once.  0 or -1 with an exception. */
static int
context_ready_types(void)
{
    if (_Py_atomic_load_int_acquire(&types_ready)) {
        return 0;
    }
    int rc = 0;
    PyMutex_Lock(&types_lock);
    if (!_Py_atomic_load_int_relaxed(&types_ready)) {
        if (PyType_Ready(&token_missing_type) < 0
            || PyType_Ready(&PyContext_Type) < 0
            || PyType_Ready(&PyContextVar_Type) < 0
            || PyType_Ready(&PyContextToken_Type) < 0
            || PyDict_SetItemString(PyContextToken_Type.tp_dict, "MISSING",
                                    &token_missing) < 0) {
            rc = -1;
        }
        else {
            PyType_Modified(&PyContextToken_Type);
            _Py_atomic_store_int_release(&types_ready, 1);
        }
    }
    PyMutex_Unlock(&types_lock);
    return rc;
}

/* New reference: an empty, not entered context. */
static PyContext *
context_alloc(PyObject *vars)
{
    PyContext *ctx = PyObject_GC_New(PyContext, &PyContext_Type);
    if (ctx == NULL) {
        return NULL;
    }
    ctx->ctx_vars = vars;  /* stolen */
    ctx->ctx_prev = NULL;
    ctx->ctx_entered = 0;
    ctx->ctx_weakreflist = NULL;
    PyObject_GC_Track(ctx);
    return ctx;
}

/* New reference to a context with an empty mapping. */
static PyContext *
context_new_empty(void)
{
    if (context_ready_types() < 0) {
        return NULL;
    }
    PyObject *vars = PyDict_New();
    if (vars == NULL) {
        return NULL;
    }
    PyContext *ctx = context_alloc(vars);
    if (ctx == NULL) {
        Py_DECREF(vars);
    }
    return ctx;
}

/* Borrowed: the calling thread's current context, created (empty and
   marked entered, so no other thread can enter it) on first use. */
static PyContext *
context_current(void)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)_PyThreadState_GET();
    if (ts->context == NULL) {
        PyContext *ctx = context_new_empty();
        if (ctx == NULL) {
            return NULL;
        }
        ctx->ctx_entered = 1;
        ts->context = (PyObject *)ctx;
    }
    return (PyContext *)ts->context;
}

/* New reference to ctx's mapping: under the context's critical section,
   unless ctx is the caller's current context (only the caller swaps it). */
static PyObject *
context_vars(PyContext *ctx)
{
    PyThreadState *ts = _PyThreadState_GET();
    if (((_PyThreadStateImpl *)ts)->context == (PyObject *)ctx) {
        return Py_NewRef(ctx->ctx_vars);
    }
    PyObject *vars;
    Py_BEGIN_CRITICAL_SECTION(ctx);
    vars = Py_NewRef(ctx->ctx_vars);
    Py_END_CRITICAL_SECTION();
    return vars;
}

/* Installs vars (stolen) as ctx's mapping; the caller has ctx entered. */
static void
context_swap_vars(PyContext *ctx, PyObject *vars)
{
    PyObject *old;
    Py_BEGIN_CRITICAL_SECTION(ctx);
    old = ctx->ctx_vars;
    ctx->ctx_vars = vars;
    Py_END_CRITICAL_SECTION();
    Py_DECREF(old);
}

/* Mapping keys must be ContextVars (TypeError otherwise). */
static int
context_check_key(PyObject *key)
{
    if (!PyContextVar_CheckExact(key)) {
        PyErr_Format(PyExc_TypeError,
                     "a ContextVar key was expected, got %R", key);
        return -1;
    }
    return 0;
}

/* The C API takes exactly Context objects (TypeError otherwise). */
static int
context_check(PyObject *ctx)
{
    if (!PyContext_CheckExact(ctx)) {
        PyErr_SetString(PyExc_TypeError,
                        "an instance of Context was expected");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* C API: contexts                                                     */

/* New reference to an empty context. */
PyObject *
PyContext_New(void)
{
    return (PyObject *)context_new_empty();
}

/* New reference to a context sharing ctx's (immutable) mapping: O(1). */
PyObject *
PyContext_Copy(PyObject *octx)
{
    if (context_check(octx) < 0) {
        return NULL;
    }
    PyObject *vars = context_vars((PyContext *)octx);
    PyContext *ctx = context_alloc(vars);
    if (ctx == NULL) {
        Py_DECREF(vars);
    }
    return (PyObject *)ctx;
}

/* New reference to a copy of the calling thread's current context. */
PyObject *
PyContext_CopyCurrent(void)
{
    PyContext *cur = context_current();
    if (cur == NULL) {
        return NULL;
    }
    return PyContext_Copy((PyObject *)cur);
}

/* Claims ctx for the calling thread and makes it current; the thread
   state takes a reference, ctx_prev keeps the previous current. */
int
PyContext_Enter(PyObject *octx)
{
    if (context_check(octx) < 0) {
        return -1;
    }
    PyContext *ctx = (PyContext *)octx;
    int expected = 0;
    if (!_Py_atomic_compare_exchange_int(&ctx->ctx_entered, &expected, 1)) {
        PyErr_Format(PyExc_RuntimeError,
                     "cannot enter context: %R is already entered", octx);
        return -1;
    }
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)_PyThreadState_GET();
    ctx->ctx_prev = ts->context;  /* the reference moves */
    ts->context = Py_NewRef(octx);
    return 0;
}

/* Restores the context that was current before ctx was entered. */
int
PyContext_Exit(PyObject *octx)
{
    if (context_check(octx) < 0) {
        return -1;
    }
    PyContext *ctx = (PyContext *)octx;
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)_PyThreadState_GET();
    if (!_Py_atomic_load_int(&ctx->ctx_entered)) {
        PyErr_Format(PyExc_RuntimeError,
                     "cannot exit context: %R has not been entered", octx);
        return -1;
    }
    if (ts->context != octx) {
        PyErr_SetString(PyExc_RuntimeError,
                        "cannot exit context: thread state references a "
                        "different context object");
        return -1;
    }
    ts->context = ctx->ctx_prev;
    ctx->ctx_prev = NULL;
    _Py_atomic_store_int_release(&ctx->ctx_entered, 0);
    Py_DECREF(octx);
    return 0;
}

/* ------------------------------------------------------------------ */
/* C API: variables                                                    */

/* New reference; def is borrowed and may be NULL (no default). */
PyObject *
PyContextVar_New(const char *name, PyObject *def)
{
    if (context_ready_types() < 0) {
        return NULL;
    }
    PyObject *pyname = PyUnicode_FromString(name);
    if (pyname == NULL) {
        return NULL;
    }
    PyContextVar *var = PyObject_GC_New(PyContextVar, &PyContextVar_Type);
    if (var == NULL) {
        Py_DECREF(pyname);
        return NULL;
    }
    var->var_name = pyname;
    var->var_default = Py_XNewRef(def);
    PyObject_GC_Track(var);
    return (PyObject *)var;
}

/* The C API takes exactly ContextVar objects (TypeError otherwise). */
static int
contextvar_check(PyObject *var)
{
    if (!PyContextVar_CheckExact(var)) {
        PyErr_SetString(PyExc_TypeError,
                        "an instance of ContextVar was expected");
        return -1;
    }
    return 0;
}

/* Looks var up in the current context without a lock (see the top of
   the file); *value receives a new reference or NULL. */
int
PyContextVar_Get(PyObject *ovar, PyObject *default_value, PyObject **value)
{
    *value = NULL;
    if (contextvar_check(ovar) < 0) {
        return -1;
    }
    PyContextVar *var = (PyContextVar *)ovar;
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)_PyThreadState_GET();
    if (ts->context != NULL) {
        /* Our own current context: nobody else replaces its mapping, and
           the mapping itself is immutable, so the borrowed item stays
           valid until we take our reference. */
        PyObject *vars = ((PyContext *)ts->context)->ctx_vars;
        PyObject *found = PyDict_GetItemWithError(vars, ovar);
        if (found != NULL) {
            *value = Py_NewRef(found);
            return 0;
        }
        if (PyErr_Occurred()) {
            return -1;
        }
    }
    if (default_value != NULL) {
        *value = Py_NewRef(default_value);
    }
    else if (var->var_default != NULL) {
        *value = Py_NewRef(var->var_default);
    }
    return 0;
}

/* New reference to a token recording var's previous value in ctx. */
static PyObject *
token_new(PyContext *ctx, PyObject *var, PyObject *old)
{
    PyContextToken *tok = PyObject_GC_New(PyContextToken,
                                          &PyContextToken_Type);
    if (tok == NULL) {
        return NULL;
    }
    tok->tok_ctx = Py_NewRef(ctx);
    tok->tok_var = Py_NewRef(var);
    tok->tok_val = Py_XNewRef(old);
    tok->tok_used = 0;
    PyObject_GC_Track(tok);
    return (PyObject *)tok;
}

/* Sets (value != NULL) or removes var in the current context's mapping by
   building a new dict.  0 or -1 with an exception. */
static int
context_store(PyContext *ctx, PyObject *var, PyObject *value)
{
    PyObject *vars = PyDict_Copy(ctx->ctx_vars);
    if (vars == NULL) {
        return -1;
    }
    int rc = value != NULL ? PyDict_SetItem(vars, var, value)
                           : PyDict_DelItem(vars, var);
    if (rc < 0) {
        Py_DECREF(vars);
        return -1;
    }
    context_swap_vars(ctx, vars);
    return 0;
}

/* Sets var in the current context (value borrowed); returns a new
   reference to a Token holding the previous value. */
PyObject *
PyContextVar_Set(PyObject *var, PyObject *value)
{
    if (contextvar_check(var) < 0) {
        return NULL;
    }
    PyContext *ctx = context_current();
    if (ctx == NULL) {
        return NULL;
    }
    PyObject *old = PyDict_GetItemWithError(ctx->ctx_vars, var);
    if (old == NULL && PyErr_Occurred()) {
        return NULL;
    }
    Py_XINCREF(old);
    PyObject *tok = token_new(ctx, var, old);
    Py_XDECREF(old);
    if (tok == NULL) {
        return NULL;
    }
    if (context_store(ctx, var, value) < 0) {
        Py_DECREF(tok);
        return NULL;
    }
    return tok;
}

/* Undoes the set that made tok (borrowed), once, in the same context. */
int
PyContextVar_Reset(PyObject *var, PyObject *otok)
{
    if (contextvar_check(var) < 0) {
        return -1;
    }
    if (!PyContextToken_CheckExact(otok)) {
        PyErr_Format(PyExc_TypeError,
                     "expected an instance of Token, got %R", otok);
        return -1;
    }
    PyContextToken *tok = (PyContextToken *)otok;
    if (_Py_atomic_load_int(&tok->tok_used)) {
        PyErr_Format(PyExc_RuntimeError,
                     "%R has already been used once", otok);
        return -1;
    }
    if (tok->tok_var != var) {
        PyErr_Format(PyExc_ValueError,
                     "%R was created by a different ContextVar", otok);
        return -1;
    }
    PyContext *ctx = context_current();
    if (ctx == NULL) {
        return -1;
    }
    if (tok->tok_ctx != (PyObject *)ctx) {
        PyErr_Format(PyExc_ValueError,
                     "%R was created in a different Context", otok);
        return -1;
    }
    if (_Py_atomic_exchange_int(&tok->tok_used, 1)) {
        PyErr_Format(PyExc_RuntimeError,
                     "%R has already been used once", otok);
        return -1;
    }
    if (tok->tok_val == NULL) {
        int has = PyDict_Contains(ctx->ctx_vars, var);
        if (has <= 0) {
            return has;
        }
    }
    return context_store(ctx, var, tok->tok_val);
}

/* ------------------------------------------------------------------ */
/* Context type                                                        */

/* Context(): always empty, takes no arguments. */
static PyObject *
context_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (PyTuple_GET_SIZE(args) != 0 || (kwds != NULL && PyDict_Size(kwds))) {
        PyErr_SetString(PyExc_TypeError,
                        "Context() does not accept any arguments");
        return NULL;
    }
    return PyContext_New();
}

static int
context_tp_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyContext *ctx = (PyContext *)self;
    Py_VISIT(ctx->ctx_vars);
    Py_VISIT(ctx->ctx_prev);
    return 0;
}

/* For the GC: the mapping is kept (the dict is tracked and clears
   itself), so every method may assume ctx_vars != NULL. */
static int
context_tp_clear(PyObject *self)
{
    PyContext *ctx = (PyContext *)self;
    Py_CLEAR(ctx->ctx_prev);
    return 0;
}

static void
context_tp_dealloc(PyObject *self)
{
    PyContext *ctx = (PyContext *)self;
    PyObject_GC_UnTrack(self);
    if (ctx->ctx_weakreflist != NULL) {
        PyObject_ClearWeakRefs(self);
    }
    Py_CLEAR(ctx->ctx_prev);
    Py_CLEAR(ctx->ctx_vars);
    Py_TYPE(self)->tp_free(self);
}

/* ctx[var]: KeyError(var) when unset. New reference. */
static PyObject *
context_tp_subscript(PyObject *self, PyObject *key)
{
    if (context_check_key(key) < 0) {
        return NULL;
    }
    PyObject *vars = context_vars((PyContext *)self);
    PyObject *v = PyDict_GetItemWithError(vars, key);
    if (v == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetObject(PyExc_KeyError, key);
        }
    }
    else {
        Py_INCREF(v);
    }
    Py_DECREF(vars);
    return v;
}

/* var in ctx */
static int
context_tp_contains(PyObject *self, PyObject *key)
{
    if (context_check_key(key) < 0) {
        return -1;
    }
    PyObject *vars = context_vars((PyContext *)self);
    int rc = PyDict_Contains(vars, key);
    Py_DECREF(vars);
    return rc;
}

/* len(ctx): the number of variables set in it. */
static Py_ssize_t
context_tp_len(PyObject *self)
{
    PyObject *vars = context_vars((PyContext *)self);
    Py_ssize_t n = PyDict_Size(vars);
    Py_DECREF(vars);
    return n;
}

/* Iterates over a snapshot of the mapping (its keys). */
static PyObject *
context_tp_iter(PyObject *self)
{
    PyObject *vars = context_vars((PyContext *)self);
    PyObject *it = PyObject_GetIter(vars);
    Py_DECREF(vars);
    return it;
}

/* == and != compare the mappings; nothing else is supported. */
static PyObject *
context_tp_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyContext_CheckExact(a) || !PyContext_CheckExact(b)
        || (op != Py_EQ && op != Py_NE)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *va = context_vars((PyContext *)a);
    PyObject *vb = context_vars((PyContext *)b);
    PyObject *res = PyObject_RichCompare(va, vb, op);
    Py_DECREF(va);
    Py_DECREF(vb);
    return res;
}

/* ctx.get(var, default=None). New reference. */
static PyObject *
context_get(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("get", nargs, 1, 2)) {
        return NULL;
    }
    if (context_check_key(args[0]) < 0) {
        return NULL;
    }
    PyObject *vars = context_vars((PyContext *)self);
    PyObject *v = PyDict_GetItemWithError(vars, args[0]);
    if (v == NULL && !PyErr_Occurred()) {
        v = nargs > 1 ? args[1] : Py_None;
    }
    Py_XINCREF(v);
    Py_DECREF(vars);
    return v;
}

/* keys()/values()/items(): views of the immutable mapping snapshot. */
static PyObject *
context_view(PyObject *self, const char *name)
{
    PyObject *vars = context_vars((PyContext *)self);
    PyObject *res = PyObject_CallMethod(vars, name, NULL);
    Py_DECREF(vars);
    return res;
}

static PyObject *
context_keys(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return context_view(self, "keys");
}

static PyObject *
context_values(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return context_view(self, "values");
}

static PyObject *
context_items(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return context_view(self, "items");
}

static PyObject *
context_copy(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyContext_Copy(self);
}

/* run(callable, *args, **kwargs): call inside the context. */
static PyObject *
context_run(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
            PyObject *kwnames)
{
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError,
                        "run() missing 1 required positional argument");
        return NULL;
    }
    if (PyContext_Enter(self) < 0) {
        return NULL;
    }
    PyObject *res = PyObject_Vectorcall(args[0], args + 1, nargs - 1,
                                        kwnames);
    if (PyContext_Exit(self) < 0) {
        Py_XDECREF(res);
        return NULL;
    }
    return res;
}

static PyMethodDef context_methods[] = {
    {"get", (PyCFunction)(void (*)(void))context_get, METH_FASTCALL, NULL},
    {"items", context_items, METH_NOARGS, NULL},
    {"keys", context_keys, METH_NOARGS, NULL},
    {"values", context_values, METH_NOARGS, NULL},
    {"copy", context_copy, METH_NOARGS, NULL},
    {"run", (PyCFunction)(void (*)(void))context_run,
     METH_FASTCALL | METH_KEYWORDS, NULL},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods context_as_sequence = {
    .sq_contains = context_tp_contains,
};

static PyMappingMethods context_as_mapping = {
    .mp_length = context_tp_len,
    .mp_subscript = context_tp_subscript,
};

PyTypeObject PyContext_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_contextvars.Context",
    .tp_basicsize = sizeof(PyContext),
    .tp_dealloc = context_tp_dealloc,
    .tp_as_sequence = &context_as_sequence,
    .tp_as_mapping = &context_as_mapping,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = context_tp_traverse,
    .tp_clear = context_tp_clear,
    .tp_richcompare = context_tp_richcompare,
    .tp_weaklistoffset = offsetof(PyContext, ctx_weakreflist),
    .tp_iter = context_tp_iter,
    .tp_methods = context_methods,
    .tp_new = context_tp_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* ContextVar type                                                     */

/* ContextVar(name, *, default): the name must be a str. */
static PyObject *
contextvar_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "default", NULL};
    PyObject *name;
    PyObject *def = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|$O:ContextVar", kwlist,
                                     &name, &def)) {
        return NULL;
    }
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError,
                        "context variable name must be a str");
        return NULL;
    }
    if (context_ready_types() < 0) {
        return NULL;
    }
    PyContextVar *var = PyObject_GC_New(PyContextVar, &PyContextVar_Type);
    if (var == NULL) {
        return NULL;
    }
    var->var_name = Py_NewRef(name);
    var->var_default = Py_XNewRef(def);
    PyObject_GC_Track(var);
    return (PyObject *)var;
}

static int
contextvar_tp_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyContextVar *var = (PyContextVar *)self;
    Py_VISIT(var->var_name);
    Py_VISIT(var->var_default);
    return 0;
}

/* For the GC: the name (a str) cannot be part of a cycle. */
static int
contextvar_tp_clear(PyObject *self)
{
    PyContextVar *var = (PyContextVar *)self;
    Py_CLEAR(var->var_default);
    return 0;
}

static void
contextvar_tp_dealloc(PyObject *self)
{
    PyContextVar *var = (PyContextVar *)self;
    PyObject_GC_UnTrack(self);
    Py_CLEAR(var->var_name);
    Py_CLEAR(var->var_default);
    Py_TYPE(self)->tp_free(self);
}

/* <ContextVar name='x' default=1 at 0x...>, as in 3.11. */
static PyObject *
contextvar_tp_repr(PyObject *self)
{
    PyContextVar *var = (PyContextVar *)self;
    if (var->var_default != NULL) {
        return PyUnicode_FromFormat("<ContextVar name=%R default=%R at %p>",
                                    var->var_name, var->var_default, self);
    }
    return PyUnicode_FromFormat("<ContextVar name=%R at %p>",
                                var->var_name, self);
}

/* get([default]): LookupError(var) when unset and no default applies. */
static PyObject *
contextvar_get(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
               PyObject *kwnames)
{
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0) {
        PyErr_SetString(PyExc_TypeError,
                        "ContextVar.get() takes no keyword arguments");
        return NULL;
    }
    if (nargs > 1) {
        PyErr_Format(PyExc_TypeError,
                     "get expected at most 1 argument, got %zd", nargs);
        return NULL;
    }
    PyObject *value;
    if (PyContextVar_Get(self, nargs ? args[0] : NULL, &value) < 0) {
        return NULL;
    }
    if (value == NULL) {
        PyErr_SetObject(PyExc_LookupError, self);
    }
    return value;
}

static PyObject *
contextvar_set(PyObject *self, PyObject *value)
{
    return PyContextVar_Set(self, value);
}

static PyObject *
contextvar_reset(PyObject *self, PyObject *token)
{
    if (PyContextVar_Reset(self, token) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ContextVar[T] / Token[T] (PEP 585): a types.GenericAlias. */
static PyObject *
context_class_getitem(PyObject *cls, PyObject *args)
{
    return Py_GenericAlias(cls, args);
}

static PyMethodDef contextvar_methods[] = {
    {"get", (PyCFunction)(void (*)(void))contextvar_get,
     METH_FASTCALL | METH_KEYWORDS, NULL},
    {"set", contextvar_set, METH_O, NULL},
    {"reset", contextvar_reset, METH_O, NULL},
    {"__class_getitem__", context_class_getitem, METH_O | METH_CLASS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef contextvar_members[] = {
    {"name", T_OBJECT, offsetof(PyContextVar, var_name), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

PyTypeObject PyContextVar_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_contextvars.ContextVar",
    .tp_basicsize = sizeof(PyContextVar),
    .tp_dealloc = contextvar_tp_dealloc,
    .tp_repr = contextvar_tp_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = contextvar_tp_traverse,
    .tp_clear = contextvar_tp_clear,
    .tp_methods = contextvar_methods,
    .tp_members = contextvar_members,
    .tp_new = contextvar_tp_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* Token type                                                          */

/* Tokens come only from ContextVar.set. */
static PyObject *
token_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyErr_SetString(PyExc_RuntimeError,
                    "Tokens can only be created by ContextVars");
    return NULL;
}

static int
token_tp_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyContextToken *tok = (PyContextToken *)self;
    Py_VISIT(tok->tok_ctx);
    Py_VISIT(tok->tok_var);
    Py_VISIT(tok->tok_val);
    return 0;
}

/* For the GC: var and ctx stay so that repr and reset checks work. */
static int
token_tp_clear(PyObject *self)
{
    PyContextToken *tok = (PyContextToken *)self;
    Py_CLEAR(tok->tok_val);
    return 0;
}

static void
token_tp_dealloc(PyObject *self)
{
    PyContextToken *tok = (PyContextToken *)self;
    PyObject_GC_UnTrack(self);
    Py_CLEAR(tok->tok_ctx);
    Py_CLEAR(tok->tok_var);
    Py_CLEAR(tok->tok_val);
    Py_TYPE(self)->tp_free(self);
}

/* <Token [used ]var=... at 0x...>, as in 3.11. */
static PyObject *
token_tp_repr(PyObject *self)
{
    PyContextToken *tok = (PyContextToken *)self;
    const char *used = _Py_atomic_load_int(&tok->tok_used) ? " used" : "";
    return PyUnicode_FromFormat("<Token%s var=%R at %p>", used,
                                tok->tok_var, self);
}

static PyObject *
token_get_var(PyObject *self, void *Py_UNUSED(closure))
{
    return Py_NewRef(((PyContextToken *)self)->tok_var);
}

/* Token.old_value: Token.MISSING when the variable was unset. */
static PyObject *
token_get_old_value(PyObject *self, void *Py_UNUSED(closure))
{
    PyObject *v = ((PyContextToken *)self)->tok_val;
    return Py_NewRef(v != NULL ? v : &token_missing);
}

static PyGetSetDef token_getset[] = {
    {"var", token_get_var, NULL, NULL, NULL},
    {"old_value", token_get_old_value, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef token_methods[] = {
    {"__class_getitem__", context_class_getitem, METH_O | METH_CLASS, NULL},
    {NULL, NULL, 0, NULL},
};

PyTypeObject PyContextToken_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_contextvars.Token",
    .tp_basicsize = sizeof(PyContextToken),
    .tp_dealloc = token_tp_dealloc,
    .tp_repr = token_tp_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = token_tp_traverse,
    .tp_clear = token_tp_clear,
    .tp_methods = token_methods,
    .tp_getset = token_getset,
    .tp_new = token_tp_new,
    .tp_free = PyObject_GC_Del,
};

static PyObject *
token_missing_repr(PyObject *self)
{
    return PyUnicode_FromString("<Token.MISSING>");
}

static PyTypeObject token_missing_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "Token.MISSING",
    .tp_basicsize = sizeof(PyObject),
    .tp_repr = token_missing_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

/* ------------------------------------------------------------------ */
/* The _contextvars module                                             */

/* copy_context(): new reference to a copy of the current context. */
static PyObject *
contextvars_copy_context(PyObject *module, PyObject *const *args,
                         Py_ssize_t nargs)
{
    if (nargs != 0) {
        PyErr_Format(PyExc_TypeError,
                     "_contextvars.copy_context() takes no arguments "
                     "(%zd given)", nargs);
        return NULL;
    }
    return PyContext_CopyCurrent();
}

static PyMethodDef contextvars_functions[] = {
    {"copy_context", (PyCFunction)(void (*)(void))contextvars_copy_context,
     METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef contextvars_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_contextvars",
    .m_doc = "Context Variables",
    .m_size = -1,
    .m_methods = contextvars_functions,
};

/* Module init: the types live in this file (they are static and shared
   with the C API), the module only exposes them. */
PyMODINIT_FUNC
PyInit__contextvars(void)
{
    if (context_ready_types() < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&contextvars_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "Context", (PyObject *)&PyContext_Type) < 0
        || PyModule_AddObjectRef(m, "ContextVar",
                                 (PyObject *)&PyContextVar_Type) < 0
        || PyModule_AddObjectRef(m, "Token",
                                 (PyObject *)&PyContextToken_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
