/* Reference-count slow paths and generic object operations.
 *
 * Biased reference counting (ARCHITECTURE section 3): the inline fast paths
 * live in Include/object.h; here are the owner's merge when its local count
 * reaches zero, the non-owner's decrement of the shared field, and the
 * explicit merge used by merge queues.
 *
 * Then the object protocol: allocation and GC tracking helpers, repr/str,
 * hashing, truth, rich comparison with reflected operands, generic
 * attribute access (data/non-data descriptors and the instance __dict__),
 * None and NotImplemented, and the interned identifier table.
 *
 * Thread safety of the instance __dict__ slot: the dict pointer is
 * published with a release store (lazy creation uses a CAS); readers take
 * a conditional reference and re-check the slot, falling back to the
 * object's critical section.  Every dict stored there is marked
 * maybe-weakref first so that the conditional reference is allowed. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_pystate.h"
#include "pycore_critical_section.h"
#include "pycore_obmalloc.h"
#include "pycore_excstate.h"
#include "pycore_global_strings.h"
#include "pycore_typeobject.h"
#include "pycore_exceptions.h"
#include "pycore_call.h"
#include "pycore_dict.h"
#include "pycore_unicodeobject.h"

void
_Py_Dealloc(PyObject *op)
{
    destructor dealloc = Py_TYPE(op)->tp_dealloc;
    dealloc(op);
}

void
_Py_NegativeRefcount(const char *filename, int lineno, PyObject *op)
{
    fprintf(stderr, "%s:%d: object at %p has a negative reference count\n",
            filename, lineno, (void *)op);
    Py_FatalError("negative reference count");
}

/* The owner dropped its last local reference. */
void
_Py_MergeZeroLocalRefcount(PyObject *op)
{
    Py_ssize_t shared = _Py_atomic_load_ssize_acquire(&op->ob_ref_shared);
    if (shared == 0) {
        /* Nobody else ever saw it: free with no atomic operation. */
        _Py_Dealloc(op);
        return;
    }
    /* Clear ob_tid before the merged state becomes visible: ob_tid == 0
       exactly when merged (ARCHITECTURE section 10). */
    _Py_atomic_store_uintptr_relaxed(&op->ob_tid, 0);
    Py_ssize_t new_shared;
    do {
        new_shared = (shared & ~(Py_ssize_t)_Py_REF_SHARED_FLAG_MASK) |
                     _Py_REF_MERGED;
    } while (!_Py_atomic_compare_exchange_ssize(&op->ob_ref_shared, &shared,
                                                new_shared));
    if ((new_shared >> _Py_REF_SHARED_SHIFT) == 0) {
        _Py_Dealloc(op);
    }
}

/* A decrement from a thread that does not own `op`. */
void
_Py_DecRefShared(PyObject *op)
{
    Py_ssize_t shared = _Py_atomic_load_ssize_relaxed(&op->ob_ref_shared);
    Py_ssize_t new_shared;
    int queue;
    do {
        Py_ssize_t state = shared & _Py_REF_SHARED_FLAG_MASK;
        queue = (state <= _Py_REF_MAYBE_WEAKREF &&
                 (shared >> _Py_REF_SHARED_SHIFT) <= 0);
        if (queue) {
            /* Going below zero: the owner's local count holds the rest.
               Keep our reference in the queue entry instead. */
            new_shared = (shared & ~(Py_ssize_t)_Py_REF_SHARED_FLAG_MASK) |
                         _Py_REF_QUEUED;
        }
        else {
            new_shared = shared - ((Py_ssize_t)1 << _Py_REF_SHARED_SHIFT);
        }
    } while (!_Py_atomic_compare_exchange_ssize(&op->ob_ref_shared, &shared,
                                                new_shared));
    if (queue) {
        _Py_brc_queue_object(op);
    }
    else if ((new_shared & _Py_REF_SHARED_FLAG_MASK) == _Py_REF_MERGED &&
             (new_shared >> _Py_REF_SHARED_SHIFT) == 0) {
        _Py_Dealloc(op);
    }
}

Py_ssize_t
_Py_ExplicitMergeRefcount(PyObject *op, Py_ssize_t extra)
{
    uint32_t local = _Py_atomic_load_uint32_relaxed(&op->ob_ref_local);
    _Py_atomic_store_uint32_relaxed(&op->ob_ref_local, 0);
    _Py_atomic_store_uintptr_relaxed(&op->ob_tid, 0);
    Py_ssize_t shared = _Py_atomic_load_ssize(&op->ob_ref_shared);
    Py_ssize_t new_shared;
    do {
        Py_ssize_t total = (shared >> _Py_REF_SHARED_SHIFT) +
                           (Py_ssize_t)local + extra;
        new_shared = _Py_REF_SHARED(total, _Py_REF_MERGED);
    } while (!_Py_atomic_compare_exchange_ssize(&op->ob_ref_shared, &shared,
                                                new_shared));
    return new_shared >> _Py_REF_SHARED_SHIFT;
}

