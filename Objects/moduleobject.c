/* Module objects and module definitions (single- and multi-phase init).
 *
 * Thread safety: md_dict is an ordinary dict (its own locking); md_def,
 * md_state and md_name are set while the module is created and never
 * change afterwards; the state memory belongs to the extension, which
 * must protect it itself. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_excstate.h"
#include "pycore_global_strings.h"
#include "pycore_typeobject.h"
#include "pycore_call.h"
#include "pycore_dict.h"
#include "structmember.h"

#include <stddef.h>

typedef struct {
    PyObject_HEAD
    PyObject *md_dict;
    PyModuleDef *md_def;
    void *md_state;
    PyObject *md_weaklist;
    PyObject *md_name;      /* for error messages when __name__ is gone */
} PyModuleObject;

static PyMemberDef module_members[] = {
    {"__dict__", T_OBJECT, offsetof(PyModuleObject, md_dict), READONLY,
     NULL},
    {NULL, 0, 0, 0, NULL}
};

PyTypeObject PyModuleDef_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "moduledef",
    .tp_basicsize = sizeof(PyModuleDef),
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

/* Makes `def` an object for multi-phase init (borrowed: defs are static
   and live forever). */
PyObject *
PyModuleDef_Init(PyModuleDef *def)
{
    if (Py_TYPE(def) == NULL) {
        _PyObject_InitHeader((PyObject *)def, &PyModuleDef_Type);
        _Py_SetImmortal((PyObject *)def);
    }
    return (PyObject *)def;
}

static int
module_init_dict(PyModuleObject *mod, PyObject *md_dict, PyObject *name,
                 PyObject *doc)
{
    if (doc == NULL) {
        doc = Py_None;
    }
    if (PyDict_SetItem(md_dict, _Py_ID(__name__), name) != 0 ||
        PyDict_SetItem(md_dict, _Py_ID(__doc__), doc) != 0 ||
        PyDict_SetItem(md_dict, _Py_ID(__package__), Py_None) != 0 ||
        PyDict_SetItem(md_dict, _Py_ID(__loader__), Py_None) != 0 ||
        PyDict_SetItem(md_dict, _Py_ID(__spec__), Py_None) != 0) {
        return -1;
    }
    if (PyUnicode_CheckExact(name)) {
        Py_XSETREF(mod->md_name, Py_NewRef(name));
    }
    return 0;
}

