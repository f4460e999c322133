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

/* Bring the runtime up: core (threads, allocator, QSBR), then every
   static type, the exception types and the singletons.  Py_Initialize and
   Py_InitializeEx(1) are fatal on failure. */
PyAPI_FUNC(void) Py_Initialize(void);
PyAPI_FUNC(void) Py_InitializeEx(int initsigs);
/* 0 on success, -1 if flushing buffered data failed. */
PyAPI_FUNC(int) Py_FinalizeEx(void);
PyAPI_FUNC(void) Py_Finalize(void);
PyAPI_FUNC(int) Py_IsInitialized(void);

#endif /* !Py_PYLIFECYCLE_H */
