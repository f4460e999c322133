/* The pwd module: the Unix password database (getpwuid, getpwnam,
 * getpwall) returning pwd.struct_passwd, as in CPython 3.11.
 *
 * Thread safety: lookups by uid and name use the reentrant getpw*_r calls
 * with a buffer of their own, and detach while the C library reads the
 * database.  getpwall walks the process-wide setpwent/getpwent cursor,
 * which no _r call protects, so it holds pwd_enum_lock (a static PyMutex,
 * the module's only mutable static) for the walk; a PyMutex may be held
 * while detached. */
#include "Python.h"
#include <pwd.h>
#include <sys/types.h>
#include "uidconv.h"

static PyStructSequence_Field struct_passwd_fields[] = {
    {"pw_name", "user name"},
    {"pw_passwd", "password"},
    {"pw_uid", "user id"},
    {"pw_gid", "group id"},
    {"pw_gecos", "real name"},
    {"pw_dir", "home directory"},
    {"pw_shell", "shell program"},
    {NULL, NULL},
};

static PyStructSequence_Desc struct_passwd_desc = {
    "pwd.struct_passwd",
    "pwd.struct_passwd: Results from getpw*() routines.\n\n"
    "This object may be accessed either as a tuple of\n"
    "  (pw_name,pw_passwd,pw_uid,pw_gid,pw_gecos,pw_dir,pw_shell)\n"
    "or via the object attributes as named in the above tuple.",
    struct_passwd_fields,
    7,
};

/* Filled once by the module's exec; immutable afterwards. */
static PyTypeObject StructPasswdType;
static PyMutex pwd_enum_lock;

/* New reference: a str for a C string from the database (None for NULL). */
static PyObject *
pwd_str(const char *s)
{
    if (s == NULL) {
        Py_RETURN_NONE;
    }
    return PyUnicode_DecodeFSDefault(s);
}

/* New reference: a struct_passwd built from the C entry P. */
static PyObject *
pwd_make_entry(const struct passwd *p)
{
    PyObject *v = PyStructSequence_New(&StructPasswdType);
    if (v == NULL) {
        return NULL;
    }
    PyObject *items[7] = {
        pwd_str(p->pw_name), pwd_str(p->pw_passwd),
        _PyUidConv_ToLong(p->pw_uid), _PyUidConv_ToLong(p->pw_gid),
        pwd_str(p->pw_gecos), pwd_str(p->pw_dir), pwd_str(p->pw_shell),
    };
    int failed = 0;
    for (int i = 0; i < 7; i++) {
        if (items[i] == NULL) {
            failed = 1;
        }
        PyStructSequence_SetItem(v, i, items[i]);
    }
    if (failed) {
        Py_DECREF(v);
        return NULL;
    }
    return v;
}

/* The starting size of a getpw*_r buffer. */
static size_t
pwd_initial_bufsize(void)
{
    long n = sysconf(_SC_GETPW_R_SIZE_MAX);
    return n > 0 ? (size_t)n : 1024;
}

/* Runs getpwuid_r (NAME == NULL) or getpwnam_r detached, growing the
   buffer on ERANGE.  Returns a new entry, NULL with KeyError-free "not
   found" (*found = 0), or NULL with an exception set (MemoryError). */
static PyObject *
pwd_lookup(uid_t uid, const char *name, int *found)
{
    size_t size = pwd_initial_bufsize();
    *found = 0;
    for (;;) {
        char *buf = PyMem_RawMalloc(size);
        if (buf == NULL) {
            return PyErr_NoMemory();
        }
        struct passwd pw, *res = NULL;
        int rc;
        Py_BEGIN_ALLOW_THREADS
        if (name == NULL) {
            rc = getpwuid_r(uid, &pw, buf, size, &res);
        }
        else {
            rc = getpwnam_r(name, &pw, buf, size, &res);
        }
        Py_END_ALLOW_THREADS
        if (rc == ERANGE && size < ((size_t)1 << 26)) {
            PyMem_RawFree(buf);
            size *= 2;
            continue;
        }
        PyObject *out = NULL;
        if (res != NULL) {
            *found = 1;
            out = pwd_make_entry(&pw);
        }
        PyMem_RawFree(buf);
        return out;
    }
}

static const char pwd_getpwuid_doc[] =
"getpwuid($module, uidobj, /)\n--\n\n"
"Return the password database entry for the given numeric user ID.\n\n"
"See `help(pwd)` for more on password database entries.";

