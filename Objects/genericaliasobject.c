/* types.GenericAlias: `list[int]`, `dict[str, T]`, `type[int]` (PEP 585).
 *
 * An alias records an origin class and a tuple of arguments.  Calling it
 * calls the origin (and tags the result with __orig_class__), subclassing
 * it subclasses the origin (__mro_entries__), and indexing it substitutes
 * the type variables it contains.  Every other attribute is looked up on
 * the origin, so `list[int].__doc__` is list's.
 *
 * Thread safety: origin, args and the starred flag are fixed when the
 * alias is made.  __parameters__ is computed on first use and published
 * with a compare-and-swap: racing threads compute equal tuples and the
 * losers drop theirs, so a reader sees NULL or a complete tuple, never a
 * torn one. */
#include "Python.h"
#include "pycore_global_strings.h"
#include "pycore_object.h"
#include "pycore_unionobject.h"
#include "structmember.h"

typedef struct {
    PyObject_HEAD
    PyObject *origin;
    PyObject *args;             /* tuple */
    PyObject *parameters;       /* tuple, NULL until first asked for */
    int starred;                /* made by iterating: `*tuple[int]` */
} gaobject;

typedef struct {
    PyObject_HEAD
    PyObject *alias;            /* NULL once exhausted */
} gaiterobject;

static PyTypeObject gaiter_type;

/* Names an alias answers itself; everything else comes from the origin. */
static const char *const attr_exceptions[] = {
    "__class__",
    "__origin__",
    "__args__",
    "__unpacked__",
    "__parameters__",
    "__typing_unpacked_tuple_args__",
    "__mro_entries__",
    "__reduce_ex__",
    "__reduce__",
    "__copy__",
    "__deepcopy__",
    NULL
};

/* ------------------------------------------------------------ helpers */

/* New reference: `args` as a tuple (a non-tuple becomes a 1-tuple). */
static PyObject *
as_tuple(PyObject *args)
{
    if (PyTuple_Check(args)) {
        return Py_NewRef(args);
    }
    return PyTuple_Pack(1, args);
}

PyObject *
_Py_typing_type_repr(PyObject *p)
{
    if (p == Py_Ellipsis) {
        return PyUnicode_FromString("...");
    }
    PyObject *tmp;
    int rc = _PyObject_LookupAttr(p, _Py_ID(__origin__), &tmp);
    if (rc < 0) {
        return NULL;
    }
    if (rc > 0) {
        Py_DECREF(tmp);
        rc = _PyObject_LookupAttr(p, _Py_ID(__args__), &tmp);
        if (rc < 0) {
            return NULL;
        }
        if (rc > 0) {
            /* Looks like a generic alias: it knows how to show itself. */
            Py_DECREF(tmp);
            return PyObject_Repr(p);
        }
    }
    PyObject *qualname, *module = NULL;
    rc = _PyObject_LookupAttr(p, _Py_ID(__qualname__), &qualname);
    if (rc <= 0) {
        return rc < 0 ? NULL : PyObject_Repr(p);
    }
    rc = _PyObject_LookupAttr(p, _Py_ID(__module__), &module);
    PyObject *res = NULL;
    if (rc < 0) {
        goto done;
    }
    if (rc == 0 || module == Py_None) {
        res = PyObject_Repr(p);
    }
    else if (PyUnicode_Check(module) &&
             _PyUnicode_EqualToASCIIString(module, "builtins")) {
        res = PyObject_Str(qualname);
    }
    else {
        res = PyUnicode_FromFormat("%S.%S", module, qualname);
    }
done:
    Py_DECREF(qualname);
    Py_XDECREF(module);
    return res;
}

/* Whether `obj` is a type variable: it has __typing_subst__ (and is not
   a class, whose attribute lookup could find anything). */
static int
is_typevar(PyObject *obj)
{
    if (PyType_Check(obj)) {
        return 0;
    }
    PyObject *subst;
    int rc = _PyObject_LookupAttr(obj, _Py_ID(__typing_subst__), &subst);
    Py_XDECREF(subst);
    return rc;
}

