/* Starting and stopping the runtime, and the python command. */
#ifndef Py_PYLIFECYCLE_H
#define Py_PYLIFECYCLE_H

PyAPI_FUNC(int) Py_BytesMain(int argc, char **argv);
PyAPI_FUNC(const char *) Py_GetVersion(void);
PyAPI_FUNC(const char *) _Py_GetPlaitVersion(void);
PyAPI_FUNC(_Py_NO_RETURN void) Py_FatalError(const char *message);
#define Py_FatalError(message) _Py_FatalErrorFunc(__func__, (message))
PyAPI_FUNC(_Py_NO_RETURN void) _Py_FatalErrorFunc(const char *func,
                                                  const char *message);

#endif /* !Py_PYLIFECYCLE_H */
