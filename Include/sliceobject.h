/* Slices and Ellipsis (Objects/sliceobject.c).  CPython 3.11's documented
 * API.  Slices are immutable. */
#ifndef Py_SLICEOBJECT_H
#define Py_SLICEOBJECT_H

PyAPI_DATA(PyObject) _Py_EllipsisObject;
PyAPI_DATA(PyTypeObject) PyEllipsis_Type;
#define Py_Ellipsis (&_Py_EllipsisObject)

typedef struct {
    PyObject_HEAD
    PyObject *start, *stop, *step;  /* never NULL (None when omitted) */
} PySliceObject;

PyAPI_DATA(PyTypeObject) PySlice_Type;

#define PySlice_Check(op) Py_IS_TYPE((op), &PySlice_Type)

/* New reference; NULL arguments mean None.  Does not steal. */
PyAPI_FUNC(PyObject *) PySlice_New(PyObject *start, PyObject *stop,
                                   PyObject *step);
PyAPI_FUNC(int) PySlice_GetIndices(PyObject *slice, Py_ssize_t length,
                                   Py_ssize_t *start, Py_ssize_t *stop,
                                   Py_ssize_t *step);
PyAPI_FUNC(int) PySlice_GetIndicesEx(PyObject *slice, Py_ssize_t length,
                                     Py_ssize_t *start, Py_ssize_t *stop,
                                     Py_ssize_t *step,
                                     Py_ssize_t *slicelength);
/* Extracts clamped C indices (no length needed); -1 on error. */
PyAPI_FUNC(int) PySlice_Unpack(PyObject *slice, Py_ssize_t *start,
                               Py_ssize_t *stop, Py_ssize_t *step);
/* Adjusts start/stop for `length`; returns the slice length. */
PyAPI_FUNC(Py_ssize_t) PySlice_AdjustIndices(Py_ssize_t length,
                                             Py_ssize_t *start,
                                             Py_ssize_t *stop,
                                             Py_ssize_t step);
/* Converts o (None or an __index__ object) to a clamped Py_ssize_t;
   1 on success, 0 with TypeError. */
PyAPI_FUNC(int) _PyEval_SliceIndex(PyObject *o, Py_ssize_t *pi);

#endif /* !Py_SLICEOBJECT_H */
