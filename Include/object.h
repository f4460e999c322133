/* The object header and biased reference counting.
 *
 * Every object starts with PyObject (ARCHITECTURE.md section 3).  The thread
 * that created an object owns it and counts its references in ob_ref_local
 * with plain (relaxed, non-RMW) loads and stores; every other thread counts in
 * ob_ref_shared with atomic adds.  The low two bits of ob_ref_shared hold the
 * shared state, which only ever moves up:
 *
 *   0  _Py_REF_SHARED_INIT    only the owner knows the object: when the local
 *                             count drops to 0 and the shared field is 0 the
 *                             owner frees it with no atomic operation
 *   1  _Py_REF_MAYBE_WEAKREF  lock-free readers may find it (it sits in a
 *                             shared container, has weakrefs, ...)
 *   2  _Py_REF_QUEUED         the shared count went negative and the object
 *                             is queued for its owner to merge
 *   3  _Py_REF_MERGED         local and shared counts are merged into the
 *                             shared field; ob_tid is 0
 *
 * ob_ref_local == UINT32_MAX marks an immortal object.
 */
#ifndef Py_OBJECT_H
#define Py_OBJECT_H

#include "pyport.h"
#include "pyatomic.h"
#include "lock.h"

typedef struct _object PyObject;
typedef struct _typeobject PyTypeObject;

struct _object {
    uintptr_t ob_tid;           /* owning thread, 0 when merged/immortal */
    uint16_t ob_flags;
    PyMutex ob_mutex;           /* per-object lock, critical sections */
    uint8_t ob_gc_bits;         /* _PyGC_BITS_* */
    uint32_t ob_ref_local;      /* owner's count; written only by the owner */
    Py_ssize_t ob_ref_shared;   /* others' count << 2 | state, atomic */
    PyTypeObject *ob_type;
};

typedef struct {
    PyObject ob_base;
    Py_ssize_t ob_size;
} PyVarObject;

#define PyObject_HEAD PyObject ob_base;
#define PyObject_VAR_HEAD PyVarObject ob_base;

#define _Py_IMMORTAL_REFCNT_LOCAL UINT32_MAX
/* What Py_REFCNT() reports for an immortal object. */
#define _Py_IMMORTAL_REFCNT ((Py_ssize_t)UINT32_MAX)

#define _Py_REF_SHARED_SHIFT 2
#define _Py_REF_SHARED_FLAG_MASK 0x3
#define _Py_REF_SHARED_INIT 0x0
#define _Py_REF_MAYBE_WEAKREF 0x1
#define _Py_REF_QUEUED 0x2
#define _Py_REF_MERGED 0x3
#define _Py_REF_SHARED(refcnt, flags) \
    ((Py_ssize_t)(((Py_ssize_t)(refcnt) << _Py_REF_SHARED_SHIFT) + (flags)))

/* ob_gc_bits */
#define _PyGC_BITS_TRACKED      (1 << 0)
#define _PyGC_BITS_FINALIZED    (1 << 1)
#define _PyGC_BITS_UNREACHABLE  (1 << 2)
#define _PyGC_BITS_FROZEN       (1 << 3)
#define _PyGC_BITS_SHARED       (1 << 4)
#define _PyGC_BITS_ALIVE        (1 << 5)
/* References from the eval loop's stack are not counted (see
   Include/internal/pycore_object.h, _PyObject_SetDeferredRefcount). */
#define _PyGC_BITS_DEFERRED     (1 << 6)

/* Static (statically allocated, immortal) objects. */
#define PyObject_HEAD_INIT(type)                \
    {                                           \
        .ob_tid = 0,                            \
        .ob_flags = 0,                          \
        .ob_mutex = { 0 },                      \
        .ob_gc_bits = 0,                        \
        .ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL, \
        .ob_ref_shared = 0,                     \
        .ob_type = (type)                       \
    },

#define PyVarObject_HEAD_INIT(type, size) \
    {                                     \
        PyObject_HEAD_INIT(type)          \
        (size)                            \
    },

#define _PyObject_CAST(op) ((PyObject *)(op))
#define _PyVarObject_CAST(op) ((PyVarObject *)(op))

/* The owner id: the thread's TLS base, one instruction on x86-64/aarch64. */
static inline uintptr_t
_Py_ThreadId(void)
{
    uintptr_t tid;
#if defined(__x86_64__)
    __asm__("movq %%fs:0, %0" : "=r"(tid));
#elif defined(__aarch64__)
    __asm__("mrs %0, tpidr_el0" : "=r"(tid));
#else
#   error "Plait needs _Py_ThreadId() for this platform"
#endif
    return tid;
}

