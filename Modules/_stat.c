/* The _stat module: S_IS* predicates, the stat constants and filemode().
 *
 * Thread safety: the module holds only immutable ints and functions;
 * nothing here is mutable after init. */
#include "Python.h"
#include <sys/stat.h>

/* Values Linux lacks; 0 as in CPython on such systems. */
#ifndef S_IFDOOR
#  define S_IFDOOR 0
#endif
#ifndef S_IFPORT
#  define S_IFPORT 0
#endif
#ifndef S_IFWHT
#  define S_IFWHT 0
#endif

/* Converts a Python int to a mode; (unsigned long)-1 with an error set.
   Borrows op.  Messages as CPython 3.11's _stat. */
static unsigned long
stat_mode_converter(PyObject *op)
{
    if (!PyLong_Check(op)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return (unsigned long)-1;
    }
    unsigned long value = PyLong_AsUnsignedLong(op);
    if (value == (unsigned long)-1 && PyErr_Occurred()) {
        return (unsigned long)-1;
    }
    if (value > 0xffffffffUL) {
        PyErr_SetString(PyExc_OverflowError, "mode out of range");
        return (unsigned long)-1;
    }
    return value;
}

/* Defines stat_S_ISxxx(module, mode) returning a new bool reference. */
#define STAT_PREDICATE(NAME, TEST)                                      \
    static PyObject *                                                   \
    stat_##NAME(PyObject *self, PyObject *op)                           \
    {                                                                   \
        unsigned long mode = stat_mode_converter(op);                   \
        if (mode == (unsigned long)-1 && PyErr_Occurred()) {            \
            return NULL;                                                \
        }                                                               \
        return PyBool_FromLong(TEST);                                   \
    }

STAT_PREDICATE(S_ISDIR, (mode & S_IFMT) == S_IFDIR)
STAT_PREDICATE(S_ISCHR, (mode & S_IFMT) == S_IFCHR)
STAT_PREDICATE(S_ISBLK, (mode & S_IFMT) == S_IFBLK)
STAT_PREDICATE(S_ISREG, (mode & S_IFMT) == S_IFREG)
STAT_PREDICATE(S_ISFIFO, (mode & S_IFMT) == S_IFIFO)
STAT_PREDICATE(S_ISLNK, (mode & S_IFMT) == S_IFLNK)
STAT_PREDICATE(S_ISSOCK, (mode & S_IFMT) == S_IFSOCK)
STAT_PREDICATE(S_ISDOOR, 0)
STAT_PREDICATE(S_ISPORT, 0)
STAT_PREDICATE(S_ISWHT, 0)