/* Appends `item` to the list unless an identical object is there. */
static int
append_unique(PyObject *list, PyObject *item)
{
    int has = PySequence_Contains(list, item);
    if (has != 0) {
        return has < 0 ? -1 : 0;
    }
    return PyList_Append(list, item);
}

PyObject *
_Py_make_parameters(PyObject *args)
{
    PyObject *params = PyList_New(0);
    if (params == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyTuple_GET_ITEM(args, i);
        if (PyType_Check(t)) {
            continue;
        }
        int tv = is_typevar(t);
        if (tv < 0) {
            goto error;
        }
        if (tv) {
            if (append_unique(params, t) < 0) {
                goto error;
            }
            continue;
        }
        PyObject *sub;
        if (_PyObject_LookupAttr(t, _Py_ID(__parameters__), &sub) < 0) {
            goto error;
        }
        if (sub != NULL && PyTuple_Check(sub)) {
            for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(sub); j++) {
                if (append_unique(params, PyTuple_GET_ITEM(sub, j)) < 0) {
                    Py_DECREF(sub);
                    goto error;
                }
            }
        }
        Py_XDECREF(sub);
    }
    PyObject *res = PyList_AsTuple(params);
    Py_DECREF(params);
    return res;
error:
    Py_DECREF(params);
    return NULL;
}

/* Index of `param` in the tuple `params` (by identity), or -1. */
static Py_ssize_t
param_index(PyObject *params, PyObject *param)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(params); i++) {
        if (PyTuple_GET_ITEM(params, i) == param) {
            return i;
        }
    }
    return -1;
}

/* New reference: `items` with every unpacked tuple alias (`*tuple[int,
   str]`) replaced by its arguments. */
