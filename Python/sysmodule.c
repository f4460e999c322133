/* A first sys module.
 *
 * sys.stdout/stderr/stdin are minimal file-like objects over file
 * descriptors 1/2/0 (write, flush, fileno, readline) until _io exists:
 * writes go straight to the descriptor (stdout is flushed at exit, no
 * buffering), which keeps output ordered between threads because each
 * write() is one system call.  The module's dict is a regular dict. */
#include "Python.h"
#include "pycore_import.h"
#include "pycore_initconfig.h"
#include "pycore_ceval.h"
#include "pycore_frame.h"
#include "pycore_ceval_helpers.h"

#include <unistd.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <float.h>
#include "import.h"
#include "pycore_namespace.h"

/* ---- the fd file type ---- */

typedef struct {
    PyObject_HEAD
    int fd;
    PyObject *name;
} fdfileobject;

static PyObject *
fdfile_write(PyObject *self, PyObject *s)
{
    fdfileobject *f = (fdfileobject *)self;
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError,
                     "write() argument must be str, not %.100s",
                     Py_TYPE(s)->tp_name);
        return NULL;
    }
    Py_ssize_t size;
    const char *data = PyUnicode_AsUTF8AndSize(s, &size);
    if (data == NULL) {
        PyErr_Clear();
        PyObject *b = PyUnicode_AsEncodedString(s, "utf-8",
                                                "backslashreplace");
        if (b == NULL) {
            return NULL;
        }
        data = PyBytes_AS_STRING(b);
        size = PyBytes_GET_SIZE(b);
        Py_ssize_t off = 0;
        while (off < size) {
            ssize_t n = write(f->fd, data + off, (size_t)(size - off));
            if (n <= 0) {
                break;
            }
            off += n;
        }
        Py_DECREF(b);
        return PyLong_FromSsize_t(PyUnicode_GET_LENGTH(s));
    }
    Py_ssize_t off = 0;
    while (off < size) {
        ssize_t n;
        Py_BEGIN_ALLOW_THREADS
        n = write(f->fd, data + off, (size_t)(size - off));
        Py_END_ALLOW_THREADS
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return PyErr_SetFromErrno(PyExc_OSError);
        }
        off += n;
    }
    return PyLong_FromSsize_t(PyUnicode_GET_LENGTH(s));
}

static PyObject *
fdfile_flush(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_RETURN_NONE;
}

static PyObject *
fdfile_fileno(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(((fdfileobject *)self)->fd);
}

static PyObject *
fdfile_readline(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    fdfileobject *f = (fdfileobject *)self;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        char c;
        ssize_t n;
        Py_BEGIN_ALLOW_THREADS
        n = read(f->fd, &c, 1);
        Py_END_ALLOW_THREADS
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        if (len + 2 > cap) {
            cap = cap ? cap * 2 : 128;
            char *nb = PyMem_Realloc(buf, cap);
            if (nb == NULL) {
                PyMem_Free(buf);
                return PyErr_NoMemory();
            }
            buf = nb;
        }
        buf[len++] = c;
        if (c == '\n') {
            break;
        }
    }
    PyObject *res = PyUnicode_DecodeUTF8(buf ? buf : "", (Py_ssize_t)len,
                                         "surrogateescape");
    PyMem_Free(buf);
    return res;
}

static PyObject *
fdfile_isatty(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(isatty(((fdfileobject *)self)->fd));
}

static PyObject *
fdfile_get_encoding(PyObject *self, void *c)
{
    return PyUnicode_FromString("utf-8");
}

static PyObject *
fdfile_get_name(PyObject *self, void *c)
{
    return Py_NewRef(((fdfileobject *)self)->name);
}

static PyMethodDef fdfile_methods[] = {
    {"write", fdfile_write, METH_O, NULL},
    {"flush", fdfile_flush, METH_NOARGS, NULL},
    {"fileno", fdfile_fileno, METH_NOARGS, NULL},
    {"readline", fdfile_readline, METH_NOARGS, NULL},
    {"isatty", fdfile_isatty, METH_NOARGS, NULL},
    {NULL}
};

static PyGetSetDef fdfile_getset[] = {
    {"encoding", fdfile_get_encoding, NULL, NULL, NULL},
    {"name", fdfile_get_name, NULL, NULL, NULL},
    {NULL}
};

