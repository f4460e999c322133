/* Allocating objects (Objects/typeobject.c, Objects/object.c).
 *
 * Non-GC objects come from PyObject_Malloc, GC objects from
 * _PyObject_MallocGC (separate pages of the object allocator).  There is no
 * GC linked list in Plait: the collector walks the allocator's pages, and
 * "tracked" is the _PyGC_BITS_TRACKED bit in ob_gc_bits. */
#ifndef Py_OBJIMPL_H
#define Py_OBJIMPL_H

/* Initialises the header of memory from PyObject_Malloc/_PyObject_MallocGC
   for `type` (one reference, owned by the calling thread); increments heap
   types.  Returns `op` (steals nothing). */
PyAPI_FUNC(PyObject *) PyObject_Init(PyObject *op, PyTypeObject *type);
PyAPI_FUNC(PyVarObject *) PyObject_InitVar(PyVarObject *op,
                                           PyTypeObject *type,
                                           Py_ssize_t size);

/* New reference; memory sized tp_basicsize (+ n * tp_itemsize). */
PyAPI_FUNC(PyObject *) _PyObject_New(PyTypeObject *type);
PyAPI_FUNC(PyVarObject *) _PyObject_NewVar(PyTypeObject *type, Py_ssize_t n);

#define PyObject_New(type, typeobj) ((type *)_PyObject_New(typeobj))
#define PyObject_NewVar(type, typeobj, n) \
    ((type *)_PyObject_NewVar((typeobj), (n)))
#define PyObject_INIT(op, typeobj) \
    PyObject_Init(_PyObject_CAST(op), (typeobj))
#define PyObject_INIT_VAR(op, typeobj, size) \
    PyObject_InitVar(_PyVarObject_CAST(op), (typeobj), (size))

/* The size of an instance of a variable-size type with `nitems` items,
   rounded to pointer alignment. */
static inline size_t
_PyObject_VAR_SIZE(PyTypeObject *type, Py_ssize_t nitems)
{
    size_t size = (size_t)type->tp_basicsize +
                  (size_t)nitems * (size_t)type->tp_itemsize;
    return _Py_SIZE_ROUND_UP(size, sizeof(void *));
}
#define _PyObject_SIZE(typeobj) ((size_t)(typeobj)->tp_basicsize)

/* Cyclic GC support. */
PyAPI_FUNC(PyObject *) _PyObject_GC_New(PyTypeObject *type);
PyAPI_FUNC(PyVarObject *) _PyObject_GC_NewVar(PyTypeObject *type,
                                              Py_ssize_t nitems);
/* Reallocates a GC var object (untracked) to `nitems`; may move it. */
PyAPI_FUNC(PyVarObject *) _PyObject_GC_Resize(PyVarObject *op,
                                              Py_ssize_t nitems);
PyAPI_FUNC(void) PyObject_GC_Track(void *op);
PyAPI_FUNC(void) PyObject_GC_UnTrack(void *op);
/* Frees GC object memory (the tp_free of GC types). */
PyAPI_FUNC(void) PyObject_GC_Del(void *op);
PyAPI_FUNC(int) PyObject_GC_IsTracked(PyObject *op);
PyAPI_FUNC(int) PyObject_GC_IsFinalized(PyObject *op);
/* Runs tp_finalize once (PEP 442); 1 if the object was resurrected. */
PyAPI_FUNC(void) PyObject_CallFinalizer(PyObject *op);
PyAPI_FUNC(int) PyObject_CallFinalizerFromDealloc(PyObject *op);

#define PyObject_GC_New(type, typeobj) ((type *)_PyObject_GC_New(typeobj))
#define PyObject_GC_NewVar(type, typeobj, n) \
    ((type *)_PyObject_GC_NewVar((typeobj), (n)))
#define PyObject_GC_Resize(type, op, n) \
    ((type *)_PyObject_GC_Resize(_PyVarObject_CAST(op), (n)))

/* Does the type's instance take part in cyclic GC? */
static inline int
PyType_IS_GC(PyTypeObject *t)
{
    return PyType_HasFeature(t, Py_TPFLAGS_HAVE_GC);
}

PyAPI_FUNC(int) PyObject_IS_GC(PyObject *obj);

/* Visits a member from a tp_traverse implementation. */
#define Py_VISIT(op)                                                    \
    do {                                                                \
        if (op) {                                                       \
            int vret = visit(_PyObject_CAST(op), arg);                  \
            if (vret) {                                                 \
                return vret;                                            \
            }                                                           \
        }                                                               \
    } while (0)

#endif /* !Py_OBJIMPL_H */