static PyObject *
unpack_items(PyObject *items)
{
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(items); i++) {
        PyObject *it = PyTuple_GET_ITEM(items, i);
        PyObject *sub = NULL;
        if (!PyType_Check(it) &&
            _PyObject_LookupAttr(it, _Py_ID(__typing_unpacked_tuple_args__),
                                 &sub) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        int rc;
        if (sub != NULL && PyTuple_Check(sub) &&
            !(PyTuple_GET_SIZE(sub) > 0 &&
              PyTuple_GET_ITEM(sub, PyTuple_GET_SIZE(sub) - 1) ==
                  Py_Ellipsis)) {
            PyObject *r = _PyList_Extend((PyListObject *)out, sub);
            rc = r == NULL ? -1 : 0;
            Py_XDECREF(r);
        }
        else {
            rc = PyList_Append(out, it);
        }
        Py_XDECREF(sub);
        if (rc < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    PyObject *res = PyList_AsTuple(out);
    Py_DECREF(out);
    return res;
}

/* Whether `param` is a TypeVarTuple: a type variable that iterates (its
   substitution is a tuple spliced into the arguments). */
static int
is_typevartuple(PyObject *param)
{
    return Py_TYPE(param)->tp_iter != NULL && !PyType_Check(param) &&
           !PyTuple_Check(param);
}

/* Whether `arg` is `*Ts` (typing marks it with
   __typing_is_unpacked_typevartuple__). */
static int
is_unpacked_typevartuple(PyObject *arg)
{
    if (PyType_Check(arg)) {
        return 0;
    }
    PyObject *v;
    int rc = _PyObject_LookupAttr(
        arg, _Py_ID(__typing_is_unpacked_typevartuple__), &v);
    if (rc <= 0) {
        return rc;
    }
    rc = PyObject_IsTrue(v);
    Py_DECREF(v);
    return rc;
}

/* New reference: `obj` (an alias argument that is not itself a type
   variable) with its own parameters substituted: obj[subargs]. */
static PyObject *
subs_tvars(PyObject *obj, PyObject *params, PyObject *argitems)
{
    PyObject *subparams;
    if (_PyObject_LookupAttr(obj, _Py_ID(__parameters__), &subparams) < 0) {
        return NULL;
    }
    if (subparams == NULL || !PyTuple_Check(subparams) ||
        PyTuple_GET_SIZE(subparams) == 0) {
        Py_XDECREF(subparams);
        return Py_NewRef(obj);
    }
    PyObject *subargs = PyList_New(0);
    if (subargs == NULL) {
        Py_DECREF(subparams);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(subparams); i++) {
        PyObject *p = PyTuple_GET_ITEM(subparams, i);
        Py_ssize_t k = param_index(params, p);
        int rc;
        if (k < 0) {
            rc = PyList_Append(subargs, p);
        }
        else {
            PyObject *a = PyTuple_GET_ITEM(argitems, k);
            if (is_typevartuple(p) && PyTuple_Check(a)) {
                PyObject *r = _PyList_Extend((PyListObject *)subargs, a);
                rc = r == NULL ? -1 : 0;
                Py_XDECREF(r);
            }
            else {
                rc = PyList_Append(subargs, a);
            }
        }
        if (rc < 0) {
            Py_DECREF(subargs);
            Py_DECREF(subparams);
            return NULL;
        }
    }
    Py_DECREF(subparams);
    PyObject *key = PyList_AsTuple(subargs);
    Py_DECREF(subargs);
    if (key == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_GetItem(obj, key);
    Py_DECREF(key);
    return res;
}

/* New reference: `item` after each parameter's __typing_prepare_subst__
   (ParamSpec and TypeVarTuple reshape the arguments they receive). */
static PyObject *
prepare_items(PyObject *self, PyObject *parameters, PyObject *item)
{
    Py_INCREF(item);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(parameters); i++) {
        PyObject *param = PyTuple_GET_ITEM(parameters, i);
        PyObject *prepare;
        if (PyType_Check(param)) {
            continue;
        }
        if (_PyObject_LookupAttr(param, _Py_ID(__typing_prepare_subst__),
                                 &prepare) < 0) {
            Py_DECREF(item);
            return NULL;
        }
        if (prepare == NULL || prepare == Py_None) {
            Py_XDECREF(prepare);
            continue;
        }
        PyObject *next = PyObject_CallFunctionObjArgs(prepare, self, item,
                                                      NULL);
        Py_DECREF(prepare);
        Py_DECREF(item);
        if (next == NULL) {
            return NULL;
        }
        item = as_tuple(next);
        Py_DECREF(next);
        if (item == NULL) {
            return NULL;
        }
    }
    return item;
}

/* Substitutes one argument of the alias into `newargs`. */
static int
subs_one(PyObject *newargs, PyObject *arg, PyObject *parameters,
         PyObject *items)
{
    if (PyType_Check(arg)) {
        return PyList_Append(newargs, arg);
    }
    int unpack = is_unpacked_typevartuple(arg);
    if (unpack < 0) {
        return -1;
    }
    PyObject *subst, *res;
    if (_PyObject_LookupAttr(arg, _Py_ID(__typing_subst__), &subst) < 0) {
        return -1;
    }
    if (subst != NULL) {
        Py_ssize_t k = param_index(parameters, arg);
        if (k < 0) {
            Py_DECREF(subst);
            PyErr_Format(PyExc_TypeError, "%R is not a parameter", arg);
            return -1;
        }
        res = PyObject_CallOneArg(subst, PyTuple_GET_ITEM(items, k));
        Py_DECREF(subst);
    }
    else {
        res = subs_tvars(arg, parameters, items);
    }
    if (res == NULL) {
        return -1;
    }
    int rc;
    if (unpack && PyTuple_Check(res)) {
        PyObject *r = _PyList_Extend((PyListObject *)newargs, res);
        rc = r == NULL ? -1 : 0;
        Py_XDECREF(r);
    }
    else {
        rc = PyList_Append(newargs, res);
    }
    Py_DECREF(res);
    return rc;
}

PyObject *
_Py_subs_parameters(PyObject *self, PyObject *args, PyObject *parameters,
                    PyObject *item)
{
    Py_ssize_t nparams = PyTuple_GET_SIZE(parameters);
    if (nparams == 0) {
        return PyErr_Format(PyExc_TypeError, "%R is not a generic class",
                            self);
    }
    PyObject *tup = as_tuple(item);
    if (tup == NULL) {
        return NULL;
    }
    PyObject *items = unpack_items(tup);
    Py_DECREF(tup);
    if (items == NULL) {
        return NULL;
    }
    Py_SETREF(items, prepare_items(self, parameters, items));
    if (items == NULL) {
        return NULL;
    }
    Py_ssize_t nitems = PyTuple_GET_SIZE(items);
    if (nitems != nparams) {
        PyErr_Format(PyExc_TypeError,
                     "Too %s arguments for %R; actual %zd, expected %zd",
                     nitems > nparams ? "many" : "few", self, nitems,
                     nparams);
        Py_DECREF(items);
        return NULL;
    }
    PyObject *newargs = PyList_New(0);
    if (newargs == NULL) {
        Py_DECREF(items);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(args); i++) {
        if (subs_one(newargs, PyTuple_GET_ITEM(args, i), parameters,
                     items) < 0) {
            Py_DECREF(newargs);
            Py_DECREF(items);
            return NULL;
        }
    }
    Py_DECREF(items);
    PyObject *res = PyList_AsTuple(newargs);
    Py_DECREF(newargs);
    return res;
}

/* ------------------------------------------------------------ objects */

/* Fills a freshly allocated alias; steals nothing. */
static void
ga_init_fields(gaobject *ga, PyObject *origin, PyObject *args, int starred)
{
    ga->origin = Py_NewRef(origin);
    ga->args = Py_NewRef(args);
    ga->parameters = NULL;
    ga->starred = starred;
}

/* New reference: an alias of exactly `type`. */
static PyObject *
ga_make(PyTypeObject *type, PyObject *origin, PyObject *args, int starred)
{
    PyObject *tup = as_tuple(args);
    if (tup == NULL) {
        return NULL;
    }
    gaobject *ga = (gaobject *)type->tp_alloc(type, 0);
    if (ga == NULL) {
        Py_DECREF(tup);
        return NULL;
    }
    ga_init_fields(ga, origin, tup, starred);
    Py_DECREF(tup);
    return (PyObject *)ga;
}

PyObject *
Py_GenericAlias(PyObject *origin, PyObject *args)
{
    return ga_make(&Py_GenericAliasType, origin, args, 0);
}

static PyObject *
ga_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (kwds != NULL && PyDict_GET_SIZE(kwds) != 0 &&
        type == &Py_GenericAliasType) {
        PyErr_SetString(PyExc_TypeError,
                        "GenericAlias() takes no keyword arguments");
        return NULL;
    }
    PyObject *origin, *arguments;
    if (!PyArg_UnpackTuple(args, "GenericAlias", 2, 2, &origin, &arguments)) {
        return NULL;
    }
    return ga_make(type, origin, arguments, 0);
}

static void
ga_dealloc(PyObject *self)
{
    gaobject *ga = (gaobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(ga->origin);
    Py_XDECREF(ga->args);
    Py_XDECREF(ga->parameters);
    Py_TYPE(self)->tp_free(self);
}

static int
ga_traverse(PyObject *self, visitproc visit, void *arg)
{
    gaobject *ga = (gaobject *)self;
    Py_VISIT(ga->origin);
    Py_VISIT(ga->args);
    Py_VISIT(_Py_atomic_load_ptr(&ga->parameters));
    return 0;
}

PyObject *
_Py_LazyParameters(PyObject **slot, PyObject *args)
{
    PyObject *params = _Py_atomic_load_ptr(slot);
    if (params != NULL) {
        return params;
    }
    params = _Py_make_parameters(args);
    if (params == NULL) {
        return NULL;
    }
    void *expected = NULL;
    if (!_Py_atomic_compare_exchange_ptr(slot, &expected, params)) {
        Py_DECREF(params);      /* another thread published equal ones */
        return expected;
    }
    return params;
}

/* Borrowed: the alias's parameters, computed once (see the top note). */
static PyObject *
ga_parameters_of(gaobject *ga)
{
    return _Py_LazyParameters(&ga->parameters, ga->args);
}

static PyObject *
ga_repr(PyObject *self)
{
    gaobject *ga = (gaobject *)self;
    PyObject *origin = _Py_typing_type_repr(ga->origin);
    if (origin == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(ga->args);
    PyObject *parts = PyList_New(0);
    if (parts == NULL) {
        Py_DECREF(origin);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *r = _Py_typing_type_repr(PyTuple_GET_ITEM(ga->args, i));
        if (r == NULL || PyList_Append(parts, r) < 0) {
            Py_XDECREF(r);
            Py_DECREF(parts);
            Py_DECREF(origin);
            return NULL;
        }
        Py_DECREF(r);
    }
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *inner = sep ? PyUnicode_Join(sep, parts) : NULL;
    Py_XDECREF(sep);
    Py_DECREF(parts);
    PyObject *res = NULL;
    if (inner != NULL) {
        res = PyUnicode_FromFormat("%s%U[%s%U]", ga->starred ? "*" : "",
                                   origin, n == 0 ? "()" : "", inner);
    }
    Py_XDECREF(inner);
    Py_DECREF(origin);
    return res;
}

/* Whether `name` is one an alias answers itself. */
static int
is_own_attribute(PyObject *name)
{
    for (const char *const *p = attr_exceptions; *p != NULL; p++) {
        if (_PyUnicode_EqualToASCIIString(name, *p)) {
            return 1;
        }
    }
    return 0;
}

static PyObject *
ga_getattro(PyObject *self, PyObject *name)
{
    if (PyUnicode_Check(name) && !is_own_attribute(name)) {
        return PyObject_GetAttr(((gaobject *)self)->origin, name);
    }
    return PyObject_GenericGetAttr(self, name);
}

static Py_hash_t
ga_hash(PyObject *self)
{
    gaobject *ga = (gaobject *)self;
    Py_hash_t h0 = PyObject_Hash(ga->origin);
    if (h0 == -1) {
        return -1;
    }
    Py_hash_t h1 = PyObject_Hash(ga->args);
    if (h1 == -1) {
        return -1;
    }
    Py_hash_t h = h0 ^ h1;
    return h == -1 ? -2 : h;
}

static PyObject *
ga_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!_PyGenericAlias_Check(b) || (op != Py_EQ && op != Py_NE)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    gaobject *x = (gaobject *)a, *y = (gaobject *)b;
    if (x->starred != y->starred) {
        return PyBool_FromLong(op == Py_NE);
    }
    int eq = PyObject_RichCompareBool(x->origin, y->origin, Py_EQ);
    if (eq < 0) {
        return NULL;
    }
    if (eq) {
        eq = PyObject_RichCompareBool(x->args, y->args, Py_EQ);
        if (eq < 0) {
            return NULL;
        }
    }
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

/* Calling an alias calls its origin and tags the new object with
   __orig_class__ when it takes attributes. */
static PyObject *
ga_call(PyObject *self, PyObject *args, PyObject *kwds)
{
    gaobject *ga = (gaobject *)self;
    PyObject *obj = PyObject_Call(ga->origin, args, kwds);
    if (obj == NULL) {
        return NULL;
    }
    if (PyObject_SetAttrString(obj, "__orig_class__", self) < 0) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError) &&
            !PyErr_ExceptionMatches(PyExc_TypeError)) {
            Py_DECREF(obj);
            return NULL;
        }
        PyErr_Clear();
    }
    return obj;
}

