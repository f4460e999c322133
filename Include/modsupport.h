/* Support for C modules: argument parsing (Python/getargs.c), value
 * building (Python/modsupport.c), module creation (Objects/moduleobject.c).
 * CPython 3.11's documented API; format units as in the 3.11 docs. */
#ifndef Py_MODSUPPORT_H
#define Py_MODSUPPORT_H

#include <stdarg.h>

/* 1 on success, 0 with an exception set on failure. */
PyAPI_FUNC(int) PyArg_Parse(PyObject *args, const char *format, ...);
PyAPI_FUNC(int) PyArg_ParseTuple(PyObject *args, const char *format, ...);
PyAPI_FUNC(int) PyArg_ParseTupleAndKeywords(PyObject *args, PyObject *kw,
                                            const char *format,
                                            char **keywords, ...);
PyAPI_FUNC(int) PyArg_VaParse(PyObject *args, const char *format,
                              va_list vargs);
PyAPI_FUNC(int) PyArg_VaParseTupleAndKeywords(PyObject *args, PyObject *kw,
                                              const char *format,
                                              char **keywords, va_list vargs);
PyAPI_FUNC(int) PyArg_ValidateKeywordArguments(PyObject *kw);
/* Borrowed references stored in the PyObject ** varargs. */
PyAPI_FUNC(int) PyArg_UnpackTuple(PyObject *args, const char *name,
                                  Py_ssize_t min, Py_ssize_t max, ...);
PyAPI_FUNC(int) _PyArg_ParseTuple_SizeT(PyObject *args,
                                        const char *format, ...);
PyAPI_FUNC(int) _PyArg_ParseTupleAndKeywords_SizeT(PyObject *args,
                                                   PyObject *kw,
                                                   const char *format,
                                                   char **keywords, ...);
PyAPI_FUNC(int) _PyArg_Parse_SizeT(PyObject *args, const char *format, ...);
/* For FASTCALL functions: the same units over an argument array. */
PyAPI_FUNC(int) _PyArg_ParseStack(PyObject *const *args, Py_ssize_t nargs,
                                  const char *format, ...);
PyAPI_FUNC(int) _PyArg_UnpackStack(PyObject *const *args, Py_ssize_t nargs,
                                   const char *name, Py_ssize_t min,
                                   Py_ssize_t max, ...);
/* 1 if kwargs is NULL or empty, else 0 with TypeError
   "funcname() takes no keyword arguments". */
PyAPI_FUNC(int) _PyArg_NoKeywords(const char *funcname, PyObject *kwargs);
PyAPI_FUNC(int) _PyArg_NoKwnames(const char *funcname, PyObject *kwnames);
PyAPI_FUNC(int) _PyArg_NoPositional(const char *funcname, PyObject *args);
PyAPI_FUNC(int) _PyArg_CheckPositional(const char *name, Py_ssize_t nargs,
                                       Py_ssize_t min, Py_ssize_t max);

/* New references. */
PyAPI_FUNC(PyObject *) Py_BuildValue(const char *format, ...);
PyAPI_FUNC(PyObject *) _Py_BuildValue_SizeT(const char *format, ...);
PyAPI_FUNC(PyObject *) Py_VaBuildValue(const char *format, va_list vargs);
PyAPI_FUNC(PyObject *) _Py_VaBuildValue_SizeT(const char *format,
                                              va_list vargs);

#ifdef PY_SSIZE_T_CLEAN
#  define PyArg_Parse _PyArg_Parse_SizeT
#  define PyArg_ParseTuple _PyArg_ParseTuple_SizeT
#  define PyArg_ParseTupleAndKeywords _PyArg_ParseTupleAndKeywords_SizeT
#  define Py_BuildValue _Py_BuildValue_SizeT
#  define Py_VaBuildValue _Py_VaBuildValue_SizeT
#endif

/* Module helpers; AddObjectRef does not steal `value`, AddObject steals it
   on success only, AddType adds a type under its short name. */
PyAPI_FUNC(int) PyModule_AddObjectRef(PyObject *mod, const char *name,
                                      PyObject *value);
PyAPI_FUNC(int) PyModule_AddObject(PyObject *mod, const char *name,
                                   PyObject *value);
PyAPI_FUNC(int) PyModule_AddIntConstant(PyObject *mod, const char *name,
                                        long value);
PyAPI_FUNC(int) PyModule_AddStringConstant(PyObject *mod, const char *name,
                                           const char *value);
PyAPI_FUNC(int) PyModule_AddType(PyObject *mod, PyTypeObject *type);
PyAPI_FUNC(int) PyModule_AddFunctions(PyObject *mod, PyMethodDef *functions);
PyAPI_FUNC(int) PyModule_SetDocString(PyObject *mod, const char *doc);
#define PyModule_AddIntMacro(m, c) PyModule_AddIntConstant((m), #c, (c))
#define PyModule_AddStringMacro(m, c) PyModule_AddStringConstant((m), #c, (c))

#define PYTHON_API_VERSION 1013
#define PYTHON_API_STRING "1013"
#define PYTHON_ABI_VERSION 3
#define PYTHON_ABI_STRING "3"

PyAPI_FUNC(PyObject *) PyModule_Create2(struct PyModuleDef *def,
                                        int apiver);
#define PyModule_Create(module) PyModule_Create2((module), PYTHON_API_VERSION)
PyAPI_FUNC(PyObject *) PyModule_FromDefAndSpec2(struct PyModuleDef *def,
                                                PyObject *spec,
                                                int module_api_version);
#define PyModule_FromDefAndSpec(module, spec) \
    PyModule_FromDefAndSpec2((module), (spec), PYTHON_API_VERSION)

#endif /* !Py_MODSUPPORT_H */