#undef Py_SET_REFCNT
void
Py_SET_REFCNT(PyObject *op, Py_ssize_t refcnt)
{
    if (_Py_IsImmortal(op)) {
        return;
    }
    if (refcnt >= (Py_ssize_t)_Py_IMMORTAL_REFCNT_LOCAL) {
        _Py_atomic_store_uintptr_relaxed(&op->ob_tid, 0);
        _Py_atomic_store_uint32_relaxed(&op->ob_ref_local,
                                        _Py_IMMORTAL_REFCNT_LOCAL);
        _Py_atomic_store_ssize_relaxed(&op->ob_ref_shared, 0);
        return;
    }
    if (_Py_IsOwnedByCurrentThread(op)) {
        /* Keep the shared state bits, put the whole count locally. */
        Py_ssize_t shared = _Py_atomic_load_ssize(&op->ob_ref_shared);
        _Py_atomic_store_uint32_relaxed(&op->ob_ref_local, (uint32_t)refcnt);
        _Py_atomic_store_ssize(&op->ob_ref_shared,
                               shared & _Py_REF_SHARED_FLAG_MASK);
    }
    else {
        _Py_atomic_store_uintptr_relaxed(&op->ob_tid, 0);
        _Py_atomic_store_uint32_relaxed(&op->ob_ref_local, 0);
        _Py_atomic_store_ssize(&op->ob_ref_shared,
                               _Py_REF_SHARED(refcnt, _Py_REF_MERGED));
    }
}

/* ================================================================ identifiers */

PyObject *_Py_global_strings[_Py_STR_COUNT];

static const char *const global_string_names[_Py_STR_COUNT] = {
#define _Py_STR_NAME(name) #name,
    _Py_GLOBAL_STRINGS(_Py_STR_NAME)
#undef _Py_STR_NAME
};

/* Written once during Py_Initialize, before other threads exist, and
   read-only afterwards. */
int
_PyStrings_Init(void)
{
    for (int i = 0; i < _Py_STR_COUNT; i++) {
        if (_Py_global_strings[i] != NULL) {
            continue;
        }
        PyObject *s = PyUnicode_InternFromString(global_string_names[i]);
        if (s == NULL) {
            return -1;
        }
        _Py_SetImmortal(s);
        _Py_global_strings[i] = s;
    }
    return 0;
}

/* ================================================================ allocation */

PyObject *
PyObject_Init(PyObject *op, PyTypeObject *type)
{
    if (op == NULL) {
        return PyErr_NoMemory();
    }
    _PyObject_InitHeader(op, type);
    if (PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        Py_INCREF(type);
    }
    return op;
}

PyVarObject *
PyObject_InitVar(PyVarObject *op, PyTypeObject *type, Py_ssize_t size)
{
    if (op == NULL) {
        return (PyVarObject *)PyErr_NoMemory();
    }
    PyObject_Init((PyObject *)op, type);
    Py_SET_SIZE(op, size);
    return op;
}

PyObject *
_PyObject_New(PyTypeObject *type)
{
    PyObject *op = PyObject_Malloc(_PyObject_SIZE(type));
    if (op == NULL) {
        return PyErr_NoMemory();
    }
    return PyObject_Init(op, type);
}

PyVarObject *
_PyObject_NewVar(PyTypeObject *type, Py_ssize_t nitems)
{
    size_t size = _PyObject_VAR_SIZE(type, nitems);
    PyVarObject *op = PyObject_Malloc(size);
    if (op == NULL) {
        return (PyVarObject *)PyErr_NoMemory();
    }
    return PyObject_InitVar(op, type, nitems);
}

PyObject *
_PyObject_GC_New(PyTypeObject *type)
{
    PyObject *op = _PyObject_MallocGC(_PyObject_SIZE(type));
    if (op == NULL) {
        return PyErr_NoMemory();
    }
    return PyObject_Init(op, type);
}

PyVarObject *
_PyObject_GC_NewVar(PyTypeObject *type, Py_ssize_t nitems)
{
    if (nitems < 0) {
        PyErr_BadInternalCall();
        return NULL;
    }
    size_t size = _PyObject_VAR_SIZE(type, nitems);
    PyVarObject *op = _PyObject_MallocGC(size);
    if (op == NULL) {
        return (PyVarObject *)PyErr_NoMemory();
    }
    return PyObject_InitVar(op, type, nitems);
}

/* Moves an untracked GC var object to a block of the new size (the
   allocator has no in-place GC realloc). */
PyVarObject *
_PyObject_GC_Resize(PyVarObject *op, Py_ssize_t nitems)
{
    PyTypeObject *type = Py_TYPE(op);
    size_t size = _PyObject_VAR_SIZE(type, nitems);
    size_t have = _PyObmalloc_UsableSize(op);
    if (size <= have) {
        Py_SET_SIZE(op, nitems);
        return op;
    }
    PyVarObject *nop = _PyObject_MallocGC(size);
    if (nop == NULL) {
        return (PyVarObject *)PyErr_NoMemory();
    }
    memcpy(nop, op, have < size ? have : size);
    /* The copy is a new object for lock-free readers: fresh header. */
    _PyObject_InitHeader((PyObject *)nop, type);
    _Py_atomic_store_uint32_relaxed(&((PyObject *)nop)->ob_ref_local,
                                    op->ob_base.ob_ref_local);
    Py_SET_SIZE(nop, nitems);
    PyObject_Free(op);
    return nop;
}

