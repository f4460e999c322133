/* Weak references: weakref.ref, weakref.proxy and the C API over them.
 *
 * Objects/weakrefobject.c holds the implementation and the description of
 * how the shared state (a referent's list of weak references, each
 * reference's wr_object) is protected without a GIL. */
#ifndef Py_WEAKREFOBJECT_H
#define Py_WEAKREFOBJECT_H

typedef struct _PyWeakReference PyWeakReference;

/* The layout is visible so that subclasses written in C can extend it.
   Do not read wr_object directly: another thread may clear it at any
   moment.  Use PyWeakref_GetRef(). */
struct _PyWeakReference {
    PyObject_HEAD
    /* The referent (not counted), or Py_None once it died or was cleared.
       Written under the referent's weakref lock; read with atomics. */
    PyObject *wr_object;
    /* The callback (owned), or NULL; taken once, when it is due. */
    PyObject *wr_callback;
    /* hash(referent), cached; -1 until computed. */
    Py_hash_t hash;
    /* Neighbours in the referent's list (tp_weaklistoffset slot). */
    PyWeakReference *wr_prev;
    PyWeakReference *wr_next;
    vectorcallfunc vectorcall;
};

PyAPI_DATA(PyTypeObject) _PyWeakref_RefType;
PyAPI_DATA(PyTypeObject) _PyWeakref_ProxyType;
PyAPI_DATA(PyTypeObject) _PyWeakref_CallableProxyType;

#define PyWeakref_CheckRef(op) PyObject_TypeCheck((op), &_PyWeakref_RefType)
#define PyWeakref_CheckRefExact(op) Py_IS_TYPE((op), &_PyWeakref_RefType)
#define PyWeakref_CheckProxy(op) \
    (Py_IS_TYPE((op), &_PyWeakref_ProxyType) || \
     Py_IS_TYPE((op), &_PyWeakref_CallableProxyType))
#define PyWeakref_Check(op) \
    (PyWeakref_CheckRef(op) || PyWeakref_CheckProxy(op))

/* A weak reference to `ob` (new reference).  `callback` (borrowed; NULL or
   None for none) is called with the reference when `ob` dies.  TypeError
   if the type of `ob` does not support weak references. */
PyAPI_FUNC(PyObject *) PyWeakref_NewRef(PyObject *ob, PyObject *callback);
/* The same for a proxy (weakref.ProxyType, or CallableProxyType when `ob`
   is callable).  New reference. */
PyAPI_FUNC(PyObject *) PyWeakref_NewProxy(PyObject *ob, PyObject *callback);
/* The referent of `ref`, BORROWED, or Py_None when it is dead.  Unsafe
   without a GIL: another thread may drop the referent at once.  Kept for
   compatibility; use PyWeakref_GetRef(). */
PyAPI_FUNC(PyObject *) PyWeakref_GetObject(PyObject *ref);
/* Python 3.13 API: *pobj = the referent (new reference) and returns 1; or
   *pobj = NULL and returns 0 when it is dead; or -1 with TypeError when
   `ref` is not a weak reference. */
PyAPI_FUNC(int) PyWeakref_GetRef(PyObject *ref, PyObject **pobj);
/* Called by the tp_dealloc of every weakly referenceable type, before it
   tears the object down: clears the weak references to `ob` and calls
   their callbacks (most recent first).  Keeps a pending exception. */
PyAPI_FUNC(void) PyObject_ClearWeakRefs(PyObject *ob);
/* Number of weak references (refs and proxies) to `ob`. */
PyAPI_FUNC(Py_ssize_t) _PyWeakref_GetWeakrefCount(PyObject *ob);

/* Borrowed, unchecked form of PyWeakref_GetObject (same caveat). */
static inline PyObject *
PyWeakref_GET_OBJECT(PyObject *ref)
{
    return (PyObject *)_Py_atomic_load_ptr_acquire(
        &((PyWeakReference *)ref)->wr_object);
}
#define PyWeakref_GET_OBJECT(ref) PyWeakref_GET_OBJECT(_PyObject_CAST(ref))

#endif /* !Py_WEAKREFOBJECT_H */
