/* Private to the interpreter's own files (Python/ceval*.c,
 * Python/bltinmodule.c, Python/sysmodule.c, Python/import.c,
 * Python/pythonrun.c, Python/traceback.c, Objects/genobject.c, ...):
 * identifier strings and helpers shared between them. */
#ifndef Py_INTERNAL_CEVAL_HELPERS_H
#define Py_INTERNAL_CEVAL_HELPERS_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_ceval.h"
#include "classobject.h"
#include "setobject.h"
#include "cellobject.h"
#include "code.h"
#include "genobject.h"

/* Interned, immortal identifier strings, made at start-up
   (_PyEval_InitStrings) and never changed after: read without locks. */
#define _PY_EVAL_STRINGS(X) \
    X(__builtins__) X(__name__) X(__build_class__) X(__import__) \
    X(__annotations__) X(__aenter__) X(__aexit__) X(__enter__) \
    X(__exit__) X(__all__) X(__dict__) X(__match_args__) X(__class__) \
    X(__module__) X(__qualname__) X(__doc__) X(__spec__) X(__path__) \
    X(__file__) X(__package__) X(__loader__) X(__init__) X(__new__) \
    X(__prepare__) X(__mro_entries__) X(__classcell__) X(__orig_bases__) \
    X(__cached__) X(__main__) X(__next__) X(__iter__) X(__len__) \
    X(__getitem__) X(__reversed__) X(__round__) X(__trunc__) X(__dir__) \
    X(__format__) X(__index__) X(__notes__) X(__traceback__) \
    X(__await__) X(__aiter__) X(__anext__) X(__set_name__) \
    X(__init_subclass__) X(__length_hint__) X(__contains__) \
    X(_initializing) X(__lt__) X(__abstractmethods__) X(__slots__) \
    X(displayhook) X(excepthook) X(send) X(throw) X(close) X(get) \
    X(keys) X(items) X(values) X(split) X(stdout) X(stderr) X(stdin) \
    X(write) X(flush) X(readline) X(encoding) X(path) X(modules) \
    X(argv) X(name) X(obj) X(exceptions) X(msg) X(filename) X(lineno) \
    X(offset) X(text) X(end_lineno) X(end_offset) X(print_file_and_line) \
    X(code) X(fileno) X(mode) X(builtins) X(sys) X(exec) X(eval) \
    X(single) X(_fields) X(__qualname_dummy)

struct _PyEvalStrings {
#define _PY_STR_FIELD(n) PyObject *n;
    _PY_EVAL_STRINGS(_PY_STR_FIELD)
#undef _PY_STR_FIELD
};

PyAPI_DATA(struct _PyEvalStrings) _Py_eval_str;
#define _Py_STR(n) (_Py_eval_str.n)

/* Makes the strings above; 0 or -1. */
PyAPI_FUNC(int) _PyEval_InitStrings(void);

/* Special method lookup (on the type, bound to O): new reference, or NULL
   with no exception when missing, NULL with one on error. */
PyAPI_FUNC(PyObject *) _PyEval_LookupSpecial(PyObject *o, PyObject *name);

/* LOAD_METHOD's lookup: returns 1 and *METHOD = the unbound function
   (new reference) when the attribute is a plain method to call with O as
   first argument; 0 and *METHOD = the attribute (new reference), or NULL
   with an exception. */
PyAPI_FUNC(int) _PyEval_GetMethod(PyObject *o, PyObject *name,
                                  PyObject **method);

/* BINARY_OP: the operator OPARG (_PyBinOp_*) applied; new reference. */
PyAPI_FUNC(PyObject *) _PyEval_BinaryOp(PyObject *lhs, PyObject *rhs,
                                        int oparg);

/* Exception helpers (Python/ceval_exc.c). */
PyAPI_FUNC(int) _PyEval_CheckExceptTypeValid(PyThreadState *tstate,
                                             PyObject *right);
PyAPI_FUNC(int) _PyEval_CheckExceptStarTypeValid(PyThreadState *tstate,
                                                 PyObject *right);
PyAPI_FUNC(int) _PyEval_ExceptionGroupMatch(PyObject *exc_value,
                                            PyObject *match_type,
                                            PyObject **match,
                                            PyObject **rest);
PyAPI_FUNC(PyObject *) _PyEval_PrepReraiseStar(PyObject *orig,
                                               PyObject *excs);
/* RAISE_VARARGS: 1 when it re-raised (no new traceback entry), 0 when
   it raised a new exception; both leave an exception set. */
PyAPI_FUNC(int) _PyEval_DoRaise(PyThreadState *tstate, PyObject *exc,
                                PyObject *cause);

/* Pattern matching helpers (Python/ceval_match.c); new references,
   NULL with no exception for "no match". */
PyAPI_FUNC(PyObject *) _PyEval_MatchClass(PyThreadState *tstate,
                                          PyObject *subject,
                                          PyObject *type, Py_ssize_t nargs,
                                          PyObject *kwargs);
PyAPI_FUNC(PyObject *) _PyEval_MatchKeys(PyThreadState *tstate,
                                         PyObject *map, PyObject *keys);

/* Imports (Python/import.c). */
PyAPI_FUNC(PyObject *) _PyEval_ImportName(PyThreadState *tstate,
                                          _PyInterpreterFrame *frame,
                                          PyObject *name,
                                          PyObject *fromlist,
                                          PyObject *level);
PyAPI_FUNC(PyObject *) _PyEval_ImportFrom(PyThreadState *tstate,
                                          PyObject *v, PyObject *name);
PyAPI_FUNC(int) _PyEval_ImportAllFrom(PyThreadState *tstate,
                                      PyObject *locals, PyObject *v);

/* Error formatting shared by opcodes. */
PyAPI_FUNC(void) _PyEval_FormatUnbound(PyThreadState *tstate,
                                       PyCodeObject *co, int oparg);
PyAPI_FUNC(void) _PyEval_FormatAwaitableError(PyThreadState *tstate,
                                              PyTypeObject *type,
                                              int oparg);
PyAPI_FUNC(void) _PyEval_FormatKwargsError(PyThreadState *tstate,
                                           PyObject *func,
                                           PyObject *kwargs);
/* "module.qualname()" or the repr, as 3.11's _PyObject_FunctionStr. */
PyAPI_FUNC(PyObject *) _PyEval_FunctionStr(PyObject *func);
/* Unpacks V into N values stored at SP[-1], SP[-2], ... (first item on
   top): ARGCNT before the star, a list, ARGCNTAFTER after. */
PyAPI_FUNC(int) _PyEval_UnpackIterable(PyThreadState *tstate, PyObject *v,
                                       int argcnt, int argcntafter,
                                       _PyStackRef *sp);
/* DICT_MERGE's merge: fails on duplicate keys with 3.11's message. */
PyAPI_FUNC(int) _PyEval_DictMerge(PyThreadState *tstate, PyObject *func,
                                  PyObject *dict, PyObject *update);

/* The builtin __import__ (for the fast path of IMPORT_NAME). */
PyAPI_FUNC(PyObject *) _PyImport_BuiltinImportFunc(void);

/* sys helpers (Python/sysmodule.c): borrowed, NULL when missing. */
PyAPI_FUNC(PyObject *) _PySys_GetAttr(PyObject *name);

#endif /* !Py_INTERNAL_CEVAL_HELPERS_H */
