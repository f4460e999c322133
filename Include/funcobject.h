/* Function objects (Objects/funcobject.c).  CPython 3.11's documented API.
 *
 * Thread safety: the fields the eval loop reads on every call
 * (func_code, func_globals, func_builtins, func_closure) are set at
 * creation and never change, except func_code through __code__, which is
 * replaced with a release store and read with a conditional increment.
 * The attributes Python code may replace (__defaults__, __kwdefaults__,
 * __doc__, __annotations__, __name__, __qualname__, __module__) are
 * written in a critical section on the function; the new value is marked
 * shared (MAYBE_WEAKREF) before it is published with a release store, and
 * readers take a conditional increment and re-check the field
 * (ARCHITECTURE section 6), so a reader never uses a freed value. */
#ifndef Py_FUNCOBJECT_H
#define Py_FUNCOBJECT_H

typedef struct {
    PyObject_HEAD
    PyObject *func_globals;     /* dict, owned */
    PyObject *func_builtins;    /* dict, owned */
    PyObject *func_name;        /* str */
    PyObject *func_qualname;    /* str */
    PyObject *func_code;        /* code object */
    PyObject *func_defaults;    /* tuple or NULL */
    PyObject *func_kwdefaults;  /* dict or NULL */
    PyObject *func_closure;     /* tuple of cells or NULL */
    PyObject *func_doc;         /* anything, usually str or None */
    PyObject *func_dict;        /* __dict__, or NULL */
    PyObject *func_weakreflist;
    PyObject *func_module;      /* __module__ */
    PyObject *func_annotations; /* dict or NULL */
    vectorcallfunc vectorcall;
    uint32_t func_version;      /* reserved for specialization */
} PyFunctionObject;

PyAPI_DATA(PyTypeObject) PyFunction_Type;

#define PyFunction_Check(op) Py_IS_TYPE((op), &PyFunction_Type)

/* New references. */
PyAPI_FUNC(PyObject *) PyFunction_New(PyObject *code, PyObject *globals);
PyAPI_FUNC(PyObject *) PyFunction_NewWithQualName(PyObject *code,
                                                  PyObject *globals,
                                                  PyObject *qualname);
/* Borrowed. */
PyAPI_FUNC(PyObject *) PyFunction_GetCode(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetGlobals(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetModule(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetDefaults(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetKwDefaults(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetClosure(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetAnnotations(PyObject *op);
/* Do not steal; -1 on error. */
PyAPI_FUNC(int) PyFunction_SetDefaults(PyObject *op, PyObject *defaults);
PyAPI_FUNC(int) PyFunction_SetKwDefaults(PyObject *op, PyObject *defaults);
PyAPI_FUNC(int) PyFunction_SetClosure(PyObject *op, PyObject *closure);
PyAPI_FUNC(int) PyFunction_SetAnnotations(PyObject *op,
                                          PyObject *annotations);
/* The vectorcall entry of Python functions. */
PyAPI_FUNC(PyObject *) _PyFunction_Vectorcall(PyObject *func,
                                              PyObject *const *stack,
                                              size_t nargsf,
                                              PyObject *kwnames);

#define PyFunction_GET_CODE(func) (((PyFunctionObject *)(func))->func_code)
#define PyFunction_GET_GLOBALS(func) \
    (((PyFunctionObject *)(func))->func_globals)
#define PyFunction_GET_MODULE(func) \
    (((PyFunctionObject *)(func))->func_module)
#define PyFunction_GET_DEFAULTS(func) \
    (((PyFunctionObject *)(func))->func_defaults)
#define PyFunction_GET_KW_DEFAULTS(func) \
    (((PyFunctionObject *)(func))->func_kwdefaults)
#define PyFunction_GET_CLOSURE(func) \
    (((PyFunctionObject *)(func))->func_closure)
#define PyFunction_GET_ANNOTATIONS(func) \
    (((PyFunctionObject *)(func))->func_annotations)

#endif /* !Py_FUNCOBJECT_H */
