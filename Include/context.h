/* Context variables (PEP 567): contextvars.Context, ContextVar, Token.
 * Implemented in Python/context.c. */
#ifndef Py_CONTEXT_H
#define Py_CONTEXT_H

PyAPI_DATA(PyTypeObject) PyContext_Type;
PyAPI_DATA(PyTypeObject) PyContextVar_Type;
PyAPI_DATA(PyTypeObject) PyContextToken_Type;

typedef struct _pycontextobject PyContext;
typedef struct _pycontextvarobject PyContextVar;
typedef struct _pycontexttokenobject PyContextToken;

#define PyContext_CheckExact(o) Py_IS_TYPE((o), &PyContext_Type)
#define PyContextVar_CheckExact(o) Py_IS_TYPE((o), &PyContextVar_Type)
#define PyContextToken_CheckExact(o) Py_IS_TYPE((o), &PyContextToken_Type)

/* New references. */
PyAPI_FUNC(PyObject *) PyContext_New(void);
PyAPI_FUNC(PyObject *) PyContext_Copy(PyObject *ctx);
PyAPI_FUNC(PyObject *) PyContext_CopyCurrent(void);

/* Make ctx the calling thread's current context / restore the previous
   one.  0 on success, -1 with an exception set. */
PyAPI_FUNC(int) PyContext_Enter(PyObject *ctx);
PyAPI_FUNC(int) PyContext_Exit(PyObject *ctx);

/* New reference to a new ContextVar; def may be NULL (no default). */
PyAPI_FUNC(PyObject *) PyContextVar_New(const char *name, PyObject *def);

/* Stores a new reference in *value: the variable's value in the current
   context, else default_value, else the variable's default, else NULL.
   Returns 0, or -1 with an exception set (*value is then NULL). */
PyAPI_FUNC(int) PyContextVar_Get(PyObject *var, PyObject *default_value,
                                 PyObject **value);

/* New reference to a Token that PyContextVar_Reset can undo. */
PyAPI_FUNC(PyObject *) PyContextVar_Set(PyObject *var, PyObject *value);
PyAPI_FUNC(int) PyContextVar_Reset(PyObject *var, PyObject *token);

#endif /* !Py_CONTEXT_H */
