/* References held in frame slots (fast locals and the value stack).
 *
 * A slot holds a tagged pointer.  Bit 0 clear: an ordinary counted (owned)
 * reference.  Bit 0 set: an UNCOUNTED reference to an object with a
 * deferred reference count (_PyGC_BITS_DEFERRED: functions defined at
 * module or class level, code objects, modules, heap types) or to an
 * immortal object.  Such an object is never freed by reference counting
 * (see Include/internal/pycore_object.h), so the slot keeps it alive as
 * long as the garbage collector counts the slot: during a collection the
 * GC must visit every slot of every live frame (thread data stacks,
 * generator frames, frame objects, see _PyFrame_Traverse) and count a
 * tagged slot as one reference to the untagged object.
 *
 * Uncounted references never leave frame slots: anything that stores a
 * slot's value elsewhere (a container, a return value, a C call that keeps
 * it) converts it with _PyStackRef_AsPyObjectSteal or _New first.  This is
 * what lets every thread call the same global function without touching
 * its reference count (ARCHITECTURE section 3). */
#ifndef Py_INTERNAL_STACKREF_H
#define Py_INTERNAL_STACKREF_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_object.h"
#include "pycore_ceval_state.h"     /* _PyStackRef */

#define _Py_STACKREF_TAG ((uintptr_t)1)

#define _PyStackRef_NULL ((_PyStackRef){ .bits = 0 })

static inline int
_PyStackRef_IsNull(_PyStackRef ref)
{
    return ref.bits == 0;
}

static inline int
_PyStackRef_IsDeferred(_PyStackRef ref)
{
    return (ref.bits & _Py_STACKREF_TAG) != 0;
}

/* Borrowed view of the object (NULL for a null slot). */
static inline PyObject *
_PyStackRef_AsPyObjectBorrow(_PyStackRef ref)
{
    return (PyObject *)(ref.bits & ~_Py_STACKREF_TAG);
}

/* Consumes REF, returns a counted (new) reference. */
static inline PyObject *
_PyStackRef_AsPyObjectSteal(_PyStackRef ref)
{
    PyObject *op = _PyStackRef_AsPyObjectBorrow(ref);
    if (_PyStackRef_IsDeferred(ref)) {
        Py_INCREF(op);
    }
    return op;
}

/* Wraps a counted reference (stolen). */
static inline _PyStackRef
_PyStackRef_FromPyObjectSteal(PyObject *op)
{
    return (_PyStackRef){ .bits = (uintptr_t)op };
}

/* A new reference to OP: uncounted when OP is deferred or immortal. */
static inline _PyStackRef
_PyStackRef_FromPyObjectNew(PyObject *op)
{
    if (_PyObject_HasDeferredRefcount(op) || _Py_IsImmortal(op)) {
        return (_PyStackRef){ .bits = (uintptr_t)op | _Py_STACKREF_TAG };
    }
    Py_INCREF(op);
    return (_PyStackRef){ .bits = (uintptr_t)op };
}

/* Like _FromPyObjectNew, but consumes a counted reference the caller
   holds (dropping it when the result is uncounted). */
static inline _PyStackRef
_PyStackRef_FromPyObjectStealMaybeDefer(PyObject *op)
{
    if (_PyObject_HasDeferredRefcount(op)) {
        Py_DECREF(op);      /* the deferred count keeps it alive */
        return (_PyStackRef){ .bits = (uintptr_t)op | _Py_STACKREF_TAG };
    }
    return (_PyStackRef){ .bits = (uintptr_t)op };
}

/* Another reference to the same object. */
static inline _PyStackRef
_PyStackRef_Dup(_PyStackRef ref)
{
    if (!_PyStackRef_IsDeferred(ref)) {
        Py_INCREF(_PyStackRef_AsPyObjectBorrow(ref));
    }
    return ref;
}

static inline void
_PyStackRef_Close(_PyStackRef ref)
{
    if (!_PyStackRef_IsDeferred(ref)) {
        Py_DECREF((PyObject *)ref.bits);
    }
}

static inline void
_PyStackRef_XClose(_PyStackRef ref)
{
    if (ref.bits != 0) {
        _PyStackRef_Close(ref);
    }
}

#endif /* !Py_INTERNAL_STACKREF_H */
