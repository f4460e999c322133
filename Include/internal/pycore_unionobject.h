/* types.UnionType (`int | str`, Objects/unionobject.c) and the type
 * parameter helpers it shares with types.GenericAlias
 * (Objects/genericaliasobject.c). */
#ifndef Py_INTERNAL_UNIONOBJECT_H
#define Py_INTERNAL_UNIONOBJECT_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

PyAPI_DATA(PyTypeObject) _PyUnion_Type;
#define _PyUnion_Check(op) Py_IS_TYPE((op), &_PyUnion_Type)
#define _PyGenericAlias_Check(op) \
    PyObject_TypeCheck((op), &Py_GenericAliasType)

/* `self | other` for types, aliases, unions and None: a new reference to
   the union (or to the single member left after removing duplicates), or
   Py_NotImplemented (new reference) when either side is something else. */
PyAPI_FUNC(PyObject *) _Py_union_type_or(PyObject *self, PyObject *other);

/* Borrowed: the __args__ tuple of a union. */
PyAPI_FUNC(PyObject *) _Py_union_args(PyObject *self);

/* New reference: the type variables among `args` in order of first
   appearance (objects with __typing_subst__, and the __parameters__ of
   the others), as a tuple. */
PyAPI_FUNC(PyObject *) _Py_make_parameters(PyObject *args);

/* Borrowed: *slot, filled on first use with _Py_make_parameters(args)
   and published with a compare-and-swap (racing threads compute equal
   tuples; the losers drop theirs). */
PyAPI_FUNC(PyObject *) _Py_LazyParameters(PyObject **slot, PyObject *args);

/* New reference: `args` with the type variables in `parameters` replaced
   by the items of `item` (self[item]), or NULL with TypeError for a wrong
   number of arguments; `self` is only used in messages. */
PyAPI_FUNC(PyObject *) _Py_subs_parameters(PyObject *self, PyObject *args,
                                           PyObject *parameters,
                                           PyObject *item);

/* New reference: repr(p) as typing shows a type argument: `int`,
   `collections.abc.Sized`, `...`, `list[int]`, else repr(p). */
PyAPI_FUNC(PyObject *) _Py_typing_type_repr(PyObject *p);

/* Readies GenericAlias, its iterator and UnionType (Py_Initialize). */
PyAPI_FUNC(int) _PyGenericAlias_InitTypes(void);

#endif /* !Py_INTERNAL_UNIONOBJECT_H */