static void
fdfile_dealloc(PyObject *self)
{
    Py_XDECREF(((fdfileobject *)self)->name);
    PyObject_Free(self);
}

static PyTypeObject FdFile_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_plait_fdfile",
    .tp_basicsize = sizeof(fdfileobject),
    .tp_dealloc = fdfile_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = fdfile_methods,
    .tp_getset = fdfile_getset,
};

static PyObject *
fdfile_new(int fd, const char *name)
{
    fdfileobject *f = PyObject_New(fdfileobject, &FdFile_Type);
    if (f == NULL) {
        return NULL;
    }
    f->fd = fd;
    f->name = PyUnicode_FromString(name);
    if (f->name == NULL) {
        Py_DECREF(f);
        return NULL;
    }
    return (PyObject *)f;
}

/* ---- functions ---- */

PyObject *
_PySys_GetAttr(PyObject *name)
{
    PyObject *sysdict = _PyEval_GetInterpState()->sysdict;
    if (sysdict == NULL) {
        return NULL;
    }
    PyObject *v = NULL;
    if (PyDict_GetItemRef(sysdict, name, &v) < 0) {
        PyErr_Clear();
        return NULL;
    }
    /* Borrowed: sys attributes stay alive in practice; the dict keeps
       a reference. */
    Py_XDECREF(v);
    return v;
}

PyObject *
PySys_GetObject(const char *name)
{
    PyObject *n = PyUnicode_FromString(name);
    if (n == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *v = _PySys_GetAttr(n);
    Py_DECREF(n);
    return v;
}

int
PySys_SetObject(const char *name, PyObject *v)
{
    PyObject *sysdict = _PyEval_GetInterpState()->sysdict;
    if (v == NULL) {
        PyObject *old = NULL;
        PyObject *n = PyUnicode_FromString(name);
        int r = n ? PyDict_Pop(sysdict, n, &old) : -1;
        Py_XDECREF(n);
        Py_XDECREF(old);
        return r < 0 ? -1 : 0;
    }
    return PyDict_SetItemString(sysdict, name, v);
}

static PyObject *
sys_exit(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("exit", nargs, 0, 1)) {
        return NULL;
    }
    PyErr_SetObject(PyExc_SystemExit, nargs ? args[0] : Py_None);
    return NULL;
}

static PyObject *
sys_getrecursionlimit(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(Py_GetRecursionLimit());
}