/* ob_gc_bits may be written by other threads (the dict shared bit):
   every update is an atomic read-modify-write. */
void
PyObject_GC_Track(void *op)
{
    _Py_atomic_or_uint8(&((PyObject *)op)->ob_gc_bits, _PyGC_BITS_TRACKED);
}

void
PyObject_GC_UnTrack(void *op)
{
    _Py_atomic_and_uint8(&((PyObject *)op)->ob_gc_bits,
                         (uint8_t)~_PyGC_BITS_TRACKED);
}

int
PyObject_GC_IsTracked(PyObject *op)
{
    return (_Py_atomic_load_uint8_relaxed(&op->ob_gc_bits) &
            _PyGC_BITS_TRACKED) != 0;
}

int
PyObject_GC_IsFinalized(PyObject *op)
{
    return (_Py_atomic_load_uint8_relaxed(&op->ob_gc_bits) &
            _PyGC_BITS_FINALIZED) != 0;
}

void
PyObject_GC_Del(void *op)
{
    PyObject_Free(op);
}

int
PyObject_IS_GC(PyObject *obj)
{
    PyTypeObject *tp = Py_TYPE(obj);
    return PyType_IS_GC(tp) && (tp->tp_is_gc == NULL || tp->tp_is_gc(obj));
}

/* PEP 442: tp_finalize runs at most once per object. */
void
PyObject_CallFinalizer(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (tp->tp_finalize == NULL) {
        return;
    }
    if (PyType_IS_GC(tp) && PyObject_GC_IsFinalized(self)) {
        return;
    }
    tp->tp_finalize(self);
    if (PyType_IS_GC(tp)) {
        _Py_atomic_or_uint8(&self->ob_gc_bits, _PyGC_BITS_FINALIZED);
    }
}

/* From a dealloc: temporarily resurrects the object to run its
   finalizer; returns -1 if the finalizer kept it alive. */
int
PyObject_CallFinalizerFromDealloc(PyObject *self)
{
    Py_SET_REFCNT(self, 1);
    PyObject_CallFinalizer(self);
    if (Py_REFCNT(self) == 1) {
        Py_SET_REFCNT(self, 0);
        return 0;
    }
    /* Resurrected: drop the temporary reference. */
    Py_SET_REFCNT(self, Py_REFCNT(self) - 1);
    if (PyType_IS_GC(Py_TYPE(self))) {
        PyObject_GC_Track(self);
    }
    return -1;
}

/* ================================================================ singletons */

static PyObject *
none_repr(PyObject *op)
{
    return PyUnicode_FromString("None");
}

static Py_hash_t
none_hash(PyObject *v)
{
    return _Py_HashPointer(v);
}

static int
none_bool(PyObject *v)
{
    return 0;
}

static PyObject *
none_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) || (kwargs && PyDict_GET_SIZE(kwargs))) {
        PyErr_SetString(PyExc_TypeError, "NoneType takes no arguments");
        return NULL;
    }
    Py_RETURN_NONE;
}

static void
singleton_dealloc(PyObject *op)
{
    /* Immortal singletons are never deallocated. */
    Py_FatalError("deallocating an immortal singleton");
}

static PyNumberMethods none_as_number = {
    .nb_bool = none_bool,
};

PyTypeObject _PyNone_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "NoneType",
    .tp_basicsize = 0,
    .tp_dealloc = singleton_dealloc,
    .tp_repr = none_repr,
    .tp_as_number = &none_as_number,
    .tp_hash = none_hash,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = none_new,
};

PyObject _Py_NoneStruct = {
    .ob_tid = 0,
    .ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL,
    .ob_type = &_PyNone_Type,
};

static PyObject *
notimplemented_repr(PyObject *op)
{
    return PyUnicode_FromString("NotImplemented");
}

static PyObject *
notimplemented_reduce(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromString("NotImplemented");
}

static PyMethodDef notimplemented_methods[] = {
    {"__reduce__", notimplemented_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyObject *
notimplemented_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) || (kwargs && PyDict_GET_SIZE(kwargs))) {
        PyErr_SetString(PyExc_TypeError,
                        "NotImplementedType takes no arguments");
        return NULL;
    }
    Py_RETURN_NOTIMPLEMENTED;
}

static int
notimplemented_bool(PyObject *v)
{
    if (PyErr_WarnEx(PyExc_DeprecationWarning,
                     "NotImplemented should not be used in a boolean "
                     "context", 1) < 0) {
        return -1;
    }
    return 1;
}

static PyNumberMethods notimplemented_as_number = {
    .nb_bool = notimplemented_bool,
};

PyTypeObject _PyNotImplemented_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "NotImplementedType",
    .tp_basicsize = 0,
    .tp_dealloc = singleton_dealloc,
    .tp_repr = notimplemented_repr,
    .tp_as_number = &notimplemented_as_number,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = notimplemented_methods,
    .tp_new = notimplemented_new,
};

