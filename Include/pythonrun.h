/* Running code and reporting errors (Python/pythonrun.c).  CPython
 * 3.11's documented API. */
#ifndef Py_PYTHONRUN_H
#define Py_PYTHONRUN_H

/* Prints the pending exception (with its traceback) to sys.stderr and
   clears it; SystemExit exits the process, as in CPython. */
PyAPI_FUNC(void) PyErr_Print(void);
PyAPI_FUNC(void) PyErr_PrintEx(int set_sys_last_vars);
/* Prints `value` as an uncaught exception (type and tb are ignored: the
   exception carries its traceback). */
PyAPI_FUNC(void) PyErr_Display(PyObject *type, PyObject *value,
                               PyObject *tb);
/* Runs `command` in __main__; 0, or -1 after printing the exception. */
PyAPI_FUNC(int) PyRun_SimpleString(const char *command);

#endif /* !Py_PYTHONRUN_H */
