/* types.UnionType: what `int | str` evaluates to (PEP 604).
 *
 * A union holds a tuple of distinct members (types, generic aliases;
 * None is stored as NoneType).  isinstance()/issubclass() test each member
 * in turn; two unions are equal when they hold the same members in any
 * order.  `|` on types and aliases comes here through
 * _Py_union_type_or.
 *
 * Thread safety: the members are fixed at creation; __parameters__ is
 * computed on first use and published with a compare-and-swap, as in
 * genericaliasobject.c. */
#include "Python.h"
#include "pycore_global_strings.h"
#include "pycore_object.h"
#include "pycore_unionobject.h"
#include "structmember.h"

typedef struct {
    PyObject_HEAD
    PyObject *args;             /* tuple of at least two members */
    PyObject *parameters;       /* tuple, NULL until first asked for */
} unionobject;

/* Whether `obj` may be a member of a union. */
static int
is_unionable(PyObject *obj)
{
    return obj == Py_None || PyType_Check(obj) ||
           _PyGenericAlias_Check(obj) || _PyUnion_Check(obj);
}

/* Whether `a` and `b` count as the same member: aliases by equality,
   everything else by identity. */
static int
same_member(PyObject *a, PyObject *b)
{
    if (a == b) {
        return 1;
    }
    if (_PyGenericAlias_Check(a) && _PyGenericAlias_Check(b)) {
        return PyObject_RichCompareBool(a, b, Py_EQ);
    }
    return 0;
}

/* Adds `obj` (flattening a union, mapping None to NoneType) to `members`
   unless it is already there. */
static int
add_member(PyObject *members, PyObject *obj)
{
    if (_PyUnion_Check(obj)) {
        PyObject *args = ((unionobject *)obj)->args;
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(args); i++) {
            if (add_member(members, PyTuple_GET_ITEM(args, i)) < 0) {
                return -1;
            }
        }
        return 0;
    }
    if (obj == Py_None) {
        obj = (PyObject *)Py_TYPE(Py_None);
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(members); i++) {
        int same = same_member(PyList_GET_ITEM(members, i), obj);
        if (same != 0) {
            return same < 0 ? -1 : 0;
        }
    }
    return PyList_Append(members, obj);
}

/* New reference: a union of exactly the members in `members` (a tuple
   already flattened and without duplicates). */
static PyObject *
union_from_tuple(PyObject *members)
{
    if (PyTuple_GET_SIZE(members) == 1) {
        return Py_NewRef(PyTuple_GET_ITEM(members, 0));
    }
    unionobject *u = PyObject_GC_New(unionobject, &_PyUnion_Type);
    if (u == NULL) {
        return NULL;
    }
    u->args = Py_NewRef(members);
    u->parameters = NULL;
    PyObject_GC_Track(u);
    return (PyObject *)u;
}

