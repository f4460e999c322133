/* The runtime's side of signal handling (Modules/signalmodule.c). */
#ifndef Py_INTERNAL_SIGNAL_H
#define Py_INTERNAL_SIGNAL_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* Py_Initialize: the calling thread becomes the main thread; with
   `install_handlers`, SIGPIPE/SIGXFSZ are ignored and SIGINT raises
   KeyboardInterrupt.  0 or -1 with an exception. */
PyAPI_FUNC(int) _PySignal_Init(int install_handlers);
/* Whether the calling thread is the main thread. */
PyAPI_FUNC(int) _PyOS_IsMainThread(void);
/* Whether a signal has arrived whose Python handler has not run yet
   (async-signal-safe; any thread). */
PyAPI_FUNC(int) _PyOS_SignalsPending(void);
/* PyErr_CheckSignals for `tstate` (the eval breaker's entry). */
PyAPI_FUNC(int) _PyErr_CheckSignalsTstate(PyThreadState *tstate);

#endif /* !Py_INTERNAL_SIGNAL_H */
