/* Creating heap types: type(name, bases, ns) and class statements
 * (metaclass selection, __slots__ and the instance layout, __qualname__,
 * __set_name__, __init_subclass__, __classcell__), the instance
 * dealloc/traverse/clear of heap types, and PyType_FromSpec and friends.
 *
 * Thread safety: a new type is private to its creator until this code
 * returns it, so filling it needs no lock; linking it into its bases'
 * subclass lists takes the type lock (Objects/typeobject.c). */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_pystate.h"
#include "pycore_excstate.h"
#include "pycore_global_strings.h"
#include "pycore_typeobject.h"
#include "pycore_call.h"
#include "pycore_dict.h"
#include "pycore_abstract.h"
#include "pycore_weakref.h"
#include "structmember.h"

#include <stddef.h>

/* ================================================================ instances of heap types */

static PyObject *
subtype_dict(PyObject *obj, void *context)
{
    return PyObject_GenericGetDict(obj, context);
}

static int
subtype_setdict(PyObject *obj, PyObject *value, void *context)
{
    return PyObject_GenericSetDict(obj, value, context);
}

static PyObject *
subtype_getweakref(PyObject *obj, void *context)
{
    PyTypeObject *type = Py_TYPE(obj);
    if (type->tp_weaklistoffset <= 0) {
        PyErr_SetString(PyExc_AttributeError,
                        "This object has no __weakref__");
        return NULL;
    }
    /* The list is guarded by Objects/weakrefobject.c's striped lock. */
    return _PyWeakref_GetFirst(obj);
}

