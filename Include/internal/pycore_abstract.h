/* Runtime-internal parts of the abstract object layer
 * (Objects/abstract.c, Objects/iterobject.c). */
#ifndef Py_INTERNAL_ABSTRACT_H
#define Py_INTERNAL_ABSTRACT_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* Searches an iterable: count of matches, index of the first, or 1/0
   for containment; -1 with an exception on error. */
#define PY_ITERSEARCH_COUNT    1
#define PY_ITERSEARCH_INDEX    2
#define PY_ITERSEARCH_CONTAINS 3
PyAPI_FUNC(Py_ssize_t) _PySequence_IterSearch(PyObject *seq, PyObject *obj,
                                              int operation);

/* isinstance/issubclass without __instancecheck__/__subclasscheck__. */
PyAPI_FUNC(int) _PyObject_RealIsInstance(PyObject *inst, PyObject *cls);
PyAPI_FUNC(int) _PyObject_RealIsSubclass(PyObject *derived,
                                         PyObject *cls);

/* obj[key] for objects whose type defines __class_getitem__. */
PyAPI_FUNC(PyObject *) _PyObject_ClassGetItem(PyObject *type,
                                              PyObject *key);

/* Is `o` an index (has nb_index)? -- CPython's _PyIndex_Check. */
static inline int
_PyIndex_Check(PyObject *obj)
{
    PyNumberMethods *nb = Py_TYPE(obj)->tp_as_number;
    return nb != NULL && nb->nb_index != NULL;
}

#endif /* !Py_INTERNAL_ABSTRACT_H */