PyObject _Py_NotImplementedStruct = {
    .ob_tid = 0,
    .ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL,
    .ob_type = &_PyNotImplemented_Type,
};

/* ================================================================ repr/str */

PyObject *
PyObject_Repr(PyObject *v)
{
    if (v == NULL) {
        return PyUnicode_FromString("<NULL>");
    }
    if (Py_TYPE(v)->tp_repr == NULL) {
        return PyUnicode_FromFormat("<%s object at %p>",
                                    Py_TYPE(v)->tp_name, v);
    }
    if (Py_EnterRecursiveCall(" while getting the repr of an object")) {
        return NULL;
    }
    PyObject *res = (*Py_TYPE(v)->tp_repr)(v);
    Py_LeaveRecursiveCall();
    if (res == NULL) {
        return NULL;
    }
    if (!PyUnicode_Check(res)) {
        PyErr_Format(PyExc_TypeError,
                     "__repr__ returned non-string (type %.200s)",
                     Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        return NULL;
    }
    return res;
}

PyObject *
PyObject_Str(PyObject *v)
{
    if (v == NULL) {
        return PyUnicode_FromString("<NULL>");
    }
    if (PyUnicode_CheckExact(v)) {
        return Py_NewRef(v);
    }
    if (Py_TYPE(v)->tp_str == NULL) {
        return PyObject_Repr(v);
    }
    if (Py_EnterRecursiveCall(" while getting the str of an object")) {
        return NULL;
    }
    PyObject *res = (*Py_TYPE(v)->tp_str)(v);
    Py_LeaveRecursiveCall();
    if (res == NULL) {
        return NULL;
    }
    if (!PyUnicode_Check(res)) {
        PyErr_Format(PyExc_TypeError,
                     "__str__ returned non-string (type %.200s)",
                     Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        return NULL;
    }
    return res;
}

PyObject *
PyObject_ASCII(PyObject *v)
{
    PyObject *repr = PyObject_Repr(v);
    if (repr == NULL) {
        return NULL;
    }
    if (PyUnicode_IS_ASCII(repr)) {
        return repr;
    }
    PyObject *ascii = _PyUnicode_AsASCIIString(repr, "backslashreplace");
    Py_DECREF(repr);
    if (ascii == NULL) {
        return NULL;
    }
    PyObject *res = PyUnicode_DecodeASCII(PyBytes_AS_STRING(ascii),
                                          PyBytes_GET_SIZE(ascii), NULL);
    Py_DECREF(ascii);
    return res;
}

PyObject *
PyObject_Bytes(PyObject *v)
{
    if (v == NULL) {
        return PyBytes_FromString("<NULL>");
    }
    if (PyBytes_CheckExact(v)) {
        return Py_NewRef(v);
    }
    PyObject *func = _PyObject_LookupSpecial(v, _Py_ID(__bytes__));
    if (func != NULL) {
        PyObject *result = PyObject_CallNoArgs(func);
        Py_DECREF(func);
        if (result == NULL) {
            return NULL;
        }
        if (!PyBytes_Check(result)) {
            PyErr_Format(PyExc_TypeError,
                         "__bytes__ returned non-bytes (type %.200s)",
                         Py_TYPE(result)->tp_name);
            Py_DECREF(result);
            return NULL;
        }
        return result;
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    return PyBytes_FromObject(v);
}

int
PyObject_Print(PyObject *op, FILE *fp, int flags)
{
    clearerr(fp);
    if (op == NULL) {
        fprintf(fp, "<nil>");
    }
    else {
        PyObject *s = (flags & Py_PRINT_RAW) ? PyObject_Str(op)
                                             : PyObject_Repr(op);
        if (s == NULL) {
            return -1;
        }
        Py_ssize_t len;
        const char *t = PyUnicode_AsUTF8AndSize(s, &len);
        if (t == NULL) {
            Py_DECREF(s);
            return -1;
        }
        fwrite(t, 1, (size_t)len, fp);
        Py_DECREF(s);
    }
    if (ferror(fp)) {
        PyErr_SetFromErrno(PyExc_OSError);
        clearerr(fp);
        return -1;
    }
    return 0;
}

/* ================================================================ hash/bool */

Py_hash_t
PyObject_HashNotImplemented(PyObject *v)
{
    PyErr_Format(PyExc_TypeError, "unhashable type: '%.200s'",
                 Py_TYPE(v)->tp_name);
    return -1;
}

Py_hash_t
PyObject_Hash(PyObject *v)
{
    PyTypeObject *tp = Py_TYPE(v);
    if (tp->tp_hash != NULL) {
        return (*tp->tp_hash)(v);
    }
    if (!_PyType_IsReady(tp)) {
        if (PyType_Ready(tp) < 0) {
            return -1;
        }
        if (tp->tp_hash != NULL) {
            return (*tp->tp_hash)(v);
        }
    }
    return PyObject_HashNotImplemented(v);
}

int
PyObject_IsTrue(PyObject *v)
{
    if (v == Py_True) {
        return 1;
    }
    if (v == Py_False || v == Py_None) {
        return 0;
    }
    PyTypeObject *tp = Py_TYPE(v);
    Py_ssize_t res;
    if (tp->tp_as_number != NULL && tp->tp_as_number->nb_bool != NULL) {
        res = (*tp->tp_as_number->nb_bool)(v);
    }
    else if (tp->tp_as_mapping != NULL &&
             tp->tp_as_mapping->mp_length != NULL) {
        res = (*tp->tp_as_mapping->mp_length)(v);
    }
    else if (tp->tp_as_sequence != NULL &&
             tp->tp_as_sequence->sq_length != NULL) {
        res = (*tp->tp_as_sequence->sq_length)(v);
    }
    else {
        return 1;
    }
    return res > 0 ? 1 : (int)res;
}

int
PyObject_Not(PyObject *v)
{
    int res = PyObject_IsTrue(v);
    if (res < 0) {
        return res;
    }
    return res == 0;
}

int
PyCallable_Check(PyObject *x)
{
    if (x == NULL) {
        return 0;
    }
    return Py_TYPE(x)->tp_call != NULL;
}

PyObject *
PyObject_SelfIter(PyObject *obj)
{
    return Py_NewRef(obj);
}

PyObject *
_PyObject_NextNotImplemented(PyObject *self)
{
    PyErr_Format(PyExc_TypeError, "'%.200s' object is not iterable",
                 Py_TYPE(self)->tp_name);
    return NULL;
}

/* ================================================================ compare */

static const int swapped_op[] = {Py_GT, Py_GE, Py_EQ, Py_NE, Py_LT, Py_LE};
static const char *const opstrings[] = {"<", "<=", "==", "!=", ">", ">="};

/* v op w: the right operand's reflected method first when its type is a
   subclass of the left's, then v's, then w's; == and != fall back to
   identity. */
static PyObject *
do_richcompare(PyObject *v, PyObject *w, int op)
{
    richcmpfunc f;
    PyObject *res;
    int checked_reverse_op = 0;
    if (!Py_IS_TYPE(v, Py_TYPE(w)) &&
        PyType_IsSubtype(Py_TYPE(w), Py_TYPE(v)) &&
        (f = Py_TYPE(w)->tp_richcompare) != NULL) {
        checked_reverse_op = 1;
        res = (*f)(w, v, swapped_op[op]);
        if (res != Py_NotImplemented) {
            return res;
        }
        Py_DECREF(res);
    }
    if ((f = Py_TYPE(v)->tp_richcompare) != NULL) {
        res = (*f)(v, w, op);
        if (res != Py_NotImplemented) {
            return res;
        }
        Py_DECREF(res);
    }
    if (!checked_reverse_op && (f = Py_TYPE(w)->tp_richcompare) != NULL) {
        res = (*f)(w, v, swapped_op[op]);
        if (res != Py_NotImplemented) {
            return res;
        }
        Py_DECREF(res);
    }
    switch (op) {
    case Py_EQ:
        res = (v == w) ? Py_True : Py_False;
        break;
    case Py_NE:
        res = (v != w) ? Py_True : Py_False;
        break;
    default:
        PyErr_Format(PyExc_TypeError,
                     "'%s' not supported between instances of '%.100s' "
                     "and '%.100s'", opstrings[op], Py_TYPE(v)->tp_name,
                     Py_TYPE(w)->tp_name);
        return NULL;
    }
    return Py_NewRef(res);
}

PyObject *
PyObject_RichCompare(PyObject *v, PyObject *w, int op)
{
    if (v == NULL || w == NULL || op < Py_LT || op > Py_GE) {
        if (!PyErr_Occurred()) {
            PyErr_BadInternalCall();
        }
        return NULL;
    }
    if (Py_EnterRecursiveCall(" in comparison")) {
        return NULL;
    }
    PyObject *res = do_richcompare(v, w, op);
    Py_LeaveRecursiveCall();
    return res;
}

int
PyObject_RichCompareBool(PyObject *v, PyObject *w, int op)
{
    /* Identity implies equality, as for containers in CPython. */
    if (v == w) {
        if (op == Py_EQ) {
            return 1;
        }
        if (op == Py_NE) {
            return 0;
        }
    }
    PyObject *res = PyObject_RichCompare(v, w, op);
    if (res == NULL) {
        return -1;
    }
    int ok;
    if (PyBool_Check(res)) {
        ok = (res == Py_True);
    }
    else {
        ok = PyObject_IsTrue(res);
    }
    Py_DECREF(res);
    return ok;
}

/* ================================================================ attributes */

static int
check_attr_name(PyObject *name)
{
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError,
                     "attribute name must be string, not '%.200s'",
                     Py_TYPE(name)->tp_name);
        return 0;
    }
    return 1;
}

void
_PyObject_SetAttributeErrorContext(PyObject *obj, PyObject *name)
{
    PyObject *exc = PyErr_GetRaisedException();
    if (exc != NULL) {
        _PyExc_SetAttributeErrorContext(exc, obj, name);
    }
    PyErr_SetRaisedException(exc);
}

PyObject *
PyObject_GetAttr(PyObject *v, PyObject *name)
{
    PyTypeObject *tp = Py_TYPE(v);
    if (!check_attr_name(name)) {
        return NULL;
    }
    PyObject *result = NULL;
    if (tp->tp_getattro != NULL) {
        result = (*tp->tp_getattro)(v, name);
    }
    else if (tp->tp_getattr != NULL) {
        const char *name_str = PyUnicode_AsUTF8(name);
        if (name_str == NULL) {
            return NULL;
        }
        result = (*tp->tp_getattr)(v, (char *)name_str);
    }
    else {
        PyErr_Format(PyExc_AttributeError,
                     "'%.100s' object has no attribute '%U'",
                     tp->tp_name, name);
    }
    if (result == NULL) {
        _PyObject_SetAttributeErrorContext(v, name);
    }
    return result;
}

int
_PyObject_LookupAttr(PyObject *v, PyObject *name, PyObject **result)
{
    PyTypeObject *tp = Py_TYPE(v);
    if (!check_attr_name(name)) {
        *result = NULL;
        return -1;
    }
    if (tp->tp_getattro == PyObject_GenericGetAttr) {
        *result = _PyObject_GenericGetAttrWithDict(v, name, NULL, 1);
        if (*result != NULL) {
            return 1;
        }
        return PyErr_Occurred() ? -1 : 0;
    }
    *result = PyObject_GetAttr(v, name);
    if (*result != NULL) {
        return 1;
    }
    if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
        return -1;
    }
    PyErr_Clear();
    return 0;
}

