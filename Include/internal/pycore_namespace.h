/* types.SimpleNamespace (Objects/namespaceobject.c): an object whose
 * attributes live in its __dict__, made in C for sys.implementation and
 * time.get_clock_info(). */
#ifndef Py_INTERNAL_NAMESPACE_H
#define Py_INTERNAL_NAMESPACE_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

PyAPI_DATA(PyTypeObject) _PyNamespace_Type;

/* New reference: a SimpleNamespace holding a copy of KWDS (a dict of str
   keys, or NULL for an empty one). */
PyAPI_FUNC(PyObject *) _PyNamespace_New(PyObject *kwds);

#endif /* !Py_INTERNAL_NAMESPACE_H */