static PyObject *
sys_setrecursionlimit(PyObject *self, PyObject *arg)
{
    int limit = _PyLong_AsInt(arg);
    if (limit == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (limit < 1) {
        PyErr_SetString(PyExc_ValueError,
                        "recursion limit must be greater or equal than 1");
        return NULL;
    }
    Py_SetRecursionLimit(limit);
    Py_RETURN_NONE;
}

static PyObject *
sys_exception(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *e = _PyErr_GetTopmostException(_PyThreadState_GET());
    return Py_NewRef(e != NULL ? e : Py_None);
}

static PyObject *
sys_exc_info(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *e = _PyErr_GetTopmostException(_PyThreadState_GET());
    if (e == NULL || e == Py_None) {
        return Py_BuildValue("(OOO)", Py_None, Py_None, Py_None);
    }
    PyObject *tb = PyException_GetTraceback(e);
    PyObject *r = Py_BuildValue("(OOO)", Py_TYPE(e), e,
                                tb ? tb : Py_None);
    Py_XDECREF(tb);
    return r;
}

static PyObject *
sys__getframe(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    int depth = 0;
    if (nargs > 0) {
        depth = _PyLong_AsInt(args[0]);
        if (depth == -1 && PyErr_Occurred()) {
            return NULL;
        }
    }
    _PyInterpreterFrame *f = _PyFrame_GetFirstComplete(
        _PyThreadState_GetFrame(_PyThreadState_GET()));
    while (depth > 0 && f != NULL) {
        f = _PyFrame_GetFirstComplete(f->previous);
        depth--;
    }
    if (f == NULL) {
        PyErr_SetString(PyExc_ValueError, "call stack is not deep enough");
        return NULL;
    }
    PyFrameObject *fo = _PyFrame_GetFrameObject(f);
    return Py_XNewRef((PyObject *)fo);
}

static PyObject *
sys_intern(PyObject *self, PyObject *s)
{
    if (!PyUnicode_CheckExact(s)) {
        PyErr_Format(PyExc_TypeError, "intern() argument must be str, not %s",
                     Py_TYPE(s)->tp_name);
        return NULL;
    }
    Py_INCREF(s);
    PyUnicode_InternInPlace(&s);
    return s;
}

static PyObject *
sys_is_gil_enabled(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_RETURN_FALSE;
}

static PyObject *
sys_getrefcount(PyObject *self, PyObject *o)
{
    return PyLong_FromSsize_t(Py_REFCNT(o));
}

static PyObject *
sys_displayhook(PyObject *self, PyObject *o)
{
    if (o == Py_None) {
        Py_RETURN_NONE;
    }
    PyObject *builtins = _PyEval_GetInterpState()->builtins;
    if (PyDict_SetItemString(builtins, "_", Py_None) < 0) {
        return NULL;
    }
    PyObject *out = _PySys_GetAttr(_Py_STR(stdout));
    if (out == NULL || out == Py_None) {
        PyErr_SetString(PyExc_RuntimeError, "lost sys.stdout");
        return NULL;
    }
    PyObject *r = PyObject_Repr(o);
    if (r == NULL) {
        return NULL;
    }
    PyObject *w = PyObject_CallMethodOneArg(out, _Py_STR(write), r);
    Py_DECREF(r);
    if (w == NULL) {
        return NULL;
    }
    Py_DECREF(w);
    PyObject *nl = PyUnicode_FromString("\n");
    w = nl ? PyObject_CallMethodOneArg(out, _Py_STR(write), nl) : NULL;
    Py_XDECREF(nl);
    if (w == NULL) {
        return NULL;
    }
    Py_DECREF(w);
    if (PyDict_SetItemString(builtins, "_", o) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

PyAPI_FUNC(void) _PyErr_DisplayTo(PyObject *file, PyObject *exc);

static PyObject *
sys_excepthook(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("excepthook", nargs, 3, 3)) {
        return NULL;
    }
    if (PyExceptionInstance_Check(args[1])) {
        _PyErr_DisplayTo(NULL, args[1]);
    }
    Py_RETURN_NONE;
}

/* The file system encoding and error handler: Plait always uses UTF-8
   with surrogateescape (PyUnicode_EncodeFSDefault / DecodeFSDefault), as
   CPython does on Linux in a UTF-8 locale. */
static PyObject *
sys_getfilesystemencoding(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromString("utf-8");
}

static PyObject *
sys_getfilesystemencodeerrors(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromString("surrogateescape");
}

/* audit(event, *args): Plait has no audit hooks (sys.addaudithook is
   not provided), and like CPython without hooks nothing is checked beyond
   the presence of an event. */
static PyObject *
sys_audit(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError,
                        "audit() missing 1 required positional argument: "
                        "'event'");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef sys_methods[] = {
    {"exit", _PyCFunction_CAST(sys_exit), METH_FASTCALL, NULL},
    {"getrecursionlimit", sys_getrecursionlimit, METH_NOARGS, NULL},
    {"setrecursionlimit", sys_setrecursionlimit, METH_O, NULL},
    {"exception", sys_exception, METH_NOARGS, NULL},
    {"exc_info", sys_exc_info, METH_NOARGS, NULL},
    {"_getframe", _PyCFunction_CAST(sys__getframe), METH_FASTCALL, NULL},
    {"intern", sys_intern, METH_O, NULL},
    {"_is_gil_enabled", sys_is_gil_enabled, METH_NOARGS, NULL},
    {"getrefcount", sys_getrefcount, METH_O, NULL},
    {"getfilesystemencoding", sys_getfilesystemencoding, METH_NOARGS, NULL},
    {"getfilesystemencodeerrors", sys_getfilesystemencodeerrors,
     METH_NOARGS, NULL},
    {"audit", _PyCFunction_CAST(sys_audit), METH_FASTCALL, NULL},
    {"displayhook", sys_displayhook, METH_O, NULL},
    {"excepthook", _PyCFunction_CAST(sys_excepthook), METH_FASTCALL, NULL},
    {NULL}
};

static struct PyModuleDef sysmodule = {
    PyModuleDef_HEAD_INIT, "sys", NULL, -1, sys_methods,
};

static int
set_str(PyObject *d, const char *name, const char *value)
{
    PyObject *v = PyUnicode_FromString(value);
    if (v == NULL) {
        return -1;
    }
    int r = PyDict_SetItemString(d, name, v);
    Py_DECREF(v);
    return r;
}

static int
set_obj(PyObject *d, const char *name, PyObject *v)
{
    if (v == NULL) {
        return -1;
    }
    int r = PyDict_SetItemString(d, name, v);
    Py_DECREF(v);
    return r;
}

/* The initial sys.path: the script's directory ('' for -c, -m, stdin or
   no argument), then the Plait source tree's Lib/ and the system stdlib.
   New reference. */
static PyObject *
make_sys_path(int argc, char **argv)
{
    PyObject *path = PyList_New(0);
    if (path == NULL) {
        return NULL;
    }
    char dir[PATH_MAX];
    dir[0] = '\0';
    if (argc > 0 && argv[0] != NULL && argv[0][0] != '\0'
        && strcmp(argv[0], "-c") != 0 && strcmp(argv[0], "-m") != 0
        && strcmp(argv[0], "-") != 0) {
        char full[PATH_MAX];
        if (realpath(argv[0], full) != NULL) {
            char *slash = strrchr(full, '/');
            if (slash == full) {
                slash[1] = '\0';
            }
            else if (slash != NULL) {
                *slash = '\0';
            }
            snprintf(dir, sizeof(dir), "%s", full);
        }
    }
    const char *entries[3] = {dir, PLAIT_BUILD_SRCDIR "/Lib",
                              PLAIT_STDLIB_DIR};
    for (int i = 0; i < 3; i++) {
        PyObject *s = PyUnicode_DecodeFSDefault(entries[i]);
        if (s == NULL || PyList_Append(path, s) < 0) {
            Py_XDECREF(s);
            Py_DECREF(path);
            return NULL;
        }
        Py_DECREF(s);
    }
    return path;
}

/* sys.builtin_module_names: builtins, sys and every C module of the
   inittab that is built, sorted.  New reference. */
static PyObject *
make_builtin_module_names(void)
{
    return _PyImport_BuiltinModuleNames();
}

/* ---- struct sequences: version_info, flags, float_info, ... ----
 *
 * The types are static and finished once, the first time sys is made; the
 * instances are built then and never change, so readers need no lock. */

static PyTypeObject VersionInfoType;
static PyTypeObject FlagsType;
static PyTypeObject FloatInfoType;
static PyTypeObject IntInfoType;
static PyTypeObject HashInfoType;
static PyTypeObject ThreadInfoType;

static PyStructSequence_Field version_info_fields[] = {
    {"major", "major release number"},
    {"minor", "minor release number"},
    {"micro", "patch release number"},
    {"releaselevel", "'alpha', 'beta', 'candidate' or 'final'"},
    {"serial", "serial release number"},
    {NULL, NULL}
};

static PyStructSequence_Desc version_info_desc = {
    "sys.version_info", "sys.version_info\n\nThe interpreter's version.",
    version_info_fields, 5
};

static PyStructSequence_Field flags_fields[] = {
    {"debug", "-d"}, {"inspect", "-i"}, {"interactive", "-i"},
    {"optimize", "-O or -OO"}, {"dont_write_bytecode", "-B"},
    {"no_user_site", "-s"}, {"no_site", "-S"},
    {"ignore_environment", "-E"}, {"verbose", "-v"},
    {"bytes_warning", "-b"}, {"quiet", "-q"},
    {"hash_randomization", "-R"}, {"isolated", "-I"},
    {"dev_mode", "-X dev"}, {"utf8_mode", "-X utf8"},
    {"warn_default_encoding", "-X warn_default_encoding"},
    {"safe_path", "-P"}, {"int_max_str_digits", "-X int_max_str_digits"},
    {NULL, NULL}
};

static PyStructSequence_Desc flags_desc = {
    "sys.flags", "sys.flags\n\nThe command line flags and environment "
    "settings in effect.", flags_fields, 18
};

static PyStructSequence_Field float_info_fields[] = {
    {"max", "DBL_MAX: largest finite float"},
    {"max_exp", "DBL_MAX_EXP"},
    {"max_10_exp", "DBL_MAX_10_EXP"},
    {"min", "DBL_MIN: smallest positive normalized float"},
    {"min_exp", "DBL_MIN_EXP"},
    {"min_10_exp", "DBL_MIN_10_EXP"},
    {"dig", "DBL_DIG: decimal digits a float holds faithfully"},
    {"mant_dig", "DBL_MANT_DIG: mantissa digits"},
    {"epsilon", "DBL_EPSILON: gap between 1.0 and the next float"},
    {"radix", "FLT_RADIX: radix of the exponent"},
    {"rounds", "FLT_ROUNDS: rounding mode"},
    {NULL, NULL}
};

static PyStructSequence_Desc float_info_desc = {
    "sys.float_info", "sys.float_info\n\nThe C double's limits and "
    "representation (see float.h).", float_info_fields, 11
};

static PyStructSequence_Field int_info_fields[] = {
    {"bits_per_digit", "bits in one digit of an int"},
    {"sizeof_digit", "size in bytes of the C digit type"},
    {"default_max_str_digits", "default int/str conversion digit limit"},
    {"str_digits_check_threshold", "smallest nonzero digit limit"},
    {NULL, NULL}
};

static PyStructSequence_Desc int_info_desc = {
    "sys.int_info", "sys.int_info\n\nHow ints are represented.",
    int_info_fields, 4
};

static PyStructSequence_Field hash_info_fields[] = {
    {"width", "bits in a hash value"},
    {"modulus", "prime modulus of numeric hashes"},
    {"inf", "hash of positive infinity"},
    {"nan", "hash of a nan (unused since 3.10)"},
    {"imag", "multiplier of a complex's imaginary part"},
    {"algorithm", "hash algorithm of str and bytes"},
    {"hash_bits", "output bits of the hash algorithm"},
    {"seed_bits", "seed bits of the hash algorithm"},
    {"cutoff", "small string optimization cutoff"},
    {NULL, NULL}
};

static PyStructSequence_Desc hash_info_desc = {
    "sys.hash_info", "hash_info\n\nParameters of hash().",
    hash_info_fields, 9
};

static PyStructSequence_Field thread_info_fields[] = {
    {"name", "name of the thread implementation"},
    {"lock", "name of the lock implementation"},
    {"version", "name and version of the thread library"},
    {NULL, NULL}
};

static PyStructSequence_Desc thread_info_desc = {
    "sys.thread_info", "sys.thread_info\n\nThe thread implementation.",
    thread_info_fields, 3
};

/* Finishes TYPE from DESC.  Like CPython, version_info and flags lose
   their constructor (they are singletons); the other info types keep it. */
static int
init_info_type(PyTypeObject *type, PyStructSequence_Desc *desc)
{
    if (type->tp_dict != NULL) {
        return 0;
    }
    if (PyStructSequence_InitType2(type, desc) < 0) {
        return -1;
    }
    if (type != &VersionInfoType && type != &FlagsType) {
        return 0;
    }
    type->tp_new = NULL;
    type->tp_flags |= Py_TPFLAGS_DISALLOW_INSTANTIATION;
    PyObject *dict = _PyType_GetDict(type);
    if (PyDict_GetItemString(dict, "__new__") != NULL &&
        PyDict_DelItemString(dict, "__new__") < 0) {
        return -1;
    }
    PyType_Modified(type);
    return 0;
}

/* New reference: an instance of TYPE whose fields are built by
   Py_BuildValue(FORMAT, ...), which must make a tuple of every field. */
static PyObject *
make_info(PyTypeObject *type, PyStructSequence_Desc *desc,
          const char *format, ...)
{
    if (init_info_type(type, desc) < 0) {
        return NULL;
    }
    va_list va;
    va_start(va, format);
    PyObject *values = Py_VaBuildValue(format, va);
    va_end(va);
    if (values == NULL) {
        return NULL;
    }
    PyObject *res = PyStructSequence_New(type);
    if (res == NULL) {
        Py_DECREF(values);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(values); i++) {
        PyStructSequence_SET_ITEM(res, i,
                                  Py_NewRef(PyTuple_GET_ITEM(values, i)));
    }
    Py_DECREF(values);
    return res;
}

/* New reference: sys.version_info (also sys.implementation.version). */
static PyObject *
make_version_info(void)
{
    return make_info(&VersionInfoType, &version_info_desc, "(iiisi)",
                     PY_MAJOR_VERSION, PY_MINOR_VERSION, PY_MICRO_VERSION,
                     "final", 0);
}

/* New reference: sys.flags as a plain `./python file.py` run sees them. */
static PyObject *
make_flags(void)
{
    unsigned long seed = 0;
    int fixed = _Py_HashSecret_GetSeed(&seed);
    int randomized = !(fixed == 1 && seed == 0);
    const _PyRuntimeFlags *f = &_Py_RuntimeFlags;
    return make_info(&FlagsType, &flags_desc, "(iiiiiiiiiiiiiOiiOi)",
                     0, f->inspect, f->interactive, f->optimize,
                     f->dont_write_bytecode, f->no_user_site, f->no_site,
                     f->ignore_environment, f->verbose, f->bytes_warning,
                     f->quiet, randomized, f->isolated, Py_False, 0, 0,
                     f->safe_path ? Py_True : Py_False,
                     f->int_max_str_digits);
}

/* New reference: sys.float_info from float.h. */
static PyObject *
make_float_info(void)
{
    return make_info(&FloatInfoType, &float_info_desc, "(diidiiiidii)",
                     DBL_MAX, DBL_MAX_EXP, DBL_MAX_10_EXP, DBL_MIN,
                     DBL_MIN_EXP, DBL_MIN_10_EXP, DBL_DIG, DBL_MANT_DIG,
                     DBL_EPSILON, FLT_RADIX, FLT_ROUNDS);
}

/* New reference: sys.int_info. */
static PyObject *
make_int_info(void)
{
    return make_info(&IntInfoType, &int_info_desc, "(iiii)",
                     PyLong_SHIFT, (int)sizeof(digit),
                     _PY_LONG_DEFAULT_MAX_STR_DIGITS,
                     _PY_LONG_MAX_STR_DIGITS_THRESHOLD);
}

/* New reference: sys.hash_info. */
static PyObject *
make_hash_info(void)
{
    PyHash_FuncDef *def = PyHash_GetFuncDef();
    return make_info(&HashInfoType, &hash_info_desc, "(inniisiii)",
                     (int)(8 * sizeof(Py_hash_t)),
                     (Py_ssize_t)_PyHASH_MODULUS, (Py_ssize_t)_PyHASH_INF,
                     0, (int)_PyHASH_IMAG, def->name, def->hash_bits,
                     def->seed_bits, 0);
}

/* New reference: sys.thread_info. */
static PyObject *
make_thread_info(void)
{
    char version[64];
    size_t n = confstr(_CS_GNU_LIBPTHREAD_VERSION, version,
                       sizeof(version));
    PyObject *v = n > 0 && n <= sizeof(version)
                      ? PyUnicode_FromString(version)
                      : Py_NewRef(Py_None);
    if (v == NULL) {
        return NULL;
    }
    PyObject *res = make_info(&ThreadInfoType, &thread_info_desc, "(ssO)",
                              "pthread", "mutex+cond", v);
    Py_DECREF(v);
    return res;
}

/* New reference: sys.implementation, a types.SimpleNamespace as in
   CPython (types.py takes SimpleNamespace from its type). */
static PyObject *
make_implementation(void)
{
    PyObject *kw = PyDict_New();
    if (kw == NULL) {
        return NULL;
    }
    int err = 0;
    err |= set_str(kw, "name", "plait");
    err |= set_str(kw, "cache_tag", "plait-311");
    err |= set_obj(kw, "version", make_version_info());
    err |= set_obj(kw, "hexversion", PyLong_FromLong(PY_VERSION_HEX));
#if defined(__x86_64__)
    err |= set_str(kw, "_multiarch", "x86_64-linux-gnu");
#elif defined(__aarch64__)
    err |= set_str(kw, "_multiarch", "aarch64-linux-gnu");
#endif
    PyObject *ns = err ? NULL : _PyNamespace_New(kw);
    Py_DECREF(kw);
    return ns;
}

/* Python/sysextras.c: the rest of sys (paths, constants, audit hooks). */
PyAPI_FUNC(int) _PySys_AddExtras(PyObject *mod);

/* Makes sys with argv ARGV[0:ARGC] and the executable path. */
PyObject *
_PySys_Create(int argc, char **argv, const char *executable)
{
    if (PyType_Ready(&FdFile_Type) < 0) {
        return NULL;
    }
    PyObject *mod = PyModule_Create(&sysmodule);
    if (mod == NULL) {
        return NULL;
    }
    PyObject *d = PyModule_GetDict(mod);
    _PyEval_GetInterpState()->sysdict = d;
    _PyEval_GetInterpState()->sys_module = mod;
    PyObject *av = PyList_New(0);
    for (int i = 0; av != NULL && i < argc; i++) {
        PyObject *s = PyUnicode_DecodeFSDefault(argv[i]);
        if (s == NULL || PyList_Append(av, s) < 0) {
            Py_XDECREF(s);
            Py_CLEAR(av);
            break;
        }
        Py_DECREF(s);
    }
    if (argc == 0 && av != NULL) {
        PyObject *e = PyUnicode_FromString("");
        PyList_Append(av, e);
        Py_XDECREF(e);
    }
    int err = 0;
    err |= set_obj(d, "argv", av);
    err |= set_obj(d, "path", make_sys_path(argc, argv));
    err |= set_obj(d, "meta_path", PyList_New(0));
    err |= set_obj(d, "path_hooks", PyList_New(0));
    err |= set_obj(d, "path_importer_cache", PyDict_New());
    err |= PyDict_SetItemString(d, "modules",
                                _PyEval_GetInterpState()->modules);
    PyObject *out = fdfile_new(1, "<stdout>");
    PyObject *errf = fdfile_new(2, "<stderr>");
    PyObject *in = fdfile_new(0, "<stdin>");
    err |= PyDict_SetItemString(d, "stdout", out);
    err |= PyDict_SetItemString(d, "__stdout__", out);
    err |= PyDict_SetItemString(d, "stderr", errf);
    err |= PyDict_SetItemString(d, "__stderr__", errf);
    err |= PyDict_SetItemString(d, "stdin", in);
    err |= PyDict_SetItemString(d, "__stdin__", in);
    Py_XDECREF(out);
    Py_XDECREF(errf);
    Py_XDECREF(in);
    err |= set_str(d, "version", Py_GetVersion());
    err |= set_obj(d, "version_info", make_version_info());
    err |= set_obj(d, "float_info", make_float_info());
    err |= set_obj(d, "int_info", make_int_info());
    err |= set_obj(d, "hash_info", make_hash_info());
    err |= set_obj(d, "thread_info", make_thread_info());
    err |= set_obj(d, "hexversion", PyLong_FromLong(PY_VERSION_HEX));
    err |= set_obj(d, "implementation", make_implementation());
    err |= set_str(d, "platform", "linux");
    err |= set_str(d, "byteorder", "little");
    err |= set_str(d, "abiflags", "t");
    err |= set_obj(d, "maxsize", PyLong_FromSsize_t(PY_SSIZE_T_MAX));
    err |= set_obj(d, "maxunicode", PyLong_FromLong(0x10FFFF));
    err |= set_str(d, "executable", executable ? executable : "");
    err |= set_obj(d, "flags", make_flags());
    err |= set_obj(d, "dont_write_bytecode",
                   PyBool_FromLong(_Py_RuntimeFlags.dont_write_bytecode));
    err |= set_obj(d, "pycache_prefix", Py_NewRef(Py_None));
    err |= set_obj(d, "builtin_module_names", make_builtin_module_names());
    err |= set_obj(d, "warnoptions", PyList_New(0));
    err |= set_obj(d, "_xoptions", PyDict_New());
    PyObject *hook = PyDict_GetItemString(d, "displayhook");
    if (hook != NULL) {
        err |= PyDict_SetItemString(d, "__displayhook__", hook);
    }
    hook = PyDict_GetItemString(d, "excepthook");
    if (hook != NULL) {
        err |= PyDict_SetItemString(d, "__excepthook__", hook);
    }
    if (!err && _PySys_AddExtras(mod) < 0) {
        err = 1;
    }
    if (err || PyErr_Occurred()) {
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
