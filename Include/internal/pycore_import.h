/* The import machinery's internal interface (Python/import.c,
 * Python/importdl.c, Python/impmodule.c). */
#ifndef Py_INTERNAL_IMPORT_H
#define Py_INTERNAL_IMPORT_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* The inittab entry for built-in module `name` (PyImport_AppendInittab
   entries first, then Modules/config.c's), or NULL. */
PyAPI_FUNC(struct _inittab *) _PyImport_FindInittab(const char *name);

/* 1: `name` is a built-in C module that can be (re)created; -1: it is one
   that cannot be re-initialised (sys, builtins); 0: not built in. */
PyAPI_FUNC(int) _PyImport_IsBuiltin(PyObject *name);

/* New reference: the module for `spec` (a ModuleSpec) of a built-in
   module, created but not executed; Py_None when there is no such
   built-in module. */
PyAPI_FUNC(PyObject *) _PyImport_CreateBuiltin(PyObject *spec);

/* New reference: the extension module in the shared object spec.origin,
   created but not executed (Python/importdl.c). */
PyAPI_FUNC(PyObject *) _PyImport_CreateDynamic(PyObject *spec);

/* Runs the Py_mod_exec slots of a multi-phase module not yet executed;
   0 for anything else.  Returns 0 or -1. */
PyAPI_FUNC(int) _PyImport_ExecModule(PyObject *mod);

/* Turns the result of a PyInit_ function into a module: a module object
   (single-phase; remembered under `key` so that a second import gets it
   back) or a PyModuleDef (multi-phase: PyModule_FromDefAndSpec).  Steals
   `res`; NULL `res` reports a failed initialisation of `name`. */
PyAPI_FUNC(PyObject *) _PyImport_FinishInit(PyObject *res, const char *name,
                                            PyObject *spec, PyObject *key);

/* The single-phase module cached under `key`, new reference, or NULL
   without an exception. */
PyAPI_FUNC(PyObject *) _PyImport_CachedExtension(PyObject *key);

/* The re-entrant global import lock behind _imp.acquire_lock(). */
PyAPI_FUNC(void) _PyImport_AcquireLock(void);
PyAPI_FUNC(int) _PyImport_ReleaseLock(void);   /* -1: not the holder */
PyAPI_FUNC(int) _PyImport_LockHeld(void);

/* The extension suffixes, most specific first (a new list). */
PyAPI_FUNC(PyObject *) _PyImport_ExtensionSuffixes(void);

/* SipHash-1-3 keyed by (key, 0) (Python/pyhash.c), for source_hash. */
PyAPI_FUNC(uint64_t) _Py_KeyedHash(uint64_t key, const void *src,
                                   Py_ssize_t len);

/* New reference: sys.builtin_module_names (a sorted tuple). */
PyAPI_FUNC(PyObject *) _PyImport_BuiltinModuleNames(void);

#endif /* !Py_INTERNAL_IMPORT_H */