static PyObject *
ga_getitem(PyObject *self, PyObject *item)
{
    gaobject *ga = (gaobject *)self;
    PyObject *params = ga_parameters_of(ga);
    if (params == NULL) {
        return NULL;
    }
    PyObject *newargs = _Py_subs_parameters(self, ga->args, params, item);
    if (newargs == NULL) {
        return NULL;
    }
    PyObject *res = ga_make(&Py_GenericAliasType, ga->origin, newargs,
                            ga->starred);
    Py_DECREF(newargs);
    return res;
}

static PyMappingMethods ga_as_mapping = {
    .mp_subscript = ga_getitem,
};

static PyObject *
ga_or(PyObject *a, PyObject *b)
{
    return _Py_union_type_or(a, b);
}

static PyNumberMethods ga_as_number = {
    .nb_or = ga_or,
};

static PyObject *
ga_iter(PyObject *self)
{
    gaiterobject *it = PyObject_GC_New(gaiterobject, &gaiter_type);
    if (it == NULL) {
        return NULL;
    }
    it->alias = Py_NewRef(self);
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

static PyObject *
ga_mro_entries(PyObject *self, PyObject *bases)
{
    return PyTuple_Pack(1, ((gaobject *)self)->origin);
}

static PyObject *
ga_instancecheck(PyObject *self, PyObject *obj)
{
    PyErr_SetString(PyExc_TypeError,
                    "isinstance() argument 2 cannot be a parameterized "
                    "generic");
    return NULL;
}

static PyObject *
ga_subclasscheck(PyObject *self, PyObject *obj)
{
    PyErr_SetString(PyExc_TypeError,
                    "issubclass() argument 2 cannot be a parameterized "
                    "generic");
    return NULL;
}

/* A starred alias pickles as next(iter(alias)). */
static PyObject *
ga_reduce(PyObject *self, PyObject *unused)
{
    gaobject *ga = (gaobject *)self;
    if (!ga->starred) {
        return Py_BuildValue("O(OO)", Py_TYPE(self), ga->origin, ga->args);
    }
    PyObject *plain = ga_make(Py_TYPE(self), ga->origin, ga->args, 0);
    if (plain == NULL) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(plain);
    Py_DECREF(plain);
    if (it == NULL) {
        return NULL;
    }
    PyObject *builtins = PyEval_GetBuiltins();
    PyObject *next = builtins ? PyDict_GetItemString(builtins, "next") : NULL;
    PyObject *res = NULL;
    if (next != NULL) {
        res = Py_BuildValue("O(O)", next, it);
    }
    else if (!PyErr_Occurred()) {
        PyErr_SetString(PyExc_RuntimeError, "lost builtins.next");
    }
    Py_DECREF(it);
    return res;
}

static PyObject *
ga_dir(PyObject *self, PyObject *unused)
{
    PyObject *names = PyObject_Dir(((gaobject *)self)->origin);
    if (names == NULL) {
        return NULL;
    }
    for (const char *const *p = attr_exceptions; *p != NULL; p++) {
        PyObject *s = PyUnicode_FromString(*p);
        int has = s ? PySequence_Contains(names, s) : -1;
        if (has == 0) {
            has = PyList_Append(names, s);
        }
        Py_XDECREF(s);
        if (has < 0) {
            Py_DECREF(names);
            return NULL;
        }
    }
    return names;
}

static PyMethodDef ga_methods[] = {
    {"__mro_entries__", ga_mro_entries, METH_O, NULL},
    {"__instancecheck__", ga_instancecheck, METH_O, NULL},
    {"__subclasscheck__", ga_subclasscheck, METH_O, NULL},
    {"__reduce__", ga_reduce, METH_NOARGS, NULL},
    {"__dir__", ga_dir, METH_NOARGS, NULL},
    {NULL}
};

static PyMemberDef ga_members[] = {
    {"__origin__", T_OBJECT, offsetof(gaobject, origin), READONLY, NULL},
    {"__args__", T_OBJECT, offsetof(gaobject, args), READONLY, NULL},
    {NULL}
};

static PyObject *
ga_get_parameters(PyObject *self, void *context)
{
    return Py_XNewRef(ga_parameters_of((gaobject *)self));
}

static PyObject *
ga_get_unpacked(PyObject *self, void *context)
{
    return PyBool_FromLong(((gaobject *)self)->starred);
}

static PyObject *
ga_get_unpacked_tuple_args(PyObject *self, void *context)
{
    gaobject *ga = (gaobject *)self;
    if (ga->starred && ga->origin == (PyObject *)&PyTuple_Type) {
        return Py_NewRef(ga->args);
    }
    Py_RETURN_NONE;
}

static PyGetSetDef ga_getsets[] = {
    {"__parameters__", ga_get_parameters, NULL,
     "Type variables in the GenericAlias.", NULL},
    {"__unpacked__", ga_get_unpacked, NULL, NULL, NULL},
    {"__typing_unpacked_tuple_args__", ga_get_unpacked_tuple_args, NULL,
     NULL, NULL},
    {NULL}
};

PyTypeObject Py_GenericAliasType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "types.GenericAlias",
    .tp_doc = "Represent a PEP 585 generic type\n\n"
              "E.g. for t = list[int], t.__origin__ is list and "
              "t.__args__ is (int,).",
    .tp_basicsize = sizeof(gaobject),
    .tp_dealloc = ga_dealloc,
    .tp_repr = ga_repr,
    .tp_as_number = &ga_as_number,
    .tp_as_mapping = &ga_as_mapping,
    .tp_hash = ga_hash,
    .tp_call = ga_call,
    .tp_getattro = ga_getattro,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_BASETYPE,
    .tp_traverse = ga_traverse,
    .tp_richcompare = ga_richcompare,
    .tp_iter = ga_iter,
    .tp_methods = ga_methods,
    .tp_members = ga_members,
    .tp_getset = ga_getsets,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = ga_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------- the iterator of `*alias` */

/* Thread safety: the single item is claimed with an atomic exchange, so
   two threads sharing the iterator cannot both receive it. */
static PyObject *
gaiter_next(PyObject *self)
{
    gaiterobject *it = (gaiterobject *)self;
    gaobject *alias = _Py_atomic_exchange_ptr(&it->alias, NULL);
    if (alias == NULL) {
        return NULL;
    }
    PyObject *res = ga_make(Py_TYPE(alias), alias->origin, alias->args, 1);
    Py_DECREF(alias);
    return res;
}

static void
gaiter_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((gaiterobject *)self)->alias);
    PyObject_GC_Del(self);
}

