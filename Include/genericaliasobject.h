/* types.GenericAlias (PEP 585): what `list[int]` evaluates to
 * (Objects/genericaliasobject.c).  CPython 3.11's documented API. */
#ifndef Py_GENERICALIASOBJECT_H
#define Py_GENERICALIASOBJECT_H

/* New reference: an alias with __origin__ `origin` and __args__ `args`
   (a tuple, or any single object that becomes a 1-tuple). */
PyAPI_FUNC(PyObject *) Py_GenericAlias(PyObject *origin, PyObject *args);

PyAPI_DATA(PyTypeObject) Py_GenericAliasType;

#endif /* !Py_GENERICALIASOBJECT_H */
