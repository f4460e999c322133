/* Runtime-internal weak reference helpers (Objects/weakrefobject.c).
 *
 * The GC hooks (_PyWeakref_ClearForGC, _PyWeakref_CallCallbackForGC) are
 * declared in pycore_gc.h, next to the collector that calls them. */
#ifndef Py_INTERNAL_WEAKREF_H
#define Py_INTERNAL_WEAKREF_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* Whether instances of `type` can be weakly referenced. */
static inline int
_PyType_SupportsWeakRefs(PyTypeObject *type)
{
    return type->tp_weaklistoffset > 0;
}

/* The first weak reference to `ob` (what `ob.__weakref__` shows): a new
   reference, or a new reference to None when there is none.  Safe against
   that reference dying on another thread. */
PyAPI_FUNC(PyObject *) _PyWeakref_GetFirst(PyObject *ob);

/* The referent of weak reference or proxy `ref` as a new reference, or
   NULL (no exception) when it is dead.  Never resurrects an object whose
   count already reached zero. */
PyAPI_FUNC(PyObject *) _PyWeakref_GetReferent(PyObject *ref);

/* List of the live weak references to `ob`, in list order (new
   reference); an empty list for types without weak reference support. */
PyAPI_FUNC(PyObject *) _PyWeakref_GetWeakrefs(PyObject *ob);

/* Readies the three weakref types; idempotent and thread-safe. */
PyAPI_FUNC(int) _PyWeakref_InitTypes(void);

#endif /* !Py_INTERNAL_WEAKREF_H */