/* S_IMODE(mode): the permission bits; a new int reference. */
static PyObject *
stat_S_IMODE(PyObject *self, PyObject *op)
{
    unsigned long mode = stat_mode_converter(op);
    if (mode == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(mode & 07777);
}

/* S_IFMT(mode): the file type bits; a new int reference. */
static PyObject *
stat_S_IFMT(PyObject *self, PyObject *op)
{
    unsigned long mode = stat_mode_converter(op);
    if (mode == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(mode & S_IFMT);
}

/* The type letter filemode() puts first, as ls does. */
static char
stat_filetype_char(unsigned long mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return '-';
    case S_IFDIR: return 'd';
    case S_IFLNK: return 'l';
    case S_IFBLK: return 'b';
    case S_IFCHR: return 'c';
    case S_IFIFO: return 'p';
    case S_IFSOCK: return 's';
    default: return '?';
    }
}

/* One execute slot: x, the special letter when both are set, its
   capital when only the special bit is. */
static char
stat_exec_char(unsigned long mode, unsigned long xbit,
               unsigned long special, char letter)
{
    if (mode & special) {
        return (mode & xbit) ? letter : (char)(letter - 'a' + 'A');
    }
    return (mode & xbit) ? 'x' : '-';
}

/* filemode(mode): '-rwxr-xr-x' style string; a new str reference. */
static PyObject *
stat_filemode(PyObject *self, PyObject *op)
{
    unsigned long mode = stat_mode_converter(op);
    if (mode == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    char buf[10];
    buf[0] = stat_filetype_char(mode);
    buf[1] = (mode & S_IRUSR) ? 'r' : '-';
    buf[2] = (mode & S_IWUSR) ? 'w' : '-';
    buf[3] = stat_exec_char(mode, S_IXUSR, S_ISUID, 's');
    buf[4] = (mode & S_IRGRP) ? 'r' : '-';
    buf[5] = (mode & S_IWGRP) ? 'w' : '-';
    buf[6] = stat_exec_char(mode, S_IXGRP, S_ISGID, 's');
    buf[7] = (mode & S_IROTH) ? 'r' : '-';
    buf[8] = (mode & S_IWOTH) ? 'w' : '-';
    buf[9] = stat_exec_char(mode, S_IXOTH, S_ISVTX, 't');
    return PyUnicode_FromStringAndSize(buf, 10);
}

static PyMethodDef stat_methods[] = {
    {"S_ISDIR", stat_S_ISDIR, METH_O, "S_ISDIR(mode) -> bool"},
    {"S_ISCHR", stat_S_ISCHR, METH_O, "S_ISCHR(mode) -> bool"},
    {"S_ISBLK", stat_S_ISBLK, METH_O, "S_ISBLK(mode) -> bool"},
    {"S_ISREG", stat_S_ISREG, METH_O, "S_ISREG(mode) -> bool"},
    {"S_ISFIFO", stat_S_ISFIFO, METH_O, "S_ISFIFO(mode) -> bool"},
    {"S_ISLNK", stat_S_ISLNK, METH_O, "S_ISLNK(mode) -> bool"},
    {"S_ISSOCK", stat_S_ISSOCK, METH_O, "S_ISSOCK(mode) -> bool"},
    {"S_ISDOOR", stat_S_ISDOOR, METH_O, "S_ISDOOR(mode) -> bool"},
    {"S_ISPORT", stat_S_ISPORT, METH_O, "S_ISPORT(mode) -> bool"},
    {"S_ISWHT", stat_S_ISWHT, METH_O, "S_ISWHT(mode) -> bool"},
    {"S_IMODE", stat_S_IMODE, METH_O, "Return the portion of the file's "
     "mode that can be set by os.chmod()."},
    {"S_IFMT", stat_S_IFMT, METH_O, "Return the portion of the file's "
     "mode that describes the file type."},
    {"filemode", stat_filemode, METH_O, "Convert a file's mode to a string "
     "of the form '-rwxrwxrwx'"},
    {NULL, NULL, 0, NULL},
};

typedef struct {
    const char *name;
    long value;
} _PyStat_Const;

static const _PyStat_Const stat_constants[] = {
    {"S_IFDIR", S_IFDIR}, {"S_IFCHR", S_IFCHR},
    {"S_IFBLK", S_IFBLK}, {"S_IFREG", S_IFREG}, {"S_IFIFO", S_IFIFO},
    {"S_IFLNK", S_IFLNK}, {"S_IFSOCK", S_IFSOCK}, {"S_IFDOOR", S_IFDOOR},
    {"S_IFPORT", S_IFPORT}, {"S_IFWHT", S_IFWHT},
    {"S_ISUID", S_ISUID}, {"S_ISGID", S_ISGID}, {"S_ISVTX", S_ISVTX},
    {"S_ENFMT", S_ISGID},
    {"S_IREAD", S_IRUSR}, {"S_IWRITE", S_IWUSR}, {"S_IEXEC", S_IXUSR},
    {"S_IRWXU", S_IRWXU}, {"S_IRUSR", S_IRUSR}, {"S_IWUSR", S_IWUSR},
    {"S_IXUSR", S_IXUSR}, {"S_IRWXG", S_IRWXG}, {"S_IRGRP", S_IRGRP},
    {"S_IWGRP", S_IWGRP}, {"S_IXGRP", S_IXGRP}, {"S_IRWXO", S_IRWXO},
    {"S_IROTH", S_IROTH}, {"S_IWOTH", S_IWOTH}, {"S_IXOTH", S_IXOTH},
    /* BSD file flags, as the documented values. */
    {"UF_NODUMP", 0x1}, {"UF_IMMUTABLE", 0x2}, {"UF_APPEND", 0x4},
    {"UF_OPAQUE", 0x8}, {"UF_NOUNLINK", 0x10}, {"UF_COMPRESSED", 0x20},
    {"UF_HIDDEN", 0x8000}, {"SF_ARCHIVED", 0x10000},
    {"SF_IMMUTABLE", 0x20000}, {"SF_APPEND", 0x40000},
    {"SF_NOUNLINK", 0x100000}, {"SF_SNAPSHOT", 0x200000},
    /* Indexes into the stat tuple. */
    {"ST_MODE", 0}, {"ST_INO", 1}, {"ST_DEV", 2}, {"ST_NLINK", 3},
    {"ST_UID", 4}, {"ST_GID", 5}, {"ST_SIZE", 6}, {"ST_ATIME", 7},
    {"ST_MTIME", 8}, {"ST_CTIME", 9},
    {NULL, 0},
};

static struct PyModuleDef stat_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_stat",
    .m_doc = "S_IFMT_: file type bits\n"
             "S_IFDIR: directory\n"
             "S_IFCHR: character device\n"
             "S_IFBLK: block device\n"
             "S_IFREG: regular file\n"
             "S_IFIFO: fifo (named pipe)\n"
             "S_IFLNK: symbolic link\n"
             "S_IFSOCK: socket file\n",
    .m_size = 0,
    .m_methods = stat_methods,
};

/* Module entry point for the inittab; a new reference or NULL. */
PyMODINIT_FUNC
PyInit__stat(void)
{
    PyObject *mod = PyModule_Create(&stat_module);
    if (mod == NULL) {
        return NULL;
    }
    for (const _PyStat_Const *c = stat_constants; c->name != NULL; c++) {
        if (PyModule_AddIntConstant(mod, c->name, c->value) < 0) {
            Py_DECREF(mod);
            return NULL;
        }
    }
    return mod;
}
