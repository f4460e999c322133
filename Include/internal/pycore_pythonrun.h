/* Running programs: what Modules/main.c needs from Python/pythonrun.c and
 * Python/import.c. */
#ifndef Py_INTERNAL_PYTHONRUN_H
#define Py_INTERNAL_PYTHONRUN_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* Makes sys.modules, builtins and sys (sys.argv from argc/argv), and the
   __main__ module.  Once, after Py_Initialize(); 0 or -1 with an error. */
PyAPI_FUNC(int) _PyInterp_InitModules(int argc, char **argv,
                                      const char *executable);
/* Runs the file as __main__; the process exit status, -1 if the file
   cannot be opened (errno set). */
PyAPI_FUNC(int) _PyRun_MainFile(const char *path);
/* -c COMMAND; the exit status. */
PyAPI_FUNC(int) _PyRun_Command(const char *command);
/* Prints the pending exception as an uncaught one (SystemExit gives its
   code); the exit status. */
PyAPI_FUNC(int) _PyRun_HandleUncaught(void);

/* Runs the atexit module's callbacks (Modules/atexitmodule.c); a no-op
   if none were registered.  Py_FinalizeEx calls it first. */
PyAPI_FUNC(void) _PyAtExit_Call(void);

#endif /* !Py_INTERNAL_PYTHONRUN_H */