PyObject *
PyObject_GetAttrString(PyObject *v, const char *name)
{
    if (Py_TYPE(v)->tp_getattr != NULL) {
        return (*Py_TYPE(v)->tp_getattr)(v, (char *)name);
    }
    PyObject *w = PyUnicode_FromString(name);
    if (w == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_GetAttr(v, w);
    Py_DECREF(w);
    return res;
}

int
PyObject_HasAttr(PyObject *v, PyObject *name)
{
    PyObject *res;
    if (_PyObject_LookupAttr(v, name, &res) < 0) {
        PyErr_Clear();
        return 0;
    }
    Py_XDECREF(res);
    return res != NULL;
}

int
PyObject_HasAttrString(PyObject *v, const char *name)
{
    PyObject *w = PyUnicode_FromString(name);
    if (w == NULL) {
        PyErr_Clear();
        return 0;
    }
    int r = PyObject_HasAttr(v, w);
    Py_DECREF(w);
    return r;
}

int
PyObject_SetAttr(PyObject *v, PyObject *name, PyObject *value)
{
    PyTypeObject *tp = Py_TYPE(v);
    if (!check_attr_name(name)) {
        return -1;
    }
    Py_INCREF(name);
    PyUnicode_InternInPlace(&name);
    int err;
    if (tp->tp_setattro != NULL) {
        err = (*tp->tp_setattro)(v, name, value);
        Py_DECREF(name);
        return err;
    }
    if (tp->tp_setattr != NULL) {
        const char *name_str = PyUnicode_AsUTF8(name);
        if (name_str == NULL) {
            Py_DECREF(name);
            return -1;
        }
        err = (*tp->tp_setattr)(v, (char *)name_str, value);
        Py_DECREF(name);
        return err;
    }
    Py_DECREF(name);
    if (tp->tp_getattr == NULL && tp->tp_getattro == NULL) {
        PyErr_Format(PyExc_TypeError,
                     "'%.100s' object has no attributes (%s .%U)",
                     tp->tp_name, value == NULL ? "del" : "assign to", name);
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "'%.100s' object has only read-only attributes "
                     "(%s .%U)", tp->tp_name,
                     value == NULL ? "del" : "assign to", name);
    }
    return -1;
}

