/* The grp module: the Unix group database (getgrgid, getgrnam, getgrall)
 * returning grp.struct_group, as in CPython 3.11.
 *
 * Thread safety: lookups by gid and name use the reentrant getgr*_r calls
 * with a buffer of their own, detached.  getgrall walks the process-wide
 * setgrent/getgrent cursor under grp_enum_lock (a static PyMutex, the
 * module's only mutable static). */
#include "Python.h"
#include <grp.h>
#include <sys/types.h>
#include "uidconv.h"

static PyStructSequence_Field struct_group_fields[] = {
    {"gr_name", "group name"},
    {"gr_passwd", "password"},
    {"gr_gid", "group id"},
    {"gr_mem", "group members"},
    {NULL, NULL},
};

static PyStructSequence_Desc struct_group_desc = {
    "grp.struct_group",
    "grp.struct_group: Results from getgr*() routines.\n\n"
    "This object may be accessed either as a tuple of\n"
    "  (gr_name,gr_passwd,gr_gid,gr_mem)\n"
    "or via the object attributes as named in the above tuple.",
    struct_group_fields,
    4,
};

/* Filled once by the module's init; immutable afterwards. */
static PyTypeObject StructGroupType;
static PyMutex grp_enum_lock;

/* New reference: a str for a C string from the database (None for NULL). */
static PyObject *
grp_str(const char *s)
{
    if (s == NULL) {
        Py_RETURN_NONE;
    }
    return PyUnicode_DecodeFSDefault(s);
}

/* New reference: the list of member names of G. */
static PyObject *
grp_members(const struct group *g)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    for (char **m = g->gr_mem; m != NULL && *m != NULL; m++) {
        PyObject *s = PyUnicode_DecodeFSDefault(*m);
        if (s == NULL || PyList_Append(list, s) < 0) {
            Py_XDECREF(s);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(s);
    }
    return list;
}

/* New reference: a struct_group built from the C entry G. */
static PyObject *
grp_make_entry(const struct group *g)
{
    PyObject *v = PyStructSequence_New(&StructGroupType);
    if (v == NULL) {
        return NULL;
    }
    PyObject *items[4] = {
        grp_str(g->gr_name), grp_str(g->gr_passwd),
        _PyUidConv_ToLong(g->gr_gid), grp_members(g),
    };
    int failed = 0;
    for (int i = 0; i < 4; i++) {
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

/* The starting size of a getgr*_r buffer. */
static size_t
grp_initial_bufsize(void)
{
    long n = sysconf(_SC_GETGR_R_SIZE_MAX);
    return n > 0 ? (size_t)n : 1024;
}

/* Runs getgrgid_r (NAME == NULL) or getgrnam_r detached, growing the
   buffer on ERANGE.  A new entry; or NULL with *found = 0 and no error
   (not found); or NULL with an exception set. */
static PyObject *
grp_lookup(gid_t gid, const char *name, int *found)
{
    size_t size = grp_initial_bufsize();
    *found = 0;
    for (;;) {
        char *buf = PyMem_RawMalloc(size);
        if (buf == NULL) {
            return PyErr_NoMemory();
        }
        struct group gr, *res = NULL;
        int rc;
        Py_BEGIN_ALLOW_THREADS
        if (name == NULL) {
            rc = getgrgid_r(gid, &gr, buf, size, &res);
        }
        else {
            rc = getgrnam_r(name, &gr, buf, size, &res);
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
            out = grp_make_entry(&gr);
        }
        PyMem_RawFree(buf);
        return out;
    }
}

static const char grp_getgrgid_doc[] =
"getgrgid($module, /, id)\n--\n\n"
"Return the group database entry for the given numeric group ID.\n\n"
"If id is not valid, raise KeyError.";

/* New reference: the entry for the gid `id` or KeyError. */
static PyObject *
grp_getgrgid(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"id", NULL};
    PyObject *obj;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:getgrgid", kwlist,
                                     &obj)) {
        return NULL;
    }
    unsigned int gid;
    if (_PyUidConv_Id(obj, "gid", &gid) < 0) {
        return NULL;
    }
    int found;
    PyObject *v = grp_lookup((gid_t)gid, NULL, &found);
    if (v == NULL && !found && !PyErr_Occurred()) {
        PyObject *g = _PyUidConv_ToLong(gid);
        if (g != NULL) {
            PyErr_Format(PyExc_KeyError, "getgrgid(): gid not found: %S", g);
            Py_DECREF(g);
        }
    }
    return v;
}

