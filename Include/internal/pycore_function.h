/* Runtime-internal function helpers (Objects/funcobject.c). */
#ifndef Py_INTERNAL_FUNCTION_H
#define Py_INTERNAL_FUNCTION_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "funcobject.h"
#include "cellobject.h"
#include "pycore_object.h"

/* New function for CODE (borrowed) with GLOBALS and BUILTINS (borrowed)
   and the given name/qualname (borrowed; NULL: the code's).  Functions
   whose code is not nested (module or class level) get a deferred
   reference count. */
PyAPI_FUNC(PyFunctionObject *) _PyFunction_New(PyObject *code,
                                               PyObject *globals,
                                               PyObject *builtins,
                                               PyObject *qualname);

/* Reads a field a setter may replace concurrently (defaults, kwdefaults,
   annotations, ...): new reference or NULL when empty. */
static inline PyObject *
_PyFunction_LoadField(PyObject **field)
{
    for (;;) {
        PyObject *v = (PyObject *)_Py_atomic_load_ptr_acquire(field);
        if (v == NULL) {
            return NULL;
        }
        if (_Py_TryIncref(v)) {
            if (_Py_atomic_load_ptr_acquire(field) == v) {
                return v;
            }
            Py_DECREF(v);
        }
        /* Every value stored in such a field is marked shared first, so a
           failed conditional increment means the value is being freed
           after a concurrent store replaced it: read the field again. */
    }
}

/* Stores VALUE (new reference stolen, may be NULL) into FIELD of FUNC,
   in a critical section, and releases the old value. */
PyAPI_FUNC(void) _PyFunction_StoreField(PyFunctionObject *func,
                                        PyObject **field, PyObject *value);

/* The content of a cell (new reference or NULL when empty), safe against
   concurrent writers. */
static inline PyObject *
_PyCell_GetRef(PyCellObject *cell)
{
    return _PyFunction_LoadField(&cell->ob_ref);
}

/* Sets a cell's content, stealing VALUE (may be NULL). */
PyAPI_FUNC(void) _PyCell_SetTakeRef(PyCellObject *cell, PyObject *value);

/* MAKE_FUNCTION's annotations: the (name, value, ...) tuple the compiler
   builds, as a new dict. */
PyAPI_FUNC(PyObject *) _PyFunction_AnnotationsFromTuple(PyObject *tuple);

PyAPI_FUNC(int) _PyFunction_InitTypes(void);

#endif /* !Py_INTERNAL_FUNCTION_H */