static int
gaiter_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(_Py_atomic_load_ptr(&((gaiterobject *)self)->alias));
    return 0;
}

/* Pickles as iter((alias,)) advanced past nothing, or an empty iterator
   once exhausted. */
static PyObject *
gaiter_reduce(PyObject *self, PyObject *unused)
{
    PyObject *alias = _Py_atomic_load_ptr(&((gaiterobject *)self)->alias);
    PyObject *builtins = PyEval_GetBuiltins();
    PyObject *iter = builtins ? PyDict_GetItemString(builtins, "iter") : NULL;
    if (iter == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_RuntimeError, "lost builtins.iter");
        }
        return NULL;
    }
    if (alias == NULL) {
        return Py_BuildValue("O(())", iter);
    }
    return Py_BuildValue("O((O))", iter, alias);
}

static PyMethodDef gaiter_methods[] = {
    {"__reduce__", gaiter_reduce, METH_NOARGS, NULL},
    {NULL}
};

static PyTypeObject gaiter_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "generic_alias_iterator",
    .tp_basicsize = sizeof(gaiterobject),
    .tp_dealloc = gaiter_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = gaiter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = gaiter_next,
    .tp_methods = gaiter_methods,
};

int
_PyGenericAlias_InitTypes(void)
{
    if (PyType_Ready(&Py_GenericAliasType) < 0 ||
        PyType_Ready(&gaiter_type) < 0 ||
        PyType_Ready(&_PyUnion_Type) < 0) {
        return -1;
    }
    return 0;
}