int
PyObject_SetAttrString(PyObject *v, const char *name, PyObject *w)
{
    if (Py_TYPE(v)->tp_setattr != NULL) {
        return (*Py_TYPE(v)->tp_setattr)(v, (char *)name, w);
    }
    PyObject *s = PyUnicode_InternFromString(name);
    if (s == NULL) {
        return -1;
    }
    int res = PyObject_SetAttr(v, s, w);
    Py_DECREF(s);
    return res;
}

int
PyObject_DelAttr(PyObject *v, PyObject *name)
{
    return PyObject_SetAttr(v, name, NULL);
}

int
PyObject_DelAttrString(PyObject *v, const char *name)
{
    return PyObject_SetAttrString(v, name, NULL);
}

/* ---- the instance __dict__ ---- */

PyObject **
_PyObject_GetDictPtr(PyObject *obj)
{
    PyTypeObject *tp = Py_TYPE(obj);
    Py_ssize_t dictoffset = tp->tp_dictoffset;
    if (dictoffset == 0) {
        return NULL;
    }
    if (dictoffset < 0) {
        Py_ssize_t tsize = Py_SIZE(obj);
        if (tsize < 0) {
            tsize = -tsize;
        }
        size_t size = _PyObject_VAR_SIZE(tp, tsize);
        dictoffset += (Py_ssize_t)size;
    }
    return (PyObject **)((char *)obj + dictoffset);
}