static PyModuleObject *
new_module_notrack(PyTypeObject *mt)
{
    PyModuleObject *m = (PyModuleObject *)mt->tp_alloc(mt, 0);
    if (m == NULL) {
        return NULL;
    }
    /* Modules are pushed on the eval stack uncounted (ARCHITECTURE 3). */
    _PyObject_SetDeferredRefcount((PyObject *)m);
    m->md_def = NULL;
    m->md_state = NULL;
    m->md_weaklist = NULL;
    m->md_name = NULL;
    m->md_dict = PyDict_New();
    if (m->md_dict == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    _PyObject_SetMaybeWeakref(m->md_dict);
    return m;
}

PyObject *
PyModule_NewObject(PyObject *name)
{
    PyModuleObject *m = new_module_notrack(&PyModule_Type);
    if (m == NULL) {
        return NULL;
    }
    if (module_init_dict(m, m->md_dict, name, NULL) != 0) {
        Py_DECREF(m);
        return NULL;
    }
    return (PyObject *)m;
}

PyObject *
PyModule_New(const char *name)
{
    PyObject *nameobj = PyUnicode_FromString(name);
    if (nameobj == NULL) {
        return NULL;
    }
    PyObject *module = PyModule_NewObject(nameobj);
    Py_DECREF(nameobj);
    return module;
}

/* Allocates the per-module state of m_size bytes. */
static int
module_alloc_state(PyModuleObject *md, PyModuleDef *def)
{
    md->md_def = def;
    if (def->m_size > 0 && md->md_state == NULL) {
        md->md_state = PyMem_Calloc(1, (size_t)def->m_size);
        if (md->md_state == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    return 0;
}

static int
module_check_def(PyModuleDef *def)
{
    if (PyModuleDef_Init(def) == NULL) {
        return -1;
    }
    return 0;
}

int
PyModule_AddFunctions(PyObject *module, PyMethodDef *functions)
{
    PyObject *name = PyModule_GetNameObject(module);
    if (name == NULL) {
        return -1;
    }
    int res = 0;
    for (PyMethodDef *fdef = functions; fdef->ml_name != NULL; fdef++) {
        if ((fdef->ml_flags & METH_CLASS) || (fdef->ml_flags & METH_STATIC)) {
            PyErr_SetString(PyExc_ValueError,
                            "module functions cannot set METH_CLASS or "
                            "METH_STATIC");
            res = -1;
            break;
        }
        PyObject *func = PyCFunction_NewEx(fdef, module, name);
        if (func == NULL) {
            res = -1;
            break;
        }
        if (PyObject_SetAttrString(module, fdef->ml_name, func) != 0) {
            Py_DECREF(func);
            res = -1;
            break;
        }
        Py_DECREF(func);
    }
    Py_DECREF(name);
    return res;
}

int
PyModule_SetDocString(PyObject *m, const char *doc)
{
    PyObject *v = PyUnicode_FromString(doc);
    if (v == NULL || PyObject_SetAttr(m, _Py_ID(__doc__), v) != 0) {
        Py_XDECREF(v);
        return -1;
    }
    Py_DECREF(v);
    return 0;
}

PyObject *
PyModule_Create2(PyModuleDef *module, int module_api_version)
{
    if (module_check_def(module) < 0) {
        return NULL;
    }
    const char *name = module->m_name;
    if (module->m_slots) {
        PyErr_Format(PyExc_SystemError,
                     "module %s: PyModule_Create is incompatible with "
                     "m_slots", name);
        return NULL;
    }
    PyModuleObject *m = (PyModuleObject *)PyModule_New(name);
    if (m == NULL) {
        return NULL;
    }
    if (module_alloc_state(m, module) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    if (module->m_methods != NULL &&
        PyModule_AddFunctions((PyObject *)m, module->m_methods) != 0) {
        Py_DECREF(m);
        return NULL;
    }
    if (module->m_doc != NULL &&
        PyModule_SetDocString((PyObject *)m, module->m_doc) != 0) {
        Py_DECREF(m);
        return NULL;
    }
    return (PyObject *)m;
}

PyObject *
PyModule_FromDefAndSpec2(PyModuleDef *def, PyObject *spec,
                         int module_api_version)
{
    if (module_check_def(def) < 0) {
        return NULL;
    }
    PyObject *nameobj = PyObject_GetAttrString(spec, "name");
    if (nameobj == NULL) {
        return NULL;
    }
    const char *name = PyUnicode_AsUTF8(nameobj);
    if (name == NULL) {
        Py_DECREF(nameobj);
        return NULL;
    }
    PyObject *(*create)(PyObject *, PyModuleDef *) = NULL;
    int has_execution_slots = 0;
    for (PyModuleDef_Slot *cur = def->m_slots; cur && cur->slot; cur++) {
        switch (cur->slot) {
        case Py_mod_create:
            if (create) {
                PyErr_Format(PyExc_SystemError,
                             "module %s has multiple create slots", name);
                Py_DECREF(nameobj);
                return NULL;
            }
            create = (PyObject *(*)(PyObject *, PyModuleDef *))cur->value;
            break;
        case Py_mod_exec:
            has_execution_slots = 1;
            break;
        default:
            if (cur->slot < 0 || cur->slot > _Py_mod_LAST_SLOT) {
                PyErr_Format(PyExc_SystemError,
                             "module %s uses unknown slot ID %i",
                             name, cur->slot);
                Py_DECREF(nameobj);
                return NULL;
            }
        }
    }
    PyObject *m;
    if (create) {
        m = create(spec, def);
        if (m == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_Format(PyExc_SystemError,
                             "creation of module %s failed without setting "
                             "an exception", name);
            }
            Py_DECREF(nameobj);
            return NULL;
        }
        if (PyErr_Occurred()) {
            _PyErr_FormatFromCause(PyExc_SystemError,
                                   "creation of module %s raised unreported "
                                   "exception", name);
            Py_DECREF(nameobj);
            Py_DECREF(m);
            return NULL;
        }
    }
    else {
        m = PyModule_NewObject(nameobj);
        if (m == NULL) {
            Py_DECREF(nameobj);
            return NULL;
        }
    }
    if (PyModule_Check(m)) {
        ((PyModuleObject *)m)->md_state = NULL;
        ((PyModuleObject *)m)->md_def = def;
    }
    else if (def->m_size > 0 || def->m_traverse || def->m_clear ||
             def->m_free || has_execution_slots) {
        PyErr_Format(PyExc_SystemError,
                     "module %s is not a module object, but requests "
                     "module state", name);
        goto error;
    }
    if (def->m_methods != NULL &&
        PyModule_AddFunctions(m, def->m_methods) != 0) {
        goto error;
    }
    if (def->m_doc != NULL && PyModule_SetDocString(m, def->m_doc) != 0) {
        goto error;
    }
    Py_DECREF(nameobj);
    return m;
error:
    Py_DECREF(nameobj);
    Py_XDECREF(m);
    return NULL;
}

int
PyModule_ExecDef(PyObject *module, PyModuleDef *def)
{
    const char *name = PyModule_GetName(module);
    if (name == NULL) {
        return -1;
    }
    if (def->m_size >= 0) {
        PyModuleObject *md = (PyModuleObject *)module;
        if (md->md_state == NULL && module_alloc_state(md, def) < 0) {
            return -1;
        }
    }
    if (def->m_slots == NULL) {
        return 0;
    }
    for (PyModuleDef_Slot *cur = def->m_slots; cur && cur->slot; cur++) {
        if (cur->slot != Py_mod_exec) {
            continue;
        }
        int (*func)(PyObject *) = (int (*)(PyObject *))cur->value;
        int ret = func(module);
        if (ret != 0) {
            if (!PyErr_Occurred()) {
                PyErr_Format(PyExc_SystemError,
                             "execution of module %s failed without setting "
                             "an exception", name);
            }
            return -1;
        }
        if (PyErr_Occurred()) {
            _PyErr_FormatFromCause(PyExc_SystemError,
                                   "execution of module %s raised unreported "
                                   "exception", name);
            return -1;
        }
    }
    return 0;
}

PyObject *
PyModule_GetDict(PyObject *m)
{
    if (!PyModule_Check(m)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    return ((PyModuleObject *)m)->md_dict;
}

PyObject *
PyModule_GetNameObject(PyObject *m)
{
    if (!PyModule_Check(m)) {
        PyErr_BadArgument();
        return NULL;
    }
    PyObject *d = ((PyModuleObject *)m)->md_dict;
    PyObject *name;
    if (d == NULL || !PyDict_Check(d) ||
        PyDict_GetItemRef(d, _Py_ID(__name__), &name) <= 0 ||
        !PyUnicode_Check(name)) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_SystemError, "nameless module");
        }
        return NULL;
    }
    return name;
}

const char *
PyModule_GetName(PyObject *m)
{
    PyObject *name = PyModule_GetNameObject(m);
    if (name == NULL) {
        return NULL;
    }
    /* The module dict keeps the name alive (as CPython assumes). */
    Py_DECREF(name);
    return PyUnicode_AsUTF8(name);
}

PyObject *
PyModule_GetFilenameObject(PyObject *m)
{
    if (!PyModule_Check(m)) {
        PyErr_BadArgument();
        return NULL;
    }
    PyObject *d = ((PyModuleObject *)m)->md_dict;
    PyObject *fileobj;
    if (d == NULL || PyDict_GetItemRef(d, _Py_ID(__file__), &fileobj) <= 0 ||
        !PyUnicode_Check(fileobj)) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_SystemError, "module filename missing");
        }
        return NULL;
    }
    return fileobj;
}