static const char grp_getgrnam_doc[] =
"getgrnam($module, /, name)\n--\n\n"
"Return the group database entry for the given group name.\n\n"
"If name is not valid, raise KeyError.";

/* New reference: the entry for the group `name` or KeyError. */
static PyObject *
grp_getgrnam(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"name", NULL};
    PyObject *arg;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "U:getgrnam", kwlist,
                                     &arg)) {
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
    PyObject *v = grp_lookup(0, name, &found);
    Py_DECREF(bytes);
    if (v == NULL && !found && !PyErr_Occurred()) {
        PyErr_Format(PyExc_KeyError, "getgrnam(): name not found: %R", arg);
    }
    return v;
}

static const char grp_getgrall_doc[] =
"getgrall($module, /)\n--\n\n"
"Return a list of all available group entries, in arbitrary order.\n\n"
"An entry whose name starts with '+' or '-' represents an instruction\n"
"to use YP/NIS and may not be accessible via getgrnam or getgrgid.";

/* New reference: a list of every entry, walked under grp_enum_lock. */
static PyObject *
grp_getgrall(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    PyMutex_Lock(&grp_enum_lock);
    setgrent();
    Py_END_ALLOW_THREADS
    for (;;) {
        struct group *g;
        Py_BEGIN_ALLOW_THREADS
        g = getgrent();
        Py_END_ALLOW_THREADS
        if (g == NULL) {
            break;
        }
        PyObject *v = grp_make_entry(g);
        if (v == NULL || PyList_Append(list, v) < 0) {
            Py_XDECREF(v);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(v);
    }
    endgrent();
    PyMutex_Unlock(&grp_enum_lock);
    return list;
}

static PyMethodDef grp_methods[] = {
    {"getgrgid", (PyCFunction)(void (*)(void))grp_getgrgid,
     METH_VARARGS | METH_KEYWORDS, grp_getgrgid_doc},
    {"getgrnam", (PyCFunction)(void (*)(void))grp_getgrnam,
     METH_VARARGS | METH_KEYWORDS, grp_getgrnam_doc},
    {"getgrall", grp_getgrall, METH_NOARGS, grp_getgrall_doc},
    {NULL, NULL, 0, NULL},
};

static const char grp_doc[] =
"Access to the Unix group database.\n\n"
"Group entries are reported as 4-tuples containing the following fields\n"
"from the group database, in order:\n\n"
"  gr_name   - name of the group\n"
"  gr_passwd - group password (encrypted); often empty\n"
"  gr_gid    - numeric ID of the group\n"
"  gr_mem    - list of members\n\n"
"The gid is an integer, name and password are strings.  (Note that most\n"
"users are not explicitly listed as members of the groups they are in\n"
"according to the password database.  Check both databases to get\n"
"complete membership information.)";

static struct PyModuleDef grp_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "grp",
    .m_doc = grp_doc,
    .m_size = 0,
    .m_methods = grp_methods,
};

/* Module entry point for the inittab; a new reference or NULL.  InitType2
   returns at once for a ready type; the import lock serialises first
   imports. */
PyMODINIT_FUNC
PyInit_grp(void)
{
    if (PyStructSequence_InitType2(&StructGroupType, &struct_group_desc) < 0) {
        return NULL;
    }
    PyObject *mod = PyModule_Create(&grp_module);
    if (mod == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(mod, "struct_group",
                              (PyObject *)&StructGroupType) < 0) {
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
