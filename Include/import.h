/* Importing modules (Python/import.c).  CPython 3.11's documented API.
 * Results are new references, NULL with an exception set on error. */
#ifndef Py_IMPORT_H
#define Py_IMPORT_H

PyAPI_FUNC(PyObject *) PyImport_ImportModule(const char *name);
PyAPI_FUNC(PyObject *) PyImport_Import(PyObject *name);
PyAPI_FUNC(PyObject *) PyImport_ImportModuleLevelObject(PyObject *name,
                                                        PyObject *globals,
                                                        PyObject *locals,
                                                        PyObject *fromlist,
                                                        int level);
PyAPI_FUNC(PyObject *) PyImport_ImportModuleLevel(const char *name,
                                                  PyObject *globals,
                                                  PyObject *locals,
                                                  PyObject *fromlist,
                                                  int level);
/* Borrowed: sys.modules. */
PyAPI_FUNC(PyObject *) PyImport_GetModuleDict(void);
/* New reference or NULL (no exception) when not imported. */
PyAPI_FUNC(PyObject *) PyImport_GetModule(PyObject *name);
PyAPI_FUNC(PyObject *) PyImport_AddModuleObject(PyObject *name);
PyAPI_FUNC(PyObject *) PyImport_AddModule(const char *name);
PyAPI_FUNC(PyObject *) PyImport_ExecCodeModule(const char *name,
                                               PyObject *co);
PyAPI_FUNC(PyObject *) PyImport_ExecCodeModuleObject(PyObject *name,
                                                     PyObject *co,
                                                     PyObject *pathname,
                                                     PyObject *cpathname);
/* Built-in C modules, registered before Py_Initialize. */
struct _inittab {
    const char *name;
    PyObject *(*initfunc)(void);
};
PyAPI_FUNC(int) PyImport_AppendInittab(const char *name,
                                       PyObject *(*initfunc)(void));
/* The C modules built into libpython (Modules/config.c); ends with a NULL
   name; an entry whose initfunc is NULL is not built yet. */
PyAPI_DATA(struct _inittab) _PyImport_Inittab[];

#endif /* !Py_IMPORT_H */