PyModuleDef *
PyModule_GetDef(PyObject *m)
{
    if (!PyModule_Check(m)) {
        PyErr_BadArgument();
        return NULL;
    }
    return ((PyModuleObject *)m)->md_def;
}

void *
PyModule_GetState(PyObject *m)
{
    if (!PyModule_Check(m)) {
        PyErr_BadArgument();
        return NULL;
    }
    return ((PyModuleObject *)m)->md_state;
}

/* ================================================================ module helpers */

int
PyModule_AddObjectRef(PyObject *mod, const char *name, PyObject *value)
{
    if (!PyModule_Check(mod)) {
        PyErr_SetString(PyExc_TypeError,
                        "PyModule_AddObjectRef() first argument must be a "
                        "module");
        return -1;
    }
    if (!value) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_SystemError,
                            "PyModule_AddObjectRef() must be called with an "
                            "exception raised if value is NULL");
        }
        return -1;
    }
    PyObject *dict = PyModule_GetDict(mod);
    if (dict == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_SystemError, "module '%s' has no __dict__",
                         PyModule_GetName(mod));
        }
        return -1;
    }
    return PyDict_SetItemString(dict, name, value);
}

int
PyModule_AddObject(PyObject *mod, const char *name, PyObject *value)
{
    int res = PyModule_AddObjectRef(mod, name, value);
    if (res == 0) {
        Py_DECREF(value);
    }
    return res;
}

int
PyModule_AddIntConstant(PyObject *m, const char *name, long value)
{
    PyObject *obj = PyLong_FromLong(value);
    if (!obj) {
        return -1;
    }
    int res = PyModule_AddObjectRef(m, name, obj);
    Py_DECREF(obj);
    return res;
}

