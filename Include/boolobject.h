/* bool and its two instances (Objects/boolobject.c).  bool is a subclass
 * of int: True and False have int's layout (struct _longobject, defined by
 * Include/longobject.h) and are immortal. */
#ifndef Py_BOOLOBJECT_H
#define Py_BOOLOBJECT_H

PyAPI_DATA(PyTypeObject) PyBool_Type;

#define PyBool_Check(x) Py_IS_TYPE((x), &PyBool_Type)

struct _longobject;
PyAPI_DATA(struct _longobject) _Py_FalseStruct;
PyAPI_DATA(struct _longobject) _Py_TrueStruct;

#define Py_False _PyObject_CAST(&_Py_FalseStruct)
#define Py_True _PyObject_CAST(&_Py_TrueStruct)

#define Py_IsTrue(x) Py_Is((x), Py_True)
#define Py_IsFalse(x) Py_Is((x), Py_False)

/* True and False are immortal: no reference to take or drop. */
#define Py_RETURN_TRUE return Py_True
#define Py_RETURN_FALSE return Py_False

/* New (immortal) reference to True or False. */
PyAPI_FUNC(PyObject *) PyBool_FromLong(long ok);

#endif /* !Py_BOOLOBJECT_H */
