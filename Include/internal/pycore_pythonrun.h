/* Running programs: what Modules/main.c needs from Python/pythonrun.c and
 * Python/import.c. */
#ifndef Py_INTERNAL_PYTHONRUN_H
#define Py_INTERNAL_PYTHONRUN_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* Py_Initialize with sys.argv from argc/argv and sys.executable (the
   python command's start-up); 0, or -1 with an exception set. */
PyAPI_FUNC(int) _Py_InitializeWithArgs(int argc, char **argv,
                                       const char *executable);
/* Makes sys.modules, builtins and sys (sys.argv from argc/argv), the
   __main__ module and the import system; once, from
   _Py_InitializeWithArgs.  0 or -1 with an error. */
PyAPI_FUNC(int) _PyInterp_InitModules(int argc, char **argv,
                                      const char *executable);
/* Runs the file as __main__; the process exit status, -1 if the file
   cannot be opened (errno set). */
PyAPI_FUNC(int) _PyRun_MainFile(const char *path);
/* The program on standard input; the exit status. */
PyAPI_FUNC(int) _PyRun_Stdin(void);
/* -m MODULE (through runpy); the exit status. */
PyAPI_FUNC(int) _PyRun_Module(const char *modname);
/* The interactive interpreter (Python/repl.c); the exit status.
   `quiet`: no banner. */
PyAPI_FUNC(int) _PyRun_InteractiveLoop(int quiet);
/* -c COMMAND; the exit status. */
PyAPI_FUNC(int) _PyRun_Command(const char *command);
/* Prints the pending exception as an uncaught one (SystemExit gives its
   code); the exit status. */
PyAPI_FUNC(int) _PyRun_HandleUncaught(void);

/* Runs the atexit module's callbacks (Modules/atexitmodule.c); a no-op
   if none were registered.  Py_FinalizeEx calls it first. */
PyAPI_FUNC(void) _PyAtExit_Call(void);

#endif /* !Py_INTERNAL_PYTHONRUN_H */