int
PyModule_AddStringConstant(PyObject *m, const char *name, const char *value)
{
    PyObject *obj = PyUnicode_FromString(value);
    if (!obj) {
        return -1;
    }
    int res = PyModule_AddObjectRef(m, name, obj);
    Py_DECREF(obj);
    return res;
}

int
PyModule_AddType(PyObject *module, PyTypeObject *type)
{
    if (PyType_Ready(type) < 0) {
        return -1;
    }
    const char *name = _PyType_Name(type);
    return PyModule_AddObjectRef(module, name, (PyObject *)type);
}

/* ================================================================ type */

static int
module___init__(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"name", "doc", NULL};
    PyObject *name, *doc = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "U|O:module", kwlist,
                                     &name, &doc)) {
        return -1;
    }
    PyModuleObject *m = (PyModuleObject *)self;
    return module_init_dict(m, m->md_dict, name, doc);
}

static PyObject *
module_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return (PyObject *)new_module_notrack(type);
}

static void
module_dealloc(PyObject *self)
{
    PyModuleObject *m = (PyModuleObject *)self;
    PyObject_GC_UnTrack(self);
    PyObject_ClearWeakRefs(self);
    if (m->md_def && m->md_def->m_free &&
        (m->md_def->m_size <= 0 || m->md_state != NULL)) {
        m->md_def->m_free(m);
    }
    Py_XDECREF(m->md_dict);
    Py_XDECREF(m->md_name);
    if (m->md_state != NULL) {
        PyMem_Free(m->md_state);
    }
    Py_TYPE(self)->tp_free(self);
}

/* <module 'name' from 'file'>, (built-in) for C modules. */
static PyObject *
module_repr(PyObject *self)
{
    PyModuleObject *m = (PyModuleObject *)self;
    PyObject *name = NULL, *file = NULL;
    if (m->md_dict != NULL) {
        if (PyDict_GetItemRef(m->md_dict, _Py_ID(__name__), &name) < 0 ||
            PyDict_GetItemRef(m->md_dict, _Py_ID(__file__), &file) < 0) {
            Py_XDECREF(name);
            return NULL;
        }
    }
    PyObject *res;
    PyObject *shown = name != NULL ? name : NULL;
    if (file != NULL) {
        if (shown != NULL) {
            res = PyUnicode_FromFormat("<module %R from %R>", shown, file);
        }
        else {
            res = PyUnicode_FromFormat("<module '?' from %R>", file);
        }
    }
    else if (m->md_def != NULL) {
        res = shown ? PyUnicode_FromFormat("<module %R (built-in)>", shown)
                    : PyUnicode_FromString("<module '?' (built-in)>");
    }
    else {
        res = shown ? PyUnicode_FromFormat("<module %R>", shown)
                    : PyUnicode_FromString("<module '?'>");
    }
    Py_XDECREF(name);
    Py_XDECREF(file);
    return res;
}

/* Generic lookup, then the module's own __getattr__ (PEP 562). */
static PyObject *
module_getattro(PyObject *self, PyObject *name)
{
    PyModuleObject *m = (PyModuleObject *)self;
    PyObject *attr = _PyObject_GenericGetAttrWithDict(self, name, NULL, 1);
    if (attr != NULL || PyErr_Occurred()) {
        return attr;
    }
    if (m->md_dict != NULL) {
        PyObject *getattr;
        if (PyDict_GetItemRef(m->md_dict, _Py_ID(__getattr__), &getattr) < 0) {
            return NULL;
        }
        if (getattr != NULL) {
            PyObject *result = PyObject_CallOneArg(getattr, name);
            Py_DECREF(getattr);
            return result;
        }
        PyObject *mod_name;
        if (PyDict_GetItemRef(m->md_dict, _Py_ID(__name__), &mod_name) < 0) {
            return NULL;
        }
        if (mod_name != NULL && PyUnicode_Check(mod_name)) {
            PyErr_Format(PyExc_AttributeError,
                         "module '%U' has no attribute '%U'", mod_name,
                         name);
            Py_DECREF(mod_name);
            _PyObject_SetAttributeErrorContext(self, name);
            return NULL;
        }
        Py_XDECREF(mod_name);
    }
    PyErr_Format(PyExc_AttributeError, "module has no attribute '%U'", name);
    _PyObject_SetAttributeErrorContext(self, name);
    return NULL;
}

static int
module_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyModuleObject *m = (PyModuleObject *)self;
    if (m->md_def && m->md_def->m_traverse &&
        (m->md_def->m_size <= 0 || m->md_state != NULL)) {
        int res = m->md_def->m_traverse(self, visit, arg);
        if (res) {
            return res;
        }
    }
    Py_VISIT(m->md_dict);
    return 0;
}

