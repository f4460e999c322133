/* list (Objects/listobject.c).
 *
 * ob_item points at `allocated` slots, of which the first ob_size hold
 * (owned) items.  The item array is preceded by its own capacity, so a
 * reader without the lock can bounds-check the array it loaded even if
 * the list has moved to another one since (ARCHITECTURE section 6).
 * Reads of items take no lock; every mutation runs in a critical section
 * on the list.  PyList_GET_ITEM returns a borrowed reference, which is only
 * safe on a list no other thread mutates: use PyList_GetItemRef. */
#ifndef Py_LISTOBJECT_H
#define Py_LISTOBJECT_H

#include "object.h"

typedef struct {
    PyObject_VAR_HEAD
    PyObject **ob_item;         /* atomic: replaced under the lock */
    Py_ssize_t allocated;       /* written under the lock */
} PyListObject;

PyAPI_DATA(PyTypeObject) PyList_Type;
PyAPI_DATA(PyTypeObject) PyListIter_Type;
PyAPI_DATA(PyTypeObject) PyListRevIter_Type;

#define PyList_Check(op) \
    PyType_HasFeature(Py_TYPE(op), Py_TPFLAGS_LIST_SUBCLASS)
#define PyList_CheckExact(op) Py_IS_TYPE((op), &PyList_Type)

static inline Py_ssize_t
PyList_GET_SIZE(PyObject *op)
{
    /* Relaxed: the size may change under a concurrent writer; callers
       that need a consistent view lock the list. */
    return _Py_atomic_load_ssize_relaxed(&((PyVarObject *)op)->ob_size);
}
#define PyList_GET_SIZE(op) PyList_GET_SIZE(_PyObject_CAST(op))

#define PyList_GET_ITEM(op, index) (((PyListObject *)(op))->ob_item[(index)])

/* Stores into a list nobody else has seen yet (fresh from PyList_New);
   steals a reference to value. */
static inline void
PyList_SET_ITEM(PyObject *op, Py_ssize_t index, PyObject *value)
{
    ((PyListObject *)op)->ob_item[index] = value;
}
#define PyList_SET_ITEM(op, index, value) \
    PyList_SET_ITEM(_PyObject_CAST(op), (index), _PyObject_CAST(value))

/* New list of `size` NULL slots (fill with PyList_SET_ITEM before use). */
PyAPI_FUNC(PyObject *) PyList_New(Py_ssize_t size);
PyAPI_FUNC(Py_ssize_t) PyList_Size(PyObject *list);
/* Borrowed reference (unsafe if another thread may remove the item). */
PyAPI_FUNC(PyObject *) PyList_GetItem(PyObject *list, Py_ssize_t index);
/* New reference; IndexError when out of range. */
PyAPI_FUNC(PyObject *) PyList_GetItemRef(PyObject *list, Py_ssize_t index);
/* Steals item (even on failure). */
PyAPI_FUNC(int) PyList_SetItem(PyObject *list, Py_ssize_t index,
                               PyObject *item);
PyAPI_FUNC(int) PyList_Insert(PyObject *list, Py_ssize_t index,
                              PyObject *item);
PyAPI_FUNC(int) PyList_Append(PyObject *list, PyObject *item);
PyAPI_FUNC(PyObject *) PyList_GetSlice(PyObject *list, Py_ssize_t low,
                                       Py_ssize_t high);
/* itemlist NULL deletes the slice. */
PyAPI_FUNC(int) PyList_SetSlice(PyObject *list, Py_ssize_t low,
                                Py_ssize_t high, PyObject *itemlist);
PyAPI_FUNC(int) PyList_Sort(PyObject *list);
PyAPI_FUNC(int) PyList_Reverse(PyObject *list);
PyAPI_FUNC(PyObject *) PyList_AsTuple(PyObject *list);
PyAPI_FUNC(int) PyList_Extend(PyObject *list, PyObject *iterable);
PyAPI_FUNC(int) PyList_Clear(PyObject *list);

/* list.extend(iterable); returns None (new reference) or NULL. */
PyAPI_FUNC(PyObject *) _PyList_Extend(PyListObject *self, PyObject *iterable);

#endif /* !Py_LISTOBJECT_H */