/* New reference to the instance dict, or NULL (no exception) if none. */
static PyObject *
get_dict_ref(PyObject *obj, PyObject **dictptr)
{
    for (;;) {
        PyObject *dict = _Py_atomic_load_ptr_acquire(dictptr);
        if (dict == NULL) {
            return NULL;
        }
        if (_Py_TryIncref(dict)) {
            if (_Py_atomic_load_ptr_acquire(dictptr) == dict) {
                return dict;
            }
            Py_DECREF(dict);
            continue;
        }
        Py_BEGIN_CRITICAL_SECTION(obj);
        dict = *dictptr;
        Py_XINCREF(dict);
        Py_END_CRITICAL_SECTION();
        return dict;
    }
}

/* The instance dict, created on first use (a CAS publishes it). */
static PyObject *
get_or_create_dict(PyObject *obj, PyObject **dictptr)
{
    for (;;) {
        PyObject *dict = get_dict_ref(obj, dictptr);
        if (dict != NULL) {
            return dict;
        }
        dict = PyDict_New();
        if (dict == NULL) {
            return NULL;
        }
        _PyObject_SetMaybeWeakref(dict);
        PyObject *expected = NULL;
        Py_INCREF(dict);    /* one for the slot, one for the caller */
        if (_Py_atomic_compare_exchange_ptr(dictptr, &expected, dict)) {
            return dict;
        }
        Py_DECREF(dict);
        Py_DECREF(dict);
    }
}

PyObject *
PyObject_GenericGetDict(PyObject *obj, void *context)
{
    PyObject **dictptr = _PyObject_GetDictPtr(obj);
    if (dictptr == NULL) {
        PyErr_SetString(PyExc_AttributeError,
                        "This object has no __dict__");
        return NULL;
    }
    return get_or_create_dict(obj, dictptr);
}

int
PyObject_GenericSetDict(PyObject *obj, PyObject *value, void *context)
{
    PyObject **dictptr = _PyObject_GetDictPtr(obj);
    if (dictptr == NULL) {
        PyErr_SetString(PyExc_AttributeError,
                        "This object has no __dict__");
        return -1;
    }
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "cannot delete __dict__");
        return -1;
    }
    if (!PyDict_Check(value)) {
        PyErr_Format(PyExc_TypeError,
                     "__dict__ must be set to a dictionary, not a '%.200s'",
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    _PyObject_SetMaybeWeakref(value);
    Py_INCREF(value);
    PyObject *old;
    Py_BEGIN_CRITICAL_SECTION(obj);
    old = _Py_atomic_exchange_ptr(dictptr, value);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(old);
    return 0;
}

static void
raise_no_attribute(PyObject *obj, PyObject *name)
{
    PyErr_Format(PyExc_AttributeError,
                 "'%.100s' object has no attribute '%U'",
                 Py_TYPE(obj)->tp_name, name);
    _PyObject_SetAttributeErrorContext(obj, name);
}

/* Data descriptors on the type, then the instance dict (or `dict` if
   given), then non-data descriptors and class attributes.  With
   `suppress`, a missing attribute returns NULL with no exception. */
PyObject *
_PyObject_GenericGetAttrWithDict(PyObject *obj, PyObject *name,
                                 PyObject *dict, int suppress)
{
    PyTypeObject *tp = Py_TYPE(obj);
    if (!check_attr_name(name)) {
        return NULL;
    }
    if (!_PyType_IsReady(tp) && PyType_Ready(tp) < 0) {
        return NULL;
    }
    PyObject *res = NULL;
    descrgetfunc f = NULL;
    PyObject *descr = _PyType_LookupRef(tp, name);
    if (descr != NULL) {
        f = Py_TYPE(descr)->tp_descr_get;
        if (f != NULL && PyDescr_IsData(descr)) {
            res = f(descr, obj, (PyObject *)tp);
            if (res == NULL && suppress &&
                PyErr_ExceptionMatches(PyExc_AttributeError)) {
                PyErr_Clear();
            }
            goto done;
        }
    }
    if (dict == NULL) {
        PyObject **dictptr = _PyObject_GetDictPtr(obj);
        if (dictptr != NULL) {
            dict = get_dict_ref(obj, dictptr);
        }
    }
    else {
        Py_INCREF(dict);
    }
    if (dict != NULL) {
        int r;
        if (PyUnicode_CheckExact(name)) {
            r = _PyDict_GetItemRef_Str(dict, name, &res);
        }
        else {
            r = PyDict_GetItemRef(dict, name, &res);
        }
        Py_DECREF(dict);
        if (r != 0) {
            goto done;      /* found, or an error */
        }
    }
    if (f != NULL) {
        res = f(descr, obj, (PyObject *)tp);
        if (res == NULL && suppress &&
            PyErr_ExceptionMatches(PyExc_AttributeError)) {
            PyErr_Clear();
        }
        goto done;
    }
    if (descr != NULL) {
        res = descr;
        descr = NULL;
        goto done;
    }
    if (!suppress) {
        raise_no_attribute(obj, name);
    }
done:
    Py_XDECREF(descr);
    return res;
}

PyObject *
PyObject_GenericGetAttr(PyObject *obj, PyObject *name)
{
    return _PyObject_GenericGetAttrWithDict(obj, name, NULL, 0);
}

int
_PyObject_GenericSetAttrWithDict(PyObject *obj, PyObject *name,
                                 PyObject *value, PyObject *dict)
{
    PyTypeObject *tp = Py_TYPE(obj);
    if (!check_attr_name(name)) {
        return -1;
    }
    if (!_PyType_IsReady(tp) && PyType_Ready(tp) < 0) {
        return -1;
    }
    int res = -1;
    PyObject *descr = _PyType_LookupRef(tp, name);
    if (descr != NULL) {
        descrsetfunc f = Py_TYPE(descr)->tp_descr_set;
        if (f != NULL) {
            res = f(descr, obj, value);
            goto done;
        }
    }
    if (dict == NULL) {
        PyObject **dictptr = _PyObject_GetDictPtr(obj);
        if (dictptr == NULL) {
            if (descr == NULL) {
                raise_no_attribute(obj, name);
            }
            else {
                PyErr_Format(PyExc_AttributeError,
                             "'%.100s' object attribute '%U' is read-only",
                             tp->tp_name, name);
            }
            goto done;
        }
        dict = value == NULL ? get_dict_ref(obj, dictptr)
                             : get_or_create_dict(obj, dictptr);
        if (dict == NULL) {
            if (!PyErr_Occurred()) {
                raise_no_attribute(obj, name);
            }
            goto done;
        }
    }
    else {
        Py_INCREF(dict);
    }
    if (value == NULL) {
        res = PyDict_DelItem(dict, name);
        if (res < 0 && PyErr_ExceptionMatches(PyExc_KeyError)) {
            PyErr_Clear();
            raise_no_attribute(obj, name);
        }
    }
    else {
        res = PyDict_SetItem(dict, name, value);
    }
    Py_DECREF(dict);
done:
    Py_XDECREF(descr);
    return res;
}

int
PyObject_GenericSetAttr(PyObject *obj, PyObject *name, PyObject *value)
{
    return _PyObject_GenericSetAttrWithDict(obj, name, value, NULL);
}

/* dir(obj): type(obj).__dir__(obj), sorted. */
PyObject *
PyObject_Dir(PyObject *obj)
{
    if (obj == NULL) {
        PyErr_SetString(PyExc_SystemError,
                        "dir() without arguments needs a frame");
        return NULL;
    }
    PyObject *dirfunc = _PyObject_LookupSpecial(obj, _Py_ID(__dir__));
    if (dirfunc == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "object does not provide __dir__");
        }
        return NULL;
    }
    PyObject *result = PyObject_CallNoArgs(dirfunc);
    Py_DECREF(dirfunc);
    if (result == NULL) {
        return NULL;
    }
    PyObject *sorted = PySequence_List(result);
    Py_DECREF(result);
    if (sorted == NULL) {
        return NULL;
    }
    if (PyList_Sort(sorted) < 0) {
        Py_DECREF(sorted);
        return NULL;
    }
    return sorted;
}