static PyGetSetDef subtype_getsets_full[] = {
    {"__dict__", subtype_dict, subtype_setdict,
     "dictionary for instance variables (if defined)", NULL},
    {"__weakref__", subtype_getweakref, NULL,
     "list of weak references to the object (if defined)", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyGetSetDef subtype_getsets_dict_only[] = {
    {"__dict__", subtype_dict, subtype_setdict,
     "dictionary for instance variables (if defined)", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyGetSetDef subtype_getsets_weakref_only[] = {
    {"__weakref__", subtype_getweakref, NULL,
     "list of weak references to the object (if defined)", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

/* Clears the __slots__ members a heap type added. */
static void
clear_slots(PyTypeObject *type, PyObject *self)
{
    PyMemberDef *mp = ((PyHeapTypeObject *)type)->ht_members;
    if (mp == NULL) {
        return;
    }
    for (; mp->name != NULL; mp++) {
        if (mp->type == T_OBJECT_EX && !(mp->flags & READONLY)) {
            PyObject **addr = (PyObject **)((char *)self + mp->offset);
            PyObject *obj = *addr;
            if (obj != NULL) {
                *addr = NULL;
                Py_DECREF(obj);
            }
        }
    }
}

static int
subtype_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyTypeObject *type = Py_TYPE(self), *base = type;
    while (base->tp_traverse == subtype_traverse) {
        PyMemberDef *mp = ((PyHeapTypeObject *)base)->ht_members;
        for (; mp != NULL && mp->name != NULL; mp++) {
            if (mp->type == T_OBJECT_EX) {
                Py_VISIT(*(PyObject **)((char *)self + mp->offset));
            }
        }
        base = base->tp_base;
    }
    if (type->tp_dictoffset != base->tp_dictoffset) {
        PyObject **dictptr = _PyObject_GetDictPtr(self);
        if (dictptr != NULL) {
            Py_VISIT(*dictptr);
        }
    }
    /* Instances of heap types own a reference to their class. */
    Py_VISIT((PyObject *)type);
    if (base->tp_traverse != NULL) {
        return base->tp_traverse(self, visit, arg);
    }
    return 0;
}

static int
subtype_clear(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self), *base = type;
    while (base->tp_clear == subtype_clear) {
        clear_slots(base, self);
        base = base->tp_base;
    }
    if (type->tp_dictoffset != base->tp_dictoffset) {
        PyObject **dictptr = _PyObject_GetDictPtr(self);
        if (dictptr != NULL && *dictptr != NULL) {
            PyObject *d = *dictptr;
            *dictptr = NULL;
            Py_DECREF(d);
        }
    }
    if (base->tp_clear != NULL) {
        return base->tp_clear(self);
    }
    return 0;
}

/* tp_dealloc of heap types: finalizer (__del__), __slots__, __dict__,
   then the nearest static base's dealloc, then the class reference. */
void
_PyType_SubtypeDealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    if (PyType_IS_GC(type)) {
        PyObject_GC_UnTrack(self);
    }
    if (type->tp_finalize != NULL) {
        if (PyObject_CallFinalizerFromDealloc(self) < 0) {
            return;     /* resurrected */
        }
    }
    PyTypeObject *base = type;
    while (base->tp_dealloc == _PyType_SubtypeDealloc) {
        base = base->tp_base;
    }
    /* Weak references added by a heap type die after the finalizer (which
       may still use them, or resurrect) and before anything is torn down;
       a static base with its own list clears it in its dealloc. */
    if (type->tp_weaklistoffset && !base->tp_weaklistoffset) {
        PyObject_ClearWeakRefs(self);
    }
    if (type->tp_del != NULL) {
        type->tp_del(self);
        if (Py_REFCNT(self) > 0) {
            return;
        }
    }
    for (base = type; base->tp_dealloc == _PyType_SubtypeDealloc;
         base = base->tp_base) {
        clear_slots(base, self);
    }
    if (type->tp_dictoffset && !base->tp_dictoffset) {
        PyObject **dictptr = _PyObject_GetDictPtr(self);
        if (dictptr != NULL && *dictptr != NULL) {
            PyObject *d = *dictptr;
            *dictptr = NULL;
            Py_DECREF(d);
        }
    }
    /* A GC base untracks in its own dealloc; re-track so it finds the
       object in the state it expects. */
    if (PyType_IS_GC(base)) {
        PyObject_GC_Track(self);
    }
    base->tp_dealloc(self);
    Py_DECREF(type);
}

/* ================================================================ type_new */

/* Private names in __slots__ are mangled like class attributes. */
static PyObject *
mangle_name(PyObject *classname, PyObject *name)
{
    Py_ssize_t nlen = PyUnicode_GET_LENGTH(name);
    if (nlen < 2 || PyUnicode_READ_CHAR(name, 0) != '_' ||
        PyUnicode_READ_CHAR(name, 1) != '_' ||
        (PyUnicode_READ_CHAR(name, nlen - 1) == '_' &&
         PyUnicode_READ_CHAR(name, nlen - 2) == '_') ||
        PyUnicode_FindChar(name, '.', 0, nlen, 1) != -1) {
        return Py_NewRef(name);
    }
    Py_ssize_t plen = PyUnicode_GET_LENGTH(classname), ipriv = 0;
    while (ipriv < plen && PyUnicode_READ_CHAR(classname, ipriv) == '_') {
        ipriv++;
    }
    if (ipriv == plen) {
        return Py_NewRef(name);
    }
    PyObject *stripped = PyUnicode_Substring(classname, ipriv, plen);
    if (stripped == NULL) {
        return NULL;
    }
    PyObject *res = PyUnicode_FromFormat("_%U%U", stripped, name);
    Py_DECREF(stripped);
    return res;
}

typedef struct {
    PyTypeObject *metatype;
    PyObject *name;
    PyObject *bases;
    PyTypeObject *base;
    PyObject *orig_dict;
    PyObject *dict;         /* the copy the class gets */
    PyObject *slots;        /* tuple of slot names (mangled, sorted) */
    Py_ssize_t nslot;
    int add_dict;
    int add_weak;
    int may_add_dict;
    int may_add_weak;
} type_new_ctx;

static int
valid_identifier(PyObject *s)
{
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError,
                     "__slots__ items must be strings, not '%.200s'",
                     Py_TYPE(s)->tp_name);
        return 0;
    }
    if (!PyUnicode_IsIdentifier(s)) {
        PyErr_SetString(PyExc_TypeError, "__slots__ must be identifiers");
        return 0;
    }
    return 1;
}

/* Parses __slots__: sets ctx->slots (names to allocate), add_dict,
   add_weak; errors as in 3.11. */
static int
type_new_slots(type_new_ctx *ctx, PyObject *slots)
{
    if (PyUnicode_Check(slots)) {
        slots = PyTuple_Pack(1, slots);
    }
    else {
        slots = PySequence_Tuple(slots);
    }
    if (slots == NULL) {
        return -1;
    }
    Py_ssize_t nslot = PyTuple_GET_SIZE(slots);
    if (nslot > 0 && ctx->base->tp_itemsize != 0) {
        PyErr_Format(PyExc_TypeError,
                     "nonempty __slots__ not supported for subtype of '%s'",
                     ctx->base->tp_name);
        goto error;
    }
    PyObject *names = PyList_New(0);
    if (names == NULL) {
        goto error;
    }
    for (Py_ssize_t i = 0; i < nslot; i++) {
        PyObject *tmp = PyTuple_GET_ITEM(slots, i);
        if (!valid_identifier(tmp)) {
            goto error_names;
        }
        if (_PyUnicode_EqualToASCIIString(tmp, "__dict__")) {
            if (!ctx->may_add_dict || ctx->add_dict) {
                PyErr_SetString(PyExc_TypeError,
                                "__dict__ slot disallowed: "
                                "we already got one");
                goto error_names;
            }
            ctx->add_dict++;
            continue;
        }
        if (_PyUnicode_EqualToASCIIString(tmp, "__weakref__")) {
            if (!ctx->may_add_weak || ctx->add_weak) {
                PyErr_SetString(PyExc_TypeError,
                                "__weakref__ slot disallowed: either we "
                                "already got one, or __itemsize__ != 0");
                goto error_names;
            }
            ctx->add_weak++;
            continue;
        }
        PyObject *mangled = mangle_name(ctx->name, tmp);
        if (mangled == NULL) {
            goto error_names;
        }
        int r = PyDict_Contains(ctx->dict, mangled);
        if (r > 0) {
            /* CPython allows __qualname__/__classcell__ here; they were
               removed from the dict already. */
            PyErr_Format(PyExc_ValueError,
                         "%R in __slots__ conflicts with class variable",
                         tmp);
            Py_DECREF(mangled);
            goto error_names;
        }
        if (r < 0 || PyList_Append(names, mangled) < 0) {
            Py_DECREF(mangled);
            goto error_names;
        }
        Py_DECREF(mangled);
    }
    if (PyList_Sort(names) < 0) {
        goto error_names;
    }
    ctx->slots = PyList_AsTuple(names);
    Py_DECREF(names);
    if (ctx->slots == NULL) {
        goto error;
    }
    ctx->nslot = PyTuple_GET_SIZE(ctx->slots);
    Py_DECREF(slots);
    return 0;
error_names:
    Py_DECREF(names);
error:
    Py_DECREF(slots);
    return -1;
}

/* A base whose __dict__/__weakref__ comes from a heap base may still let
   a second base add it (CPython's "may_add" rules). */
static void
type_new_slots_rules(type_new_ctx *ctx)
{
    ctx->may_add_dict = (ctx->base->tp_dictoffset == 0);
    ctx->may_add_weak = (ctx->base->tp_weaklistoffset == 0 &&
                         ctx->base->tp_itemsize == 0);
}

/* __set_name__ on every attribute that has one (3.11 wraps errors in a
   RuntimeError naming the attribute). */
static int
type_new_set_names(PyTypeObject *type)
{
    PyObject *names_to_set = PyDict_Copy(type->tp_dict);
    if (names_to_set == NULL) {
        return -1;
    }
    Py_ssize_t i = 0;
    PyObject *key, *value;
    while (PyDict_Next(names_to_set, &i, &key, &value)) {
        PyObject *set_name = _PyObject_LookupSpecial(value,
                                                     _Py_ID(__set_name__));
        if (set_name == NULL) {
            if (PyErr_Occurred()) {
                goto error;
            }
            continue;
        }
        PyObject *args[2] = {(PyObject *)type, key};
        PyObject *res = PyObject_Vectorcall(set_name, args, 2, NULL);
        Py_DECREF(set_name);
        if (res == NULL) {
            _PyErr_FormatFromCause(PyExc_RuntimeError,
                                   "Error calling __set_name__ on '%.100s' "
                                   "instance %R in '%.100s'",
                                   Py_TYPE(value)->tp_name, key,
                                   type->tp_name);
            goto error;
        }
        Py_DECREF(res);
    }
    Py_DECREF(names_to_set);
    return 0;
error:
    Py_DECREF(names_to_set);
    return -1;
}

/* super(type, type).__init_subclass__(**kwds) */
static int
type_new_init_subclass(PyTypeObject *type, PyObject *kwds)
{
    PyObject *args[2] = {(PyObject *)type, (PyObject *)type};
    PyObject *super = PyObject_Vectorcall((PyObject *)&PySuper_Type, args, 2,
                                          NULL);
    if (super == NULL) {
        return -1;
    }
    PyObject *func = PyObject_GetAttr(super, _Py_ID(__init_subclass__));
    Py_DECREF(super);
    if (func == NULL) {
        return -1;
    }
    PyObject *empty = PyTuple_New(0);
    if (empty == NULL) {
        Py_DECREF(func);
        return -1;
    }
    PyObject *result = PyObject_Call(func, empty, kwds);
    Py_DECREF(empty);
    Py_DECREF(func);
    if (result == NULL) {
        return -1;
    }
    Py_DECREF(result);
    return 0;
}

/* The frame's globals give a class its default __module__ (none when no
   frame runs, e.g. a class made from C). */

static int
type_new_set_module(PyTypeObject *type)
{
    int r = PyDict_Contains(type->tp_dict, _Py_ID(__module__));
    if (r != 0) {
        return r < 0 ? -1 : 0;
    }
    PyObject *globals = PyEval_GetGlobals();
    if (globals == NULL) {
        return 0;
    }
    PyObject *module;
    r = PyDict_GetItemRef(globals, _Py_ID(__name__), &module);
    if (r <= 0) {
        return r;
    }
    r = PyDict_SetItem(type->tp_dict, _Py_ID(__module__), module);
    Py_DECREF(module);
    return r;
}

static int
is_python_function(PyObject *obj)
{
    return PyFunction_Check(obj);
}

/* __new__ becomes a staticmethod, __init_subclass__ and __class_getitem__
   classmethods, when they are plain functions. */
static int
type_new_wrap_special(PyObject *dict, PyObject *name, int classmethod)
{
    PyObject *func;
    int r = PyDict_GetItemRef(dict, name, &func);
    if (r <= 0) {
        return r;
    }
    /* Only plain Python functions are wrapped. */
    if (!is_python_function(func)) {
        Py_DECREF(func);
        return 0;
    }
    PyObject *wrapped = classmethod ? PyClassMethod_New(func)
                                    : PyStaticMethod_New(func);
    Py_DECREF(func);
    if (wrapped == NULL) {
        return -1;
    }
    r = PyDict_SetItem(dict, name, wrapped);
    Py_DECREF(wrapped);
    return r;
}

/* Moves __qualname__ out of the namespace into ht_qualname. */
static int
type_new_set_qualname(PyHeapTypeObject *et, PyObject *dict)
{
    PyObject *qualname;
    int r = PyDict_GetItemRef(dict, _Py_ID(__qualname__), &qualname);
    if (r < 0) {
        return -1;
    }
    if (r == 0) {
        et->ht_qualname = Py_NewRef(et->ht_name);
        return 0;
    }
    if (!PyUnicode_Check(qualname)) {
        PyErr_Format(PyExc_TypeError,
                     "type __qualname__ must be a str, not %s",
                     Py_TYPE(qualname)->tp_name);
        Py_DECREF(qualname);
        return -1;
    }
    et->ht_qualname = qualname;
    return PyDict_DelItem(dict, _Py_ID(__qualname__));
}

static int
type_new_set_doc(PyTypeObject *type)
{
    PyObject *doc;
    int r = PyDict_GetItemRef(type->tp_dict, _Py_ID(__doc__), &doc);
    if (r <= 0) {
        return r;
    }
    if (PyUnicode_Check(doc)) {
        Py_ssize_t len;
        const char *s = PyUnicode_AsUTF8AndSize(doc, &len);
        if (s == NULL) {
            Py_DECREF(doc);
            return -1;
        }
        char *copy = PyMem_Malloc((size_t)len + 1);
        if (copy == NULL) {
            Py_DECREF(doc);
            PyErr_NoMemory();
            return -1;
        }
        memcpy(copy, s, (size_t)len + 1);
        type->tp_doc = copy;
    }
    Py_DECREF(doc);
    return 0;
}

/* The instance layout: __slots__ members, then __dict__ and __weakref__
   pointers when added. */
static int
type_new_layout(PyHeapTypeObject *et, type_new_ctx *ctx)
{
    PyTypeObject *type = &et->ht_type;
    PyTypeObject *base = ctx->base;
    Py_ssize_t slotoffset = base->tp_basicsize;
    if (ctx->nslot > 0) {
        PyMemberDef *mp = PyMem_Calloc((size_t)ctx->nslot + 1,
                                       sizeof(PyMemberDef));
        if (mp == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        et->ht_members = mp;
        for (Py_ssize_t i = 0; i < ctx->nslot; i++, mp++) {
            mp->name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(ctx->slots, i));
            if (mp->name == NULL) {
                return -1;
            }
            mp->type = T_OBJECT_EX;
            mp->offset = slotoffset;
            slotoffset += sizeof(PyObject *);
        }
        type->tp_members = et->ht_members;
    }
    if (ctx->add_dict) {
        if (base->tp_itemsize) {
            type->tp_dictoffset = -(Py_ssize_t)sizeof(PyObject *);
        }
        else {
            type->tp_dictoffset = slotoffset;
        }
        slotoffset += sizeof(PyObject *);
    }
    if (ctx->add_weak) {
        type->tp_weaklistoffset = slotoffset;
        slotoffset += sizeof(PyObject *);
    }
    type->tp_basicsize = slotoffset;
    type->tp_itemsize = base->tp_itemsize;
    if (ctx->add_dict && ctx->add_weak) {
        type->tp_getset = subtype_getsets_full;
    }
    else if (ctx->add_dict) {
        type->tp_getset = subtype_getsets_dict_only;
    }
    else if (ctx->add_weak) {
        type->tp_getset = subtype_getsets_weakref_only;
    }
    return 0;
}

/* __classcell__: the class body's __class__ cell gets the new class. */
static int
type_new_set_classcell(PyTypeObject *type)
{
    PyObject *cell;
    int r = PyDict_GetItemRef(type->tp_dict, _Py_ID(__classcell__), &cell);
    if (r <= 0) {
        return r;
    }
    if (strcmp(Py_TYPE(cell)->tp_name, "cell") != 0) {
        PyErr_Format(PyExc_TypeError,
                     "__classcell__ must be a nonlocal cell, not %.200R",
                     Py_TYPE(cell));
        Py_DECREF(cell);
        return -1;
    }
    r = PyObject_SetAttrString(cell, "cell_contents", (PyObject *)type);
    Py_DECREF(cell);
    if (r < 0) {
        return -1;
    }
    return PyDict_DelItem(type->tp_dict, _Py_ID(__classcell__));
}

static PyObject *
type_new_impl(type_new_ctx *ctx, PyObject *kwds)
{
    PyTypeObject *metatype = ctx->metatype;
    PyTypeObject *type = (PyTypeObject *)metatype->tp_alloc(metatype, 0);
    if (type == NULL) {
        return NULL;
    }
    PyHeapTypeObject *et = (PyHeapTypeObject *)type;
    /* Types are pushed on the eval stack uncounted (ARCHITECTURE 3). */
    _PyObject_SetDeferredRefcount((PyObject *)type);
    type->tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HEAPTYPE |
                     Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC;
    type->tp_as_async = &et->as_async;
    type->tp_as_number = &et->as_number;
    type->tp_as_sequence = &et->as_sequence;
    type->tp_as_mapping = &et->as_mapping;
    type->tp_as_buffer = &et->as_buffer;
    et->ht_name = Py_NewRef(ctx->name);
    Py_ssize_t len;
    const char *tp_name = PyUnicode_AsUTF8AndSize(ctx->name, &len);
    if (tp_name == NULL) {
        goto error;
    }
    if (strlen(tp_name) != (size_t)len) {
        PyErr_SetString(PyExc_ValueError,
                        "type name must not contain null characters");
        goto error;
    }
    et->_ht_tpname = PyMem_Malloc((size_t)len + 1);
    if (et->_ht_tpname == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    memcpy(et->_ht_tpname, tp_name, (size_t)len + 1);
    type->tp_name = et->_ht_tpname;
    type->tp_bases = Py_NewRef(ctx->bases);
    type->tp_base = (PyTypeObject *)Py_NewRef((PyObject *)ctx->base);
    type->tp_dict = Py_NewRef(ctx->dict);
    type->tp_dealloc = _PyType_SubtypeDealloc;
    type->tp_traverse = subtype_traverse;
    type->tp_clear = subtype_clear;
    type->tp_alloc = PyType_GenericAlloc;
    type->tp_free = PyObject_GC_Del;
    et->ht_slots = Py_XNewRef(ctx->slots);

    if (type_new_set_module(type) < 0 ||
        type_new_set_qualname(et, ctx->dict) < 0 ||
        type_new_set_doc(type) < 0 ||
        type_new_wrap_special(ctx->dict, _Py_ID(__new__), 0) < 0 ||
        type_new_wrap_special(ctx->dict, _Py_ID(__init_subclass__), 1) < 0 ||
        type_new_wrap_special(ctx->dict, _Py_ID(__class_getitem__), 1) < 0 ||
        type_new_layout(et, ctx) < 0) {
        goto error;
    }
    if (PyType_Ready(type) < 0) {
        goto error;
    }
    /* Special methods fill C slots. */
    _PyTypeSlots_FixupDispatchers(type);
    if (type_new_set_classcell(type) < 0 ||
        type_new_set_names(type) < 0 ||
        type_new_init_subclass(type, kwds) < 0) {
        goto error;
    }
    return (PyObject *)type;
error:
    Py_DECREF(type);
    return NULL;
}

PyObject *
_PyType_NewHeapType(PyTypeObject *metatype, PyObject *args, PyObject *kwds)
{
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (metatype == &PyType_Type && nargs == 1 &&
        (kwds == NULL || !PyDict_GET_SIZE(kwds))) {
        return Py_NewRef((PyObject *)Py_TYPE(PyTuple_GET_ITEM(args, 0)));
    }
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError,
                     "type.__new__() takes exactly 3 arguments (%zd given)",
                     nargs);
        return NULL;
    }
    PyObject *name = PyTuple_GET_ITEM(args, 0);
    PyObject *bases = PyTuple_GET_ITEM(args, 1);
    PyObject *orig_dict = PyTuple_GET_ITEM(args, 2);
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError,
                     "type.__new__() argument 1 must be str, not %s",
                     Py_TYPE(name)->tp_name);
        return NULL;
    }
    if (!PyTuple_Check(bases)) {
        PyErr_Format(PyExc_TypeError,
                     "type.__new__() argument 2 must be tuple, not %s",
                     Py_TYPE(bases)->tp_name);
        return NULL;
    }
    if (!PyDict_Check(orig_dict)) {
        PyErr_Format(PyExc_TypeError,
                     "type.__new__() argument 3 must be dict, not %s",
                     Py_TYPE(orig_dict)->tp_name);
        return NULL;
    }
    /* The most derived metaclass decides. */
    PyTypeObject *winner = _PyType_CalculateMetaclass(metatype, bases);
    if (winner == NULL) {
        return NULL;
    }
    if (winner != metatype) {
        if (winner->tp_new != _PyType_NewHeapType) {
            return winner->tp_new(winner, args, kwds);
        }
        metatype = winner;
    }
    type_new_ctx ctx = {0};
    ctx.metatype = metatype;
    ctx.name = name;
    ctx.orig_dict = orig_dict;
    if (PyTuple_GET_SIZE(bases) == 0) {
        ctx.base = &PyBaseObject_Type;
        ctx.bases = PyTuple_Pack(1, (PyObject *)ctx.base);
        if (ctx.bases == NULL) {
            return NULL;
        }
    }
    else {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(bases); i++) {
            PyObject *b = PyTuple_GET_ITEM(bases, i);
            if (PyType_Check(b)) {
                continue;
            }
            PyObject *mro_entries;
            if (_PyObject_LookupAttr(b, _Py_ID(__mro_entries__),
                                     &mro_entries) < 0) {
                return NULL;
            }
            if (mro_entries != NULL) {
                Py_DECREF(mro_entries);
                PyErr_SetString(PyExc_TypeError,
                                "type() doesn't support MRO entry "
                                "resolution; use types.new_class()");
                return NULL;
            }
        }
        ctx.base = _PyType_BestBase(bases);
        if (ctx.base == NULL) {
            return NULL;
        }
        ctx.bases = Py_NewRef(bases);
    }
    PyObject *result = NULL;
    ctx.dict = PyDict_Copy(orig_dict);
    if (ctx.dict == NULL) {
        goto done;
    }
    type_new_slots_rules(&ctx);
    PyObject *slots;
    int r = PyDict_GetItemRef(ctx.dict, _Py_ID(__slots__), &slots);
    if (r < 0) {
        goto done;
    }
    if (r == 0) {
        ctx.add_dict = ctx.may_add_dict;
        ctx.add_weak = ctx.may_add_weak;
    }
    else {
        /* __qualname__ and __classcell__ may be in the namespace: they do
           not conflict with slots of the same name. */
        r = type_new_slots(&ctx, slots);
        Py_DECREF(slots);
        if (r < 0) {
            goto done;
        }
    }
    result = type_new_impl(&ctx, kwds);