static inline int
_Py_IsOwnedByCurrentThread(PyObject *op)
{
    /* Relaxed: a thread only ever sees its own id here if it wrote it, and
       other threads' writes (clearing to 0 at merge) never make a foreign
       object look owned. */
    return _Py_atomic_load_uintptr_relaxed(&op->ob_tid) == _Py_ThreadId();
}

static inline PyTypeObject *
Py_TYPE(PyObject *op)
{
    return op->ob_type;
}
#define Py_TYPE(op) Py_TYPE(_PyObject_CAST(op))

static inline Py_ssize_t
Py_SIZE(PyObject *op)
{
    return _PyVarObject_CAST(op)->ob_size;
}
#define Py_SIZE(op) Py_SIZE(_PyObject_CAST(op))

static inline void
Py_SET_TYPE(PyObject *op, PyTypeObject *type)
{
    op->ob_type = type;
}
#define Py_SET_TYPE(op, type) Py_SET_TYPE(_PyObject_CAST(op), (type))

static inline void
Py_SET_SIZE(PyVarObject *op, Py_ssize_t size)
{
    op->ob_size = size;
}
#define Py_SET_SIZE(op, size) Py_SET_SIZE(_PyVarObject_CAST(op), (size))

static inline int
Py_IS_TYPE(PyObject *op, PyTypeObject *type)
{
    return Py_TYPE(op) == type;
}
#define Py_IS_TYPE(op, type) Py_IS_TYPE(_PyObject_CAST(op), (type))

#define Py_Is(x, y) ((x) == (y))

static inline int
_Py_IsImmortal(PyObject *op)
{
    /* Relaxed: immortality is set before an object is published. */
    return _Py_atomic_load_uint32_relaxed(&op->ob_ref_local) ==
           _Py_IMMORTAL_REFCNT_LOCAL;
}
#define _Py_IsImmortal(op) _Py_IsImmortal(_PyObject_CAST(op))

static inline Py_ssize_t
Py_REFCNT(PyObject *op)
{
    uint32_t local = _Py_atomic_load_uint32_relaxed(&op->ob_ref_local);
    if (local == _Py_IMMORTAL_REFCNT_LOCAL) {
        return _Py_IMMORTAL_REFCNT;
    }
    Py_ssize_t shared = _Py_atomic_load_ssize_relaxed(&op->ob_ref_shared);
    return (Py_ssize_t)local + (shared >> _Py_REF_SHARED_SHIFT);
}
#define Py_REFCNT(op) Py_REFCNT(_PyObject_CAST(op))

PyAPI_FUNC(void) Py_SET_REFCNT(PyObject *op, Py_ssize_t refcnt);
#define Py_SET_REFCNT(op, n) Py_SET_REFCNT(_PyObject_CAST(op), (n))

PyAPI_FUNC(void) _Py_Dealloc(PyObject *op);
PyAPI_FUNC(void) _Py_MergeZeroLocalRefcount(PyObject *op);
PyAPI_FUNC(void) _Py_DecRefShared(PyObject *op);
PyAPI_FUNC(void) _Py_NegativeRefcount(const char *filename, int lineno,
                                      PyObject *op);

static inline Py_ALWAYS_INLINE void
Py_INCREF(PyObject *op)
{
    uint32_t local = _Py_atomic_load_uint32_relaxed(&op->ob_ref_local);
    uint32_t new_local = local + 1;
    if (new_local == 0) {
        return;             /* immortal */
    }
    if (_Py_IsOwnedByCurrentThread(op)) {
        _Py_atomic_store_uint32_relaxed(&op->ob_ref_local, new_local);
    }
    else {
        _Py_atomic_add_ssize_relaxed(&op->ob_ref_shared,
                                     (Py_ssize_t)1 << _Py_REF_SHARED_SHIFT);
    }
}
#define Py_INCREF(op) Py_INCREF(_PyObject_CAST(op))

static inline Py_ALWAYS_INLINE void
Py_DECREF(PyObject *op)
{
    uint32_t local = _Py_atomic_load_uint32_relaxed(&op->ob_ref_local);
    if (local == _Py_IMMORTAL_REFCNT_LOCAL) {
        return;
    }
    if (_Py_IsOwnedByCurrentThread(op)) {
#ifdef Py_DEBUG
        if (local == 0) {
            _Py_NegativeRefcount(__FILE__, __LINE__, op);
        }
#endif
        local--;
        _Py_atomic_store_uint32_relaxed(&op->ob_ref_local, local);
        if (local == 0) {
            _Py_MergeZeroLocalRefcount(op);
        }
    }
    else {
        _Py_DecRefShared(op);
    }
}
#define Py_DECREF(op) Py_DECREF(_PyObject_CAST(op))

