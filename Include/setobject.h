/* set and frozenset (Objects/setobject.c).  CPython 3.11's documented API.
 *
 * Thread safety: every mutation of a set runs in a critical section on
 * it; reads (lookups, iteration, len) also take the critical section this
 * round (correct and simple; lock-free reads as for dict are a later
 * step).  frozensets are immutable once published and read without
 * locks. */
#ifndef Py_SETOBJECT_H
#define Py_SETOBJECT_H

#define PySet_MINSIZE 8

typedef struct {
    PyObject *key;          /* NULL: empty, dummy: deleted */
    Py_hash_t hash;
} setentry;

typedef struct {
    PyObject_HEAD
    Py_ssize_t fill;        /* active + dummy entries */
    Py_ssize_t used;        /* active entries; relaxed atomic reads */
    Py_ssize_t mask;        /* table size - 1 */
    setentry *table;
    Py_hash_t hash;         /* frozenset only, -1 until computed */
    Py_ssize_t finger;      /* pop() search start */
    setentry smalltable[PySet_MINSIZE];
    PyObject *weakreflist;
} PySetObject;

PyAPI_DATA(PyTypeObject) PySet_Type;
PyAPI_DATA(PyTypeObject) PyFrozenSet_Type;
PyAPI_DATA(PyTypeObject) PySetIter_Type;

#define PyFrozenSet_CheckExact(op) Py_IS_TYPE((op), &PyFrozenSet_Type)
#define PyFrozenSet_Check(op) \
    (PyFrozenSet_CheckExact(op) || \
     PyType_IsSubtype(Py_TYPE(op), &PyFrozenSet_Type))
#define PySet_CheckExact(op) Py_IS_TYPE((op), &PySet_Type)
#define PySet_Check(op) \
    (PySet_CheckExact(op) || PyType_IsSubtype(Py_TYPE(op), &PySet_Type))
#define PyAnySet_CheckExact(op) \
    (PySet_CheckExact(op) || PyFrozenSet_CheckExact(op))
#define PyAnySet_Check(op) (PySet_Check(op) || PyFrozenSet_Check(op))

/* New references. */
PyAPI_FUNC(PyObject *) PySet_New(PyObject *iterable);
PyAPI_FUNC(PyObject *) PyFrozenSet_New(PyObject *iterable);
PyAPI_FUNC(Py_ssize_t) PySet_Size(PyObject *anyset);
PyAPI_FUNC(int) PySet_Contains(PyObject *anyset, PyObject *key);
/* Does not steal `key`. */
PyAPI_FUNC(int) PySet_Add(PyObject *set, PyObject *key);
PyAPI_FUNC(int) PySet_Discard(PyObject *set, PyObject *key);
PyAPI_FUNC(PyObject *) PySet_Pop(PyObject *set);
PyAPI_FUNC(int) PySet_Clear(PyObject *set);
/* set |= iterable. */
PyAPI_FUNC(int) _PySet_Update(PyObject *set, PyObject *iterable);
/* Iterates without locking (only on sets no other thread mutates);
   *key borrowed. */
PyAPI_FUNC(int) _PySet_NextEntry(PyObject *set, Py_ssize_t *pos,
                                 PyObject **key, Py_hash_t *hash);

static inline Py_ssize_t
PySet_GET_SIZE(PyObject *so)
{
    return _Py_atomic_load_ssize_relaxed(&((PySetObject *)so)->used);
}
#define PySet_GET_SIZE(so) PySet_GET_SIZE(_PyObject_CAST(so))

#endif /* !Py_SETOBJECT_H */
