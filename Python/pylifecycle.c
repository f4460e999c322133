/* Starting and stopping the runtime: Py_Initialize brings up the core
 * (interpreter, thread state, allocator, QSBR), then every static type,
 * the exception types and the singletons, then the pieces of the other
 * parts of the runtime (each part's *_InitTypes).
 *
 * Thread safety: Py_Initialize and Py_FinalizeEx are called by the
 * embedding program's main thread while no other thread runs Python (as
 * CPython requires); `initialized` is atomic so that Py_IsInitialized may
 * be asked from any thread. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_pystate.h"
#include "pycore_excstate.h"
#include "pycore_exceptions.h"
#include "pycore_global_strings.h"
#include "pycore_typeobject.h"
#include "pycore_pythonrun.h"
#include "pycore_initconfig.h"
#include "pycore_signal.h"

static int initialized = 0;          /* atomic */
/* Start-up settings (pycore_initconfig.h): the defaults of an embedding
   program; the python command fills them in before Py_Initialize. */
_PyRuntimeFlags _Py_RuntimeFlags = {
    .int_max_str_digits = -1,
};

/* The core (interpreter, thread state, static types) stays up once made:
   static types keep objects allocated from it.  Atomic. */
static int core_initialized = 0;

/* Start-up functions of other parts of the runtime.  Weak: a part that is
   not linked in yet is skipped. */
#define WEAK_INIT(name) extern int name(void) __attribute__((weak))
WEAK_INIT(_PyUnicode_InitTypes);
WEAK_INIT(_PyLong_InitTypes);
WEAK_INIT(_PyFloat_InitTypes);
WEAK_INIT(_PyBytes_InitTypes);
WEAK_INIT(_PyByteArray_InitTypes);
WEAK_INIT(_PyList_InitTypes);
WEAK_INIT(_PySet_InitTypes);
WEAK_INIT(_PyFunction_InitTypes);
WEAK_INIT(_PyCode_InitTypes);
WEAK_INIT(_PyGen_InitTypes);
WEAK_INIT(_PyEval_InitTypes);
WEAK_INIT(_PyGenericAlias_InitTypes);
WEAK_INIT(_PyIO_InitStdio);
WEAK_INIT(_PyIO_InstallBuiltinsOpen);
extern void _PyIO_FlushStdio(void) __attribute__((weak));
#undef WEAK_INIT

static int
run_init(int (*fn)(void))
{
    if (fn == NULL) {
        return 0;
    }
    return fn();
}

/* Returns NULL on success, else a message for Py_FatalError. */
static const char *
init_core(void)
{
    if (_PyThreadState_GET() == NULL && _PyRuntime_InitCore() == NULL) {
        return "cannot create the interpreter and its thread state";
    }
    if (_Py_HashRandomization_Init() < 0) {
        return "cannot initialize the hash secret";
    }
    _PyType_InitCache();
    /* Identifiers before any type is readied: PyType_Ready interns the
       special-method names. */
    if (_PyStrings_Init() < 0 || _PyTypeSlots_Init() < 0) {
        return "cannot create the identifier strings";
    }
    if (_PyTypes_InitTypes() < 0) {
        return "cannot initialize the core types";
    }
    if (_PyExc_InitTypes() < 0) {
        return "cannot initialize the exception types";
    }
    if (run_init(_PyUnicode_InitTypes) < 0 ||
        run_init(_PyLong_InitTypes) < 0 ||
        PyType_Ready(&PyBool_Type) < 0 ||
        run_init(_PyFloat_InitTypes) < 0 ||
        run_init(_PyBytes_InitTypes) < 0 ||
        run_init(_PyByteArray_InitTypes) < 0 ||
        run_init(_PyList_InitTypes) < 0 ||
        run_init(_PySet_InitTypes) < 0) {
        return "cannot initialize the built-in types";
    }
    if (run_init(_PyFunction_InitTypes) < 0 ||
        run_init(_PyCode_InitTypes) < 0 ||
        run_init(_PyGen_InitTypes) < 0 ||
        run_init(_PyEval_InitTypes) < 0 ||
        run_init(_PyGenericAlias_InitTypes) < 0) {
        return "cannot initialize the interpreter types";
    }
    return NULL;
}

/* Brings the runtime up: the core (types, thread state), then builtins,
   sys and the import system, with sys.argv from `argc`/`argv` (none for
   an embedding program; the python command passes its own). */
static int
init_runtime(int argc, char **argv, const char *executable, int initsigs)
{
    if (_Py_atomic_load_int(&initialized)) {
        return 0;
    }
    if (!_Py_atomic_load_int(&core_initialized)) {
        const char *err = init_core();
        if (err != NULL) {
            if (PyErr_Occurred()) {
                PyErr_WriteUnraisable(NULL);
            }
            Py_FatalError(err);
        }
        _Py_atomic_store_int(&core_initialized, 1);
    }
    if (_PyInterp_InitModules(argc, argv, executable) < 0) {
        return -1;
    }
    /* sys.std* as io text files, and builtins.open = io.open */
    if (run_init(_PyIO_InitStdio) < 0 ||
        run_init(_PyIO_InstallBuiltinsOpen) < 0) {
        return -1;
    }
    /* the main thread, and SIGINT -> KeyboardInterrupt */
    if (_PySignal_Init(initsigs) < 0) {
        return -1;
    }
    _Py_atomic_store_int(&initialized, 1);
    return 0;
}

int
_Py_InitializeWithArgs(int argc, char **argv, const char *executable)
{
    return init_runtime(argc, argv, executable, 1);
}

void
Py_InitializeEx(int initsigs)
{
    if (init_runtime(0, NULL, NULL, initsigs) < 0) {
        if (PyErr_Occurred()) {
            PyErr_Print();
        }
        Py_FatalError("cannot initialize the interpreter's modules");
    }
}

void
Py_Initialize(void)
{
    Py_InitializeEx(1);
}

int
Py_IsInitialized(void)
{
    return _Py_atomic_load_int(&initialized);
}

/* Marks the runtime finalized.  The core itself (and every object of a
   static type) stays allocated: tearing it down while static types hold
   objects from its heaps is not supported yet.  Flushing sys.stdout and
   running atexit handlers come with those modules. */
int
Py_FinalizeEx(void)
{
    if (!_Py_atomic_load_int(&initialized)) {
        return 0;
    }
    PyThreadState *tstate = _PyThreadState_GET();
    if (tstate != NULL) {
        /* atexit callbacks run first, with the runtime fully working. */
        _PyAtExit_Call();
        if (_PyIO_FlushStdio != NULL) {
            _PyIO_FlushStdio();
        }
        _PyErr_ClearThreadState(_PyErr_GetState(tstate));
    }
    _Py_atomic_store_int(&initialized, 0);
    return 0;
}

void
Py_Finalize(void)
{
    (void)Py_FinalizeEx();
}