/* New reference: the entry for the uid ARG (borrowed) or KeyError. */
static PyObject *
pwd_getpwuid(PyObject *module, PyObject *arg)
{
    unsigned int uid;
    if (_PyUidConv_Id(arg, "uid", &uid) < 0) {
        if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PyErr_Clear();
            PyErr_SetString(PyExc_KeyError, "getpwuid(): uid not found");
        }
        return NULL;
    }
    int found;
    PyObject *v = pwd_lookup((uid_t)uid, NULL, &found);
    if (v == NULL && !found && !PyErr_Occurred()) {
        PyObject *u = _PyUidConv_ToLong(uid);
        if (u != NULL) {
            PyErr_Format(PyExc_KeyError, "getpwuid(): uid not found: %S", u);
            Py_DECREF(u);
        }
    }
    return v;
}

static const char pwd_getpwnam_doc[] =
"getpwnam($module, name, /)\n--\n\n"
"Return the password database entry for the given user name.\n\n"
"See `help(pwd)` for more on password database entries.";

/* New reference: the entry for the user name ARG (borrowed) or KeyError. */
static PyObject *
pwd_getpwnam(PyObject *module, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError,
                     "getpwnam() argument must be str, not %.200s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    PyObject *bytes = PyUnicode_EncodeFSDefault(arg);
    if (bytes == NULL) {
        return NULL;
    }
    const char *name = PyBytes_AS_STRING(bytes);
    if ((Py_ssize_t)strlen(name) != PyBytes_GET_SIZE(bytes)) {
        Py_DECREF(bytes);
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        return NULL;
    }
    int found;
    PyObject *v = pwd_lookup(0, name, &found);
    Py_DECREF(bytes);
    if (v == NULL && !found && !PyErr_Occurred()) {
        PyErr_Format(PyExc_KeyError, "getpwnam(): name not found: %R", arg);
    }
    return v;
}

static const char pwd_getpwall_doc[] =
"getpwall($module, /)\n--\n\n"
"Return a list of all available password database entries, in arbitrary order.\n\n"
"See help(pwd) for more on password database entries.";

/* New reference: a list of every entry.  Holds pwd_enum_lock across the
   walk of the shared getpwent cursor. */
static PyObject *
pwd_getpwall(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    PyMutex_Lock(&pwd_enum_lock);
    setpwent();
    Py_END_ALLOW_THREADS
    for (;;) {
        struct passwd *p;
        Py_BEGIN_ALLOW_THREADS
        p = getpwent();
        Py_END_ALLOW_THREADS
        if (p == NULL) {
            break;
        }
        PyObject *v = pwd_make_entry(p);
        if (v == NULL || PyList_Append(list, v) < 0) {
            Py_XDECREF(v);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(v);
    }
    endpwent();
    PyMutex_Unlock(&pwd_enum_lock);
    return list;
}

static PyMethodDef pwd_methods[] = {
    {"getpwuid", pwd_getpwuid, METH_O, pwd_getpwuid_doc},
    {"getpwnam", pwd_getpwnam, METH_O, pwd_getpwnam_doc},
    {"getpwall", pwd_getpwall, METH_NOARGS, pwd_getpwall_doc},
    {NULL, NULL, 0, NULL},
};

static const char pwd_doc[] =
"This module provides access to the Unix password database.\n"
"It is available on all Unix versions.\n\n"
"Password database entries are reported as 7-tuples containing the following\n"
"items from the password database (see `<pwd.h>'), in order:\n"
"pw_name, pw_passwd, pw_uid, pw_gid, pw_gecos, pw_dir, pw_shell.\n"
"The uid and gid items are integers, all others are strings. An\n"
"exception is raised if the entry asked for cannot be found.";

static struct PyModuleDef pwd_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "pwd",
    .m_doc = pwd_doc,
    .m_size = 0,
    .m_methods = pwd_methods,
};

/* Readies struct_passwd; 0 or -1.  InitType2 returns at once for a ready
   type, and the import lock serialises first imports. */
static int
pwd_init_type(void)
{
    return PyStructSequence_InitType2(&StructPasswdType, &struct_passwd_desc);
}

/* Module entry point for the inittab; a new reference or NULL. */
PyMODINIT_FUNC
PyInit_pwd(void)
{
    if (pwd_init_type() < 0) {
        return NULL;
    }
    PyObject *mod = PyModule_Create(&pwd_module);
    if (mod == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(mod, "struct_passwd",
                              (PyObject *)&StructPasswdType) < 0) {
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