PyObject *
_Py_union_type_or(PyObject *self, PyObject *other)
{
    if (!is_unionable(self) || !is_unionable(other)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *members = PyList_New(0);
    if (members == NULL) {
        return NULL;
    }
    if (add_member(members, self) < 0 || add_member(members, other) < 0) {
        Py_DECREF(members);
        return NULL;
    }
    PyObject *tup = PyList_AsTuple(members);
    Py_DECREF(members);
    if (tup == NULL) {
        return NULL;
    }
    PyObject *res = union_from_tuple(tup);
    Py_DECREF(tup);
    return res;
}

PyObject *
_Py_union_args(PyObject *self)
{
    return ((unionobject *)self)->args;
}

static void
union_dealloc(PyObject *self)
{
    unionobject *u = (unionobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(u->args);
    Py_XDECREF(u->parameters);
    PyObject_GC_Del(self);
}

static int
union_traverse(PyObject *self, visitproc visit, void *arg)
{
    unionobject *u = (unionobject *)self;
    Py_VISIT(u->args);
    Py_VISIT(_Py_atomic_load_ptr(&u->parameters));
    return 0;
}

static PyObject *
union_repr(PyObject *self)
{
    PyObject *args = ((unionobject *)self)->args;
    PyObject *parts = PyList_New(0);
    if (parts == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(args); i++) {
        PyObject *m = PyTuple_GET_ITEM(args, i);
        PyObject *r = m == (PyObject *)Py_TYPE(Py_None)
                          ? PyUnicode_FromString("None")
                          : _Py_typing_type_repr(m);
        if (r == NULL || PyList_Append(parts, r) < 0) {
            Py_XDECREF(r);
            Py_DECREF(parts);
            return NULL;
        }
        Py_DECREF(r);
    }
    PyObject *sep = PyUnicode_FromString(" | ");
    PyObject *res = sep ? PyUnicode_Join(sep, parts) : NULL;
    Py_XDECREF(sep);
    Py_DECREF(parts);
    return res;
}

static Py_hash_t
union_hash(PyObject *self)
{
    PyObject *set = PyFrozenSet_New(((unionobject *)self)->args);
    if (set == NULL) {
        return -1;
    }
    Py_hash_t h = PyObject_Hash(set);
    Py_DECREF(set);
    return h;
}

static PyObject *
union_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!_PyUnion_Check(b) || (op != Py_EQ && op != Py_NE)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *sa = PyFrozenSet_New(((unionobject *)a)->args);
    PyObject *sb = sa ? PyFrozenSet_New(((unionobject *)b)->args) : NULL;
    PyObject *res = sb ? PyObject_RichCompare(sa, sb, op) : NULL;
    Py_XDECREF(sa);
    Py_XDECREF(sb);
    return res;
}

/* Borrowed: the union's type variables, computed once. */
static PyObject *
union_parameters_of(unionobject *u)
{
    return _Py_LazyParameters(&u->parameters, u->args);
}

/* `(int | T)[str]`: substitutes, then rebuilds the union with `|` so that
   members that became equal merge (and typing objects build their own
   Union). */
static PyObject *
union_getitem(PyObject *self, PyObject *item)
{
    unionobject *u = (unionobject *)self;
    PyObject *params = union_parameters_of(u);
    if (params == NULL) {
        return NULL;
    }
    PyObject *newargs = _Py_subs_parameters(self, u->args, params, item);
    if (newargs == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(newargs);
    PyObject *res = n > 0 ? Py_NewRef(PyTuple_GET_ITEM(newargs, 0)) : NULL;
    for (Py_ssize_t i = 1; i < n && res != NULL; i++) {
        Py_SETREF(res, PyNumber_Or(res, PyTuple_GET_ITEM(newargs, i)));
    }
    Py_DECREF(newargs);
    return res;
}

static PyMappingMethods union_as_mapping = {
    .mp_subscript = union_getitem,
};

static PyObject *
union_or(PyObject *a, PyObject *b)
{
    return _Py_union_type_or(a, b);
}

static PyNumberMethods union_as_number = {
    .nb_or = union_or,
};

/* Shared by __instancecheck__ and __subclasscheck__: true when `obj`
   passes `check` against any member, in order. */
static PyObject *
check_members(PyObject *self, PyObject *obj,
              int (*check)(PyObject *, PyObject *))
{
    PyObject *args = ((unionobject *)self)->args;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(args); i++) {
        int r = check(obj, PyTuple_GET_ITEM(args, i));
        if (r != 0) {
            return r < 0 ? NULL : Py_NewRef(Py_True);
        }
    }
    Py_RETURN_FALSE;
}

static PyObject *
union_instancecheck(PyObject *self, PyObject *obj)
{
    return check_members(self, obj, PyObject_IsInstance);
}

static PyObject *
union_subclasscheck(PyObject *self, PyObject *obj)
{
    return check_members(self, obj, PyObject_IsSubclass);
}

static PyMethodDef union_methods[] = {
    {"__instancecheck__", union_instancecheck, METH_O, NULL},
    {"__subclasscheck__", union_subclasscheck, METH_O, NULL},
    {NULL}
};

static PyMemberDef union_members[] = {
    {"__args__", T_OBJECT, offsetof(unionobject, args), READONLY, NULL},
    {NULL}
};

static PyObject *
union_get_parameters(PyObject *self, void *context)
{
    return Py_XNewRef(union_parameters_of((unionobject *)self));
}

static PyGetSetDef union_getsets[] = {
    {"__parameters__", union_get_parameters, NULL,
     "Type variables in the types.UnionType.", NULL},
    {NULL}
};

PyTypeObject _PyUnion_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "types.UnionType",
    .tp_doc = "Represent a PEP 604 union type\n\n"
              "E.g. for int | str",
    .tp_basicsize = sizeof(unionobject),
    .tp_dealloc = union_dealloc,
    .tp_repr = union_repr,
    .tp_as_number = &union_as_number,
    .tp_as_mapping = &union_as_mapping,
    .tp_hash = union_hash,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = union_traverse,
    .tp_richcompare = union_richcompare,
    .tp_methods = union_methods,
    .tp_members = union_members,
    .tp_getset = union_getsets,
};
