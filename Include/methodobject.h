/* Built-in functions and methods: C functions wrapped as callables
 * (Objects/methodobject.c).  CPython 3.11's documented API. */
#ifndef Py_METHODOBJECT_H
#define Py_METHODOBJECT_H

typedef PyObject *(*PyCFunction)(PyObject *, PyObject *);
typedef PyObject *(*_PyCFunctionFast)(PyObject *, PyObject *const *,
                                      Py_ssize_t);
typedef PyObject *(*PyCFunctionWithKeywords)(PyObject *, PyObject *,
                                             PyObject *);
typedef PyObject *(*_PyCFunctionFastWithKeywords)(PyObject *,
                                                  PyObject *const *,
                                                  Py_ssize_t, PyObject *);
typedef PyObject *(*PyCMethod)(PyObject *, PyTypeObject *, PyObject *const *,
                               size_t, PyObject *);
typedef _PyCFunctionFast PyCFunctionFast;
typedef _PyCFunctionFastWithKeywords PyCFunctionFastWithKeywords;

/* Casts any of the signatures above to PyCFunction for a PyMethodDef. */
#define _PyCFunction_CAST(func) ((PyCFunction)(void (*)(void))(func))

struct PyMethodDef {
    const char *ml_name;
    PyCFunction ml_meth;
    int ml_flags;           /* METH_* */
    const char *ml_doc;
};
typedef struct PyMethodDef PyMethodDef;

/* Calling conventions (exactly one of the first group, optionally
   combined with METH_KEYWORDS / METH_METHOD as documented). */
#define METH_VARARGS 0x0001
#define METH_KEYWORDS 0x0002
#define METH_NOARGS 0x0004
#define METH_O 0x0008
#define METH_CLASS 0x0010
#define METH_STATIC 0x0020
#define METH_COEXIST 0x0040
#define METH_FASTCALL 0x0080
#define METH_STACKLESS 0x0000
#define METH_METHOD 0x0200

/* A built-in function object, bound to `m_self` (a module, an instance,
   or NULL).  Immutable once created. */
typedef struct {
    PyObject_HEAD
    PyMethodDef *m_ml;
    PyObject *m_self;       /* owned, may be NULL */
    PyObject *m_module;     /* owned, __module__, may be NULL */
    PyObject *m_weakreflist;
    vectorcallfunc vectorcall;
} PyCFunctionObject;

/* A METH_METHOD function also knows the class that defined it. */
typedef struct {
    PyCFunctionObject func;
    PyTypeObject *mm_class; /* owned */
} PyCMethodObject;

PyAPI_DATA(PyTypeObject) PyCFunction_Type;
PyAPI_DATA(PyTypeObject) PyCMethod_Type;

#define PyCFunction_CheckExact(op) Py_IS_TYPE((op), &PyCFunction_Type)
#define PyCFunction_Check(op) PyObject_TypeCheck((op), &PyCFunction_Type)
#define PyCMethod_CheckExact(op) Py_IS_TYPE((op), &PyCMethod_Type)
#define PyCMethod_Check(op) PyObject_TypeCheck((op), &PyCMethod_Type)

/* New references. */
PyAPI_FUNC(PyObject *) PyCFunction_New(PyMethodDef *ml, PyObject *self);
PyAPI_FUNC(PyObject *) PyCFunction_NewEx(PyMethodDef *ml, PyObject *self,
                                         PyObject *module);
PyAPI_FUNC(PyObject *) PyCMethod_New(PyMethodDef *ml, PyObject *self,
                                     PyObject *module, PyTypeObject *cls);
#define PyCFunction_New(ML, SELF) PyCFunction_NewEx((ML), (SELF), NULL)
#define PyCFunction_NewEx(ML, SELF, MOD) PyCMethod_New((ML), (SELF), (MOD), NULL)

PyAPI_FUNC(PyCFunction) PyCFunction_GetFunction(PyObject *op);
PyAPI_FUNC(PyObject *) PyCFunction_GetSelf(PyObject *op);     /* borrowed */
PyAPI_FUNC(int) PyCFunction_GetFlags(PyObject *op);

#define PyCFunction_GET_FUNCTION(func) \
    (((PyCFunctionObject *)(func))->m_ml->ml_meth)
#define PyCFunction_GET_SELF(func) \
    ((((PyCFunctionObject *)(func))->m_ml->ml_flags & METH_STATIC) ? \
     NULL : ((PyCFunctionObject *)(func))->m_self)
#define PyCFunction_GET_FLAGS(func) \
    (((PyCFunctionObject *)(func))->m_ml->ml_flags)
#define PyCFunction_GET_CLASS(func) \
    ((((PyCFunctionObject *)(func))->m_ml->ml_flags & METH_METHOD) ? \
     ((PyCMethodObject *)(func))->mm_class : NULL)

#endif /* !Py_METHODOBJECT_H */