static int
module_clear(PyObject *self)
{
    PyModuleObject *m = (PyModuleObject *)self;
    if (m->md_def && m->md_def->m_clear &&
        (m->md_def->m_size <= 0 || m->md_state != NULL)) {
        int res = m->md_def->m_clear(self);
        if (PyErr_Occurred()) {
            PyErr_WriteUnraisable(NULL);
        }
        if (res) {
            return res;
        }
    }
    if (m->md_dict != NULL) {
        PyDict_Clear(m->md_dict);
    }
    return 0;
}

static PyObject *
module_dir(PyObject *self, PyObject *args)
{
    PyObject *dict = PyObject_GetAttr(self, _Py_ID(__dict__));
    if (dict == NULL) {
        return NULL;
    }
    PyObject *result = NULL;
    if (PyDict_Check(dict)) {
        PyObject *dirfunc;
        int r = PyDict_GetItemRef(dict, _Py_ID(__dir__), &dirfunc);
        if (r > 0) {
            result = PyObject_CallNoArgs(dirfunc);
            Py_DECREF(dirfunc);
        }
        else if (r == 0) {
            result = PyDict_Keys(dict);
        }
    }
    else {
        PyErr_Format(PyExc_TypeError, "<module>.__dict__ is not a dictionary");
    }
    Py_DECREF(dict);
    return result;
}

static PyMethodDef module_methods[] = {
    {"__dir__", module_dir, METH_NOARGS,
     "__dir__() -> list\nspecialized dir() implementation"},
    {NULL, NULL, 0, NULL}
};

static PyObject *
module_get_annotations(PyObject *self, void *context)
{
    PyObject *dict = PyObject_GetAttr(self, _Py_ID(__dict__));
    if (dict == NULL) {
        return NULL;
    }
    if (!PyDict_Check(dict)) {
        PyErr_Format(PyExc_TypeError, "<module>.__dict__ is not a dictionary");
        Py_DECREF(dict);
        return NULL;
    }
    PyObject *annotations;
    int r = PyDict_GetItemRef(dict, _Py_ID(__annotations__), &annotations);
    if (r == 0) {
        annotations = PyDict_New();
        if (annotations != NULL &&
            PyDict_SetItem(dict, _Py_ID(__annotations__), annotations) < 0) {
            Py_CLEAR(annotations);
        }
    }
    Py_DECREF(dict);
    return annotations;
}

static int
module_set_annotations(PyObject *self, PyObject *value, void *context)
{
    PyObject *dict = PyObject_GetAttr(self, _Py_ID(__dict__));
    if (dict == NULL) {
        return -1;
    }
    int ret = -1;
    if (!PyDict_Check(dict)) {
        PyErr_Format(PyExc_TypeError, "<module>.__dict__ is not a dictionary");
    }
    else if (value != NULL) {
        ret = PyDict_SetItem(dict, _Py_ID(__annotations__), value);
    }
    else {
        ret = PyDict_DelItem(dict, _Py_ID(__annotations__));
        if (ret < 0 && PyErr_ExceptionMatches(PyExc_KeyError)) {
            PyErr_Clear();
            PyErr_SetString(PyExc_AttributeError, "__annotations__");
        }
    }
    Py_DECREF(dict);
    return ret;
}

static PyGetSetDef module_getsets[] = {
    {"__annotations__", module_get_annotations, module_set_annotations,
     NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

PyTypeObject PyModule_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "module",
    .tp_basicsize = sizeof(PyModuleObject),
    .tp_dealloc = module_dealloc,
    .tp_repr = module_repr,
    .tp_getattro = module_getattro,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_BASETYPE,
    .tp_doc = "module(name, doc=None)\n--\n\n"
              "Create a module object.\n\n"
              "The name must be a string; the optional doc argument can "
              "have any type.",
    .tp_traverse = module_traverse,
    .tp_clear = module_clear,
    .tp_weaklistoffset = offsetof(PyModuleObject, md_weaklist),
    .tp_methods = module_methods,
    .tp_members = module_members,
    .tp_getset = module_getsets,
    .tp_dictoffset = offsetof(PyModuleObject, md_dict),
    .tp_init = module___init__,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = module_new,
    .tp_free = PyObject_GC_Del,
};

int
_PyModule_InitTypes(void)
{
    if (PyType_Ready(&PyModuleDef_Type) < 0 ||
        PyType_Ready(&PyModule_Type) < 0) {
        return -1;
    }
    return 0;
}