static inline void
Py_XINCREF(PyObject *op)
{
    if (op != NULL) {
        Py_INCREF(op);
    }
}
#define Py_XINCREF(op) Py_XINCREF(_PyObject_CAST(op))

static inline void
Py_XDECREF(PyObject *op)
{
    if (op != NULL) {
        Py_DECREF(op);
    }
}
#define Py_XDECREF(op) Py_XDECREF(_PyObject_CAST(op))

static inline PyObject *
_Py_NewRef(PyObject *op)
{
    Py_INCREF(op);
    return op;
}
static inline PyObject *
_Py_XNewRef(PyObject *op)
{
    Py_XINCREF(op);
    return op;
}
#define Py_NewRef(op) _Py_NewRef(_PyObject_CAST(op))
#define Py_XNewRef(op) _Py_XNewRef(_PyObject_CAST(op))

#define Py_CLEAR(op)                              \
    do {                                          \
        PyObject **_py_tmp_ptr = (PyObject **)&(op); \
        PyObject *_py_tmp = *_py_tmp_ptr;         \
        if (_py_tmp != NULL) {                    \
            *_py_tmp_ptr = NULL;                  \
            Py_DECREF(_py_tmp);                   \
        }                                         \
    } while (0)

#define Py_SETREF(dst, src)                       \
    do {                                          \
        PyObject **_py_tmp_ptr = (PyObject **)&(dst); \
        PyObject *_py_tmp = *_py_tmp_ptr;         \
        *_py_tmp_ptr = _PyObject_CAST(src);       \
        Py_DECREF(_py_tmp);                       \
    } while (0)

#define Py_XSETREF(dst, src)                      \
    do {                                          \
        PyObject **_py_tmp_ptr = (PyObject **)&(dst); \
        PyObject *_py_tmp = *_py_tmp_ptr;         \
        *_py_tmp_ptr = _PyObject_CAST(src);       \
        Py_XDECREF(_py_tmp);                      \
    } while (0)

#include "typestruct.h"

/* ------------------------------------------------------------------------
 * The object protocol (Objects/object.c, Objects/typeobject.c).
 * CPython 3.11's documented names and signatures.  Unless a comment says
 * otherwise, functions returning PyObject * return a new reference, or NULL
 * with an exception set; functions returning int return -1 on error.
 * ------------------------------------------------------------------------ */

PyAPI_DATA(PyTypeObject) PyType_Type;          /* 'type' */
PyAPI_DATA(PyTypeObject) PyBaseObject_Type;    /* 'object' */
PyAPI_DATA(PyTypeObject) PySuper_Type;         /* 'super' */

static inline int
PyType_Check(PyObject *op)
{
    return PyType_HasFeature(Py_TYPE(op), Py_TPFLAGS_TYPE_SUBCLASS);
}
#define PyType_Check(op) PyType_Check(_PyObject_CAST(op))

static inline int
PyType_CheckExact(PyObject *op)
{
    return Py_IS_TYPE(op, &PyType_Type);
}
#define PyType_CheckExact(op) PyType_CheckExact(_PyObject_CAST(op))

#define PyType_FastSubclass(type, flag) PyType_HasFeature((type), (flag))

/* 1 if `a` is `b` or a subclass of it (walks a's MRO). */
PyAPI_FUNC(int) PyType_IsSubtype(PyTypeObject *a, PyTypeObject *b);

static inline int
PyObject_TypeCheck(PyObject *ob, PyTypeObject *type)
{
    return Py_IS_TYPE(ob, type) || PyType_IsSubtype(Py_TYPE(ob), type);
}
#define PyObject_TypeCheck(ob, type) \
    PyObject_TypeCheck(_PyObject_CAST(ob), (type))

/* Finishes a static type (inherits slots, builds the MRO and tp_dict). */
PyAPI_FUNC(int) PyType_Ready(PyTypeObject *type);
PyAPI_FUNC(PyObject *) PyType_GenericAlloc(PyTypeObject *type,
                                           Py_ssize_t nitems);
PyAPI_FUNC(PyObject *) PyType_GenericNew(PyTypeObject *type, PyObject *args,
                                         PyObject *kwds);