/* ---- method lookup for calls ---- */

int
_PyObject_GetMethod(PyObject *obj, PyObject *name, PyObject **method)
{
    PyTypeObject *tp = Py_TYPE(obj);
    *method = NULL;
    if (tp->tp_getattro != PyObject_GenericGetAttr ||
        !PyUnicode_CheckExact(name)) {
        *method = PyObject_GetAttr(obj, name);
        return 0;
    }
    if (!_PyType_IsReady(tp) && PyType_Ready(tp) < 0) {
        return 0;
    }
    PyObject *descr = _PyType_LookupRef(tp, name);
    descrgetfunc f = NULL;
    int meth_found = 0;
    if (descr != NULL) {
        if (PyType_HasFeature(Py_TYPE(descr), Py_TPFLAGS_METHOD_DESCRIPTOR)) {
            meth_found = 1;
        }
        else {
            f = Py_TYPE(descr)->tp_descr_get;
            if (f != NULL && PyDescr_IsData(descr)) {
                *method = f(descr, obj, (PyObject *)tp);
                Py_DECREF(descr);
                return 0;
            }
        }
    }
    PyObject **dictptr = _PyObject_GetDictPtr(obj);
    if (dictptr != NULL) {
        PyObject *dict = get_dict_ref(obj, dictptr);
        if (dict != NULL) {
            PyObject *attr;
            int r = _PyDict_GetItemRef_Str(dict, name, &attr);
            Py_DECREF(dict);
            if (r != 0) {
                Py_XDECREF(descr);
                *method = attr;
                return 0;
            }
        }
    }
    if (meth_found) {
        *method = descr;
        return 1;
    }
    if (f != NULL) {
        *method = f(descr, obj, (PyObject *)tp);
        Py_DECREF(descr);
        return 0;
    }
    if (descr != NULL) {
        *method = descr;
        return 0;
    }
    raise_no_attribute(obj, name);
    return 0;
}

/* ================================================================ misc */

/* Readies the types object.c defines. */
int
_PyObject_InitSingletonTypes(void)
{
    if (PyType_Ready(&_PyNone_Type) < 0 ||
        PyType_Ready(&_PyNotImplemented_Type) < 0) {
        return -1;
    }
    return 0;
}
