/* Interrupts and C-level signal handlers (Modules/signalmodule.c).
 * CPython 3.11's documented API. */
#ifndef Py_INTRCHECK_H
#define Py_INTRCHECK_H

/* 1 if SIGINT arrived since the last call (and clears it); main thread
   only, 0 elsewhere. */
PyAPI_FUNC(int) PyOS_InterruptOccurred(void);

typedef void (*PyOS_sighandler_t)(int);
/* The C handler of `sig` / install one (sigaction, SA_ONSTACK, no
   SA_RESTART); SIG_ERR on failure. */
PyAPI_FUNC(PyOS_sighandler_t) PyOS_getsig(int sig);
PyAPI_FUNC(PyOS_sighandler_t) PyOS_setsig(int sig, PyOS_sighandler_t h);

#endif /* !Py_INTRCHECK_H */