PyAPI_FUNC(unsigned long) PyType_GetFlags(PyTypeObject *type);
PyAPI_FUNC(void) PyType_Modified(PyTypeObject *type);
PyAPI_FUNC(unsigned int) PyType_ClearCache(void);
PyAPI_FUNC(void *) PyType_GetSlot(PyTypeObject *type, int slot);
PyAPI_FUNC(PyObject *) PyType_GetModule(PyTypeObject *type);   /* borrowed */
PyAPI_FUNC(void *) PyType_GetModuleState(PyTypeObject *type);
PyAPI_FUNC(PyObject *) PyType_GetName(PyTypeObject *type);
PyAPI_FUNC(PyObject *) PyType_GetQualName(PyTypeObject *type);
/* Borrowed: the type's dict (tp_dict). */
PyAPI_FUNC(PyObject *) _PyType_GetDict(PyTypeObject *type);
/* Borrowed (no exception set when missing): looks `name` up along the MRO
   through the method cache. */
PyAPI_FUNC(PyObject *) _PyType_Lookup(PyTypeObject *type, PyObject *name);
/* New reference or NULL (no exception set when missing). */
PyAPI_FUNC(PyObject *) _PyType_LookupRef(PyTypeObject *type, PyObject *name);
PyAPI_FUNC(const char *) _PyType_Name(PyTypeObject *type);

/* The memory of a heap type (class statement, type(), PyType_FromSpec):
   the slot tables live inside it, and tp_as_* point at them. */
typedef struct _heaptypeobject {
    PyTypeObject ht_type;
    PyAsyncMethods as_async;
    PyNumberMethods as_number;
    PyMappingMethods as_mapping;
    PySequenceMethods as_sequence;
    PyBufferProcs as_buffer;
    PyObject *ht_name;          /* __name__ (str) */
    PyObject *ht_slots;         /* __slots__ names (tuple) or NULL */
    PyObject *ht_qualname;      /* __qualname__ (str) */
    void *ht_cached_keys;       /* reserved */
    PyObject *ht_module;        /* PyType_FromModuleAndSpec, or NULL */
    char *_ht_tpname;           /* tp_name storage (PyType_FromSpec) */
    struct PyMemberDef *ht_members;     /* __slots__ member table */
} PyHeapTypeObject;

/* Heap types from a specification (PEP 384). */
typedef struct {
    int slot;       /* slot id, Include/typeslots.h */
    void *pfunc;
} PyType_Slot;

typedef struct {
    const char *name;
    int basicsize;
    int itemsize;
    unsigned int flags;
    PyType_Slot *slots;     /* terminated by a {0, NULL} entry */
} PyType_Spec;

PyAPI_FUNC(PyObject *) PyType_FromSpec(PyType_Spec *spec);
PyAPI_FUNC(PyObject *) PyType_FromSpecWithBases(PyType_Spec *spec,
                                                PyObject *bases);
PyAPI_FUNC(PyObject *) PyType_FromModuleAndSpec(PyObject *module,
                                                PyType_Spec *spec,
                                                PyObject *bases);
PyAPI_FUNC(PyObject *) PyType_FromMetaclass(PyTypeObject *metaclass,
                                            PyObject *module,
                                            PyType_Spec *spec,
                                            PyObject *bases);

#include "typeslots.h"

/* Attributes. */
PyAPI_FUNC(PyObject *) PyObject_GetAttr(PyObject *o, PyObject *name);
PyAPI_FUNC(PyObject *) PyObject_GetAttrString(PyObject *o, const char *name);
PyAPI_FUNC(int) PyObject_SetAttr(PyObject *o, PyObject *name, PyObject *v);
PyAPI_FUNC(int) PyObject_SetAttrString(PyObject *o, const char *name,
                                       PyObject *v);
PyAPI_FUNC(int) PyObject_DelAttr(PyObject *o, PyObject *name);
PyAPI_FUNC(int) PyObject_DelAttrString(PyObject *o, const char *name);
PyAPI_FUNC(int) PyObject_HasAttr(PyObject *o, PyObject *name);
PyAPI_FUNC(int) PyObject_HasAttrString(PyObject *o, const char *name);
/* 1 and *result = new ref if found, 0 and *result = NULL if the attribute
   is missing (AttributeError swallowed), -1 on other errors. */
PyAPI_FUNC(int) _PyObject_LookupAttr(PyObject *o, PyObject *name,
                                     PyObject **result);
PyAPI_FUNC(PyObject *) PyObject_GenericGetAttr(PyObject *o, PyObject *name);
PyAPI_FUNC(int) PyObject_GenericSetAttr(PyObject *o, PyObject *name,
                                        PyObject *value);
