/* Cell objects: the boxes closures share variables through
 * (Objects/funcobject.c).  CPython 3.11's documented API.
 *
 * Thread safety: ob_ref is written in a critical section on the cell with
 * a release store (after marking the new value shared); readers load it
 * and take a conditional increment, then re-check the slot, retrying
 * under the lock on failure (ARCHITECTURE section 6). */
#ifndef Py_CELLOBJECT_H
#define Py_CELLOBJECT_H

typedef struct {
    PyObject_HEAD
    PyObject *ob_ref;       /* owned, NULL when empty */
} PyCellObject;

PyAPI_DATA(PyTypeObject) PyCell_Type;

#define PyCell_Check(op) Py_IS_TYPE((op), &PyCell_Type)

/* New reference; `obj` (may be NULL) is not stolen. */
PyAPI_FUNC(PyObject *) PyCell_New(PyObject *obj);
/* New reference to the content, or NULL (no exception) when empty. */
PyAPI_FUNC(PyObject *) PyCell_Get(PyObject *cell);
/* Does not steal `value` (may be NULL). */
PyAPI_FUNC(int) PyCell_Set(PyObject *cell, PyObject *value);

/* Borrowed: only safe when no other thread may write the cell. */
#define PyCell_GET(op) (((PyCellObject *)(op))->ob_ref)

#endif /* !Py_CELLOBJECT_H */
