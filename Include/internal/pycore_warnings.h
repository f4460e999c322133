/* The warnings machinery's runtime-internal entry points
 * (Python/_warnings.c). */
#ifndef Py_INTERNAL_WARNINGS_H
#define Py_INTERNAL_WARNINGS_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* Start-up: resets the filters to 3.11's defaults, then applies
   WARNOPTIONS_LIST (a list of -W / PYTHONWARNINGS strings, in order; NULL
   or empty for none).  With options, the list becomes sys.warnoptions and
   the warnings module is imported, which applies them exactly as CPython
   does; "-W error" and other options without a message or module regex
   need nothing beyond warnings.py, options with one need `re`.  Call it
   once sys exists.  0, or -1 with an exception. */
PyAPI_FUNC(int) _PyWarnings_InitFilters(PyObject *warnoptions_list);

/* A coroutine that was never awaited is being finalized: the
   RuntimeWarning of CPython 3.11 (through
   warnings._warn_unawaited_coroutine when the module is imported).
   Errors are reported as unraisable; the current exception is not
   touched by the caller's contract, so save it around the call. */
PyAPI_FUNC(void) _PyErr_WarnUnawaitedCoroutine(PyObject *coro);

/* Public in CPython 3.11 (pyerrors.h); declared here until
   Include/pyerrors.h has it. */
PyAPI_FUNC(int) PyErr_WarnExplicitFormat(PyObject *category,
                                         const char *filename, int lineno,
                                         const char *module,
                                         PyObject *registry,
                                         const char *format, ...);

#endif /* !Py_INTERNAL_WARNINGS_H */