done:
    Py_XDECREF(ctx.dict);
    Py_XDECREF(ctx.slots);
    Py_DECREF(ctx.bases);
    return result;
}


/* ================================================================ FromSpec */

/* Handles the special members of a spec (__dictoffset__, ...). */
static void
spec_special_members(PyTypeObject *type, PyMemberDef *memb)
{
    for (; memb != NULL && memb->name != NULL; memb++) {
        if (strcmp(memb->name, "__weaklistoffset__") == 0) {
            type->tp_weaklistoffset = memb->offset;
        }
        else if (strcmp(memb->name, "__dictoffset__") == 0) {
            type->tp_dictoffset = memb->offset;
        }
        else if (strcmp(memb->name, "__vectorcalloffset__") == 0) {
            type->tp_vectorcall_offset = memb->offset;
        }
    }
}

PyObject *
PyType_FromMetaclass(PyTypeObject *metaclass, PyObject *module,
                     PyType_Spec *spec, PyObject *bases_in)
{
    PyObject *bases = NULL;
    PyType_Slot *slot;
    const char *doc = NULL;
    PyMemberDef *members = NULL;
    Py_ssize_t nmembers = 0;
    for (slot = spec->slots; slot->slot; slot++) {
        if (slot->slot < 0 || slot->slot > _Py_TYPESLOT_MAX) {
            PyErr_SetString(PyExc_RuntimeError, "invalid slot offset");
            return NULL;
        }
        if (slot->slot == Py_tp_members) {
            members = slot->pfunc;
            for (PyMemberDef *m = members; m->name != NULL; m++) {
                nmembers++;
            }
        }
        else if (slot->slot == Py_tp_doc) {
            doc = slot->pfunc;
        }
        else if (bases_in == NULL &&
                 (slot->slot == Py_tp_base || slot->slot == Py_tp_bases)) {
            if (slot->slot == Py_tp_bases || bases == NULL) {
                Py_XDECREF(bases);
                if (slot->slot == Py_tp_bases) {
                    bases = Py_NewRef((PyObject *)slot->pfunc);
                }
                else {
                    bases = PyTuple_Pack(1, (PyObject *)slot->pfunc);
                    if (bases == NULL) {
                        return NULL;
                    }
                }
            }
        }
    }
    if (bases_in != NULL) {
        if (PyTuple_Check(bases_in)) {
            bases = Py_NewRef(bases_in);
        }
        else {
            bases = PyTuple_Pack(1, bases_in);
        }
    }
    else if (bases == NULL) {
        bases = PyTuple_Pack(1, (PyObject *)&PyBaseObject_Type);
    }
    if (bases == NULL) {
        return NULL;
    }
    PyTypeObject *base = _PyType_BestBase(bases);
    if (base == NULL) {
        Py_DECREF(bases);
        return NULL;
    }
    if (metaclass == NULL) {
        metaclass = _PyType_CalculateMetaclass(&PyType_Type, bases);
        if (metaclass == NULL) {
            Py_DECREF(bases);
            return NULL;
        }
    }
    if (metaclass->tp_new != NULL && metaclass->tp_new != _PyType_NewHeapType) {
        PyErr_SetString(PyExc_TypeError,
                        "Metaclasses with custom tp_new are not supported.");
        Py_DECREF(bases);
        return NULL;
    }
    PyHeapTypeObject *res =
        (PyHeapTypeObject *)PyType_GenericAlloc(metaclass, 0);
    if (res == NULL) {
        Py_DECREF(bases);
        return NULL;
    }
    PyTypeObject *type = &res->ht_type;
    _PyObject_SetDeferredRefcount((PyObject *)type);
    type->tp_flags = spec->flags | Py_TPFLAGS_HEAPTYPE;
    type->tp_as_async = &res->as_async;
    type->tp_as_number = &res->as_number;
    type->tp_as_sequence = &res->as_sequence;
    type->tp_as_mapping = &res->as_mapping;
    type->tp_as_buffer = &res->as_buffer;
    type->tp_bases = bases;
    type->tp_base = (PyTypeObject *)Py_NewRef((PyObject *)base);
    type->tp_basicsize = spec->basicsize;
    type->tp_itemsize = spec->itemsize;
    res->ht_module = Py_XNewRef(module);

    size_t namelen = strlen(spec->name);
    res->_ht_tpname = PyMem_Malloc(namelen + 1);
    if (res->_ht_tpname == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    memcpy(res->_ht_tpname, spec->name, namelen + 1);
    type->tp_name = res->_ht_tpname;
    const char *dot = strrchr(spec->name, '.');
    res->ht_name = PyUnicode_FromString(dot ? dot + 1 : spec->name);
    if (res->ht_name == NULL) {
        goto fail;
    }
    res->ht_qualname = Py_NewRef(res->ht_name);

    if (nmembers > 0) {
        res->ht_members = PyMem_Calloc((size_t)nmembers + 1,
                                       sizeof(PyMemberDef));
        if (res->ht_members == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        memcpy(res->ht_members, members,
               (size_t)nmembers * sizeof(PyMemberDef));
        type->tp_members = res->ht_members;
    }
    for (slot = spec->slots; slot->slot; slot++) {
        switch (slot->slot) {
        case Py_tp_base:
        case Py_tp_bases:
        case Py_tp_members:
            break;
        case Py_tp_doc:
            if (doc != NULL) {
                const char *d = _PyType_DocWithoutSignature(type->tp_name,
                                                            doc);
                size_t len = strlen(d);
                char *copy = PyMem_Malloc(len + 1);
                if (copy == NULL) {
                    PyErr_NoMemory();
                    goto fail;
                }
                memcpy(copy, d, len + 1);
                type->tp_doc = copy;
            }
            break;
        default: {
            void **ptr = _PyTypeSlots_SlotPtrById(type, slot->slot);
            if (ptr != NULL) {
                *ptr = slot->pfunc;
            }
            break;
        }
        }
    }
    spec_special_members(type, type->tp_members);
    if (type->tp_dealloc == NULL) {
        type->tp_dealloc = _PyType_SubtypeDealloc;
    }
    if (PyType_Ready(type) < 0) {
        goto fail;
    }
    /* __module__ from the dotted spec name. */
    if (dot != NULL) {
        PyObject *modname = PyUnicode_FromStringAndSize(spec->name,
                                                        dot - spec->name);
        if (modname == NULL ||
            PyDict_SetItem(type->tp_dict, _Py_ID(__module__), modname) < 0) {
            Py_XDECREF(modname);
            goto fail;
        }
        Py_DECREF(modname);
    }
    return (PyObject *)res;
fail:
    Py_DECREF(res);
    return NULL;
}

PyObject *
PyType_FromModuleAndSpec(PyObject *module, PyType_Spec *spec,
                         PyObject *bases)
{
    return PyType_FromMetaclass(NULL, module, spec, bases);
}

PyObject *
PyType_FromSpecWithBases(PyType_Spec *spec, PyObject *bases)
{
    return PyType_FromMetaclass(NULL, NULL, spec, bases);
}

PyObject *
PyType_FromSpec(PyType_Spec *spec)
{
    return PyType_FromMetaclass(NULL, NULL, spec, NULL);
}

void *
PyType_GetSlot(PyTypeObject *type, int slot)
{
    if (slot <= 0 || slot > _Py_TYPESLOT_MAX ||
        slot == Py_tp_base || slot == Py_tp_bases) {
        PyErr_BadInternalCall();
        return NULL;
    }
    void **ptr = _PyTypeSlots_SlotPtrById(type, slot);
    return ptr == NULL ? NULL : *ptr;
}

PyObject *
PyType_GetModule(PyTypeObject *type)
{
    if (!PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        PyErr_Format(PyExc_TypeError,
                     "PyType_GetModule: Type '%s' is not a heap type",
                     type->tp_name);
        return NULL;
    }
    PyHeapTypeObject *et = (PyHeapTypeObject *)type;
    if (et->ht_module == NULL) {
        PyErr_Format(PyExc_TypeError,
                     "PyType_GetModule: Type '%s' has no associated module",
                     type->tp_name);
        return NULL;
    }
    return et->ht_module;
}

void *
PyType_GetModuleState(PyTypeObject *type)
{
    PyObject *m = PyType_GetModule(type);
    if (m == NULL) {
        return NULL;
    }
    return PyModule_GetState(m);
}