PyAPI_FUNC(PyObject *) PyObject_GenericGetDict(PyObject *o, void *context);
PyAPI_FUNC(int) PyObject_GenericSetDict(PyObject *o, PyObject *value,
                                        void *context);
/* Borrowed pointer to the instance-dict slot of `o`, or NULL. */
PyAPI_FUNC(PyObject **) _PyObject_GetDictPtr(PyObject *o);
PyAPI_FUNC(PyObject *) PyObject_Dir(PyObject *o);

/* Conversions, hashing, truth, comparison. */
PyAPI_FUNC(PyObject *) PyObject_Repr(PyObject *o);
PyAPI_FUNC(PyObject *) PyObject_Str(PyObject *o);
PyAPI_FUNC(PyObject *) PyObject_ASCII(PyObject *o);
PyAPI_FUNC(PyObject *) PyObject_Bytes(PyObject *o);
PyAPI_FUNC(int) PyObject_Print(PyObject *o, FILE *fp, int flags);
#define Py_PRINT_RAW 1

PyAPI_FUNC(Py_hash_t) PyObject_Hash(PyObject *o);
/* tp_hash of unhashable types: raises TypeError, returns -1. */
PyAPI_FUNC(Py_hash_t) PyObject_HashNotImplemented(PyObject *o);
/* The hash of an address (object identity hash). */
PyAPI_FUNC(Py_hash_t) _Py_HashPointer(const void *p);
PyAPI_FUNC(int) PyObject_IsTrue(PyObject *o);
PyAPI_FUNC(int) PyObject_Not(PyObject *o);
PyAPI_FUNC(int) PyCallable_Check(PyObject *o);
/* tp_iter of iterators: returns a new reference to `obj`. */
PyAPI_FUNC(PyObject *) PyObject_SelfIter(PyObject *obj);
/* tp_iternext of heap types without __next__: raises TypeError. */
PyAPI_FUNC(PyObject *) _PyObject_NextNotImplemented(PyObject *obj);

#define Py_LT 0
#define Py_LE 1
#define Py_EQ 2
#define Py_NE 3
#define Py_GT 4
#define Py_GE 5

PyAPI_FUNC(PyObject *) PyObject_RichCompare(PyObject *a, PyObject *b, int op);
PyAPI_FUNC(int) PyObject_RichCompareBool(PyObject *a, PyObject *b, int op);

/* Compares two C values with `op` and returns Py_True/Py_False (new ref). */
#define Py_RETURN_RICHCOMPARE(val1, val2, op)                               \
    do {                                                                    \
        switch (op) {                                                       \
        case Py_EQ: if ((val1) == (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE;  \
        case Py_NE: if ((val1) != (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE;  \
        case Py_LT: if ((val1) < (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE;   \
        case Py_GT: if ((val1) > (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE;   \
        case Py_LE: if ((val1) <= (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE;  \
        case Py_GE: if ((val1) >= (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE;  \
        default: Py_UNREACHABLE();                                          \
        }                                                                   \
    } while (0)

#define Py_UNREACHABLE() __builtin_unreachable()

/* Singletons: immortal, never deallocated. */
PyAPI_DATA(PyObject) _Py_NoneStruct;
PyAPI_DATA(PyObject) _Py_NotImplementedStruct;
PyAPI_DATA(PyTypeObject) _PyNone_Type;
PyAPI_DATA(PyTypeObject) _PyNotImplemented_Type;
#define Py_None (&_Py_NoneStruct)
#define Py_NotImplemented (&_Py_NotImplementedStruct)
#define Py_IsNone(x) Py_Is((x), Py_None)
#define Py_RETURN_NONE return Py_None
#define Py_RETURN_NOTIMPLEMENTED return Py_NotImplemented

/* Recursion guard for C code that may recurse through Python objects
   (repr, call, compare, ...): raises RecursionError past the limit. */
PyAPI_FUNC(int) Py_EnterRecursiveCall(const char *where);
PyAPI_FUNC(void) Py_LeaveRecursiveCall(void);
/* Guards reprs of containers that may contain themselves: 0 first time,
   1 if `o` is already being repr'd on this thread, -1 on error. */
PyAPI_FUNC(int) Py_ReprEnter(PyObject *o);
PyAPI_FUNC(void) Py_ReprLeave(PyObject *o);

/* The trashcan of CPython is not needed: deallocation recursion is
   bounded by the collector; these keep extension source compiling. */
#define Py_TRASHCAN_BEGIN(op, dealloc) {
#define Py_TRASHCAN_END }

#endif /* !Py_OBJECT_H */
