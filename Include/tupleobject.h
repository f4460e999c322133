/* Tuples (Objects/tupleobject.c).  CPython 3.11's documented API.
 * Immutable once published: PyTuple_SetItem / _PyTuple_Resize are only for
 * a tuple its creator has not shared yet, so reads need no lock. */
#ifndef Py_TUPLEOBJECT_H
#define Py_TUPLEOBJECT_H

typedef struct {
    PyObject_VAR_HEAD
    PyObject *ob_item[1];   /* ob_size items */
} PyTupleObject;

PyAPI_DATA(PyTypeObject) PyTuple_Type;
PyAPI_DATA(PyTypeObject) PyTupleIter_Type;

#define PyTuple_Check(op) \
    PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_TUPLE_SUBCLASS)
#define PyTuple_CheckExact(op) Py_IS_TYPE((op), &PyTuple_Type)

/* New reference; the items are NULL until set. */
PyAPI_FUNC(PyObject *) PyTuple_New(Py_ssize_t size);
PyAPI_FUNC(Py_ssize_t) PyTuple_Size(PyObject *p);
/* Borrowed (tuples are immutable, so this is safe to share). */
PyAPI_FUNC(PyObject *) PyTuple_GetItem(PyObject *p, Py_ssize_t pos);
/* Steals `o`. */
PyAPI_FUNC(int) PyTuple_SetItem(PyObject *p, Py_ssize_t pos, PyObject *o);
PyAPI_FUNC(PyObject *) PyTuple_GetSlice(PyObject *p, Py_ssize_t low,
                                        Py_ssize_t high);
/* New reference; does not steal its arguments. */
PyAPI_FUNC(PyObject *) PyTuple_Pack(Py_ssize_t n, ...);
/* Resizes an unshared tuple in place; on failure *p is released and set
   to NULL. */
PyAPI_FUNC(int) _PyTuple_Resize(PyObject **p, Py_ssize_t newsize);
/* New reference; copies (increfs) n items. */
PyAPI_FUNC(PyObject *) _PyTuple_FromArray(PyObject *const *items,
                                          Py_ssize_t n);
/* New reference; steals the n items. */
PyAPI_FUNC(PyObject *) _PyTuple_FromArraySteal(PyObject *const *items,
                                               Py_ssize_t n);

static inline Py_ssize_t
PyTuple_GET_SIZE(PyObject *op)
{
    return Py_SIZE(op);
}
#define PyTuple_GET_SIZE(op) PyTuple_GET_SIZE(_PyObject_CAST(op))
#define PyTuple_GET_ITEM(op, i) (((PyTupleObject *)(op))->ob_item[(i)])
#define _PyTuple_ITEMS(op) (((PyTupleObject *)(op))->ob_item)

/* Steals `value`; no checks, for filling a new tuple. */
static inline void
PyTuple_SET_ITEM(PyObject *op, Py_ssize_t index, PyObject *value)
{
    ((PyTupleObject *)op)->ob_item[index] = value;
}
#define PyTuple_SET_ITEM(op, index, value) \
    PyTuple_SET_ITEM(_PyObject_CAST(op), (index), _PyObject_CAST(value))

#endif /* !Py_TUPLEOBJECT_H */
