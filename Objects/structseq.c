/* Struct sequences: tuple subclasses with named fields, made from a
 * PyStructSequence_Desc (os.stat_result, time.struct_time, sys.flags...).
 *
 * Layout.  An instance is a PyTupleObject whose ob_size is the number of
 * visible fields (n_sequence_fields); the attribute-only fields follow in
 * the same ob_item array.  The type's tp_basicsize is the tuple header plus
 * one pointer per attribute-only field, so an allocation of ob_size items
 * always has room for all of them and the hidden count can be recovered
 * from the type alone (dealloc and traverse need it without a dict
 * lookup).  Every named field is a read-only T_OBJECT member at its
 * ob_item offset; unnamed fields (PyStructSequence_UnnamedField) have no
 * member.  The counts are also published in the type dict as n_fields,
 * n_sequence_fields and n_unnamed_fields, as in CPython.
 *
 * Thread safety.  An instance is filled by its creator before anyone else
 * can see it and never changes afterwards, and the types are immutable once
 * made, so nothing here locks: readers see fully initialised objects
 * through the ordinary publication of the pointer. */
#include "Python.h"
#include "structmember.h"

#include <stddef.h>

const char * const PyStructSequence_UnnamedField = "unnamed field";

#define ITEMS_OFFSET offsetof(PyTupleObject, ob_item)

/* Number of attribute-only fields of instances of TYPE, from its size. */
static inline Py_ssize_t
hidden_count(PyTypeObject *type)
{
    return (Py_ssize_t)((type->tp_basicsize - ITEMS_OFFSET)
                        / sizeof(PyObject *));
}

/* Total field count of the instance OP (visible plus attribute-only). */
static inline Py_ssize_t
field_count(PyObject *op)
{
    return Py_SIZE(op) + hidden_count(Py_TYPE(op));
}

/* Reads one of the integer class attributes the type publishes; -1 with an
   exception when it is missing (a type not made here). */
static Py_ssize_t
type_count(PyTypeObject *type, const char *name)
{
    PyObject *v = _PyDict_GetItemStringWithError(_PyType_GetDict(type), name);
    if (v == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_TypeError, "%s is not a struct sequence type "
                         "(missing %s)", type->tp_name, name);
        }
        return -1;
    }
    return PyLong_AsSsize_t(v);
}

/* Number of named members of TYPE (its tp_members table). */
static Py_ssize_t
member_count(PyTypeObject *type)
{
    Py_ssize_t n = 0;
    for (PyMemberDef *m = type->tp_members; m != NULL && m->name; m++) {
        n++;
    }
    return n;
}

/* ================================================================ C API */

PyObject *
PyStructSequence_New(PyTypeObject *type)
{
    Py_ssize_t visible = type_count(type, "n_sequence_fields");
    if (visible < 0) {
        return NULL;
    }
    /* tp_alloc zero-fills all fields and tracks the object; a NULL field
       reads as None and is skipped by traverse. */
    return type->tp_alloc(type, visible);
}

void
PyStructSequence_SetItem(PyObject *p, Py_ssize_t pos, PyObject *v)
{
    assert(pos >= 0 && pos < field_count(p));
    PyObject *old = ((PyTupleObject *)p)->ob_item[pos];
    ((PyTupleObject *)p)->ob_item[pos] = v;
    Py_XDECREF(old);
}

PyObject *
PyStructSequence_GetItem(PyObject *p, Py_ssize_t pos)
{
    assert(pos >= 0 && pos < field_count(p));
    return ((PyTupleObject *)p)->ob_item[pos];
}

/* ================================================================ slots */

/* Releases every field, visible or not. */
static void
structseq_dealloc(PyObject *op)
{
    PyTypeObject *tp = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    Py_ssize_t n = field_count(op);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_CLEAR(((PyTupleObject *)op)->ob_item[i]);
    }
    tp->tp_free(op);
    if (PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE)) {
        Py_DECREF(tp);
    }
}

/* Visits the attribute-only fields too (tuple's traverse stops at
   ob_size), and the heap type each instance owns a reference to. */
static int
structseq_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_ssize_t n = field_count(op);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_VISIT(((PyTupleObject *)op)->ob_item[i]);
    }
    if (PyType_HasFeature(Py_TYPE(op), Py_TPFLAGS_HEAPTYPE)) {
        Py_VISIT(Py_TYPE(op));
    }
    return 0;
}

/* Raises the 3.11 length error for a LEN-item sequence given to TYPE. */
static void
bad_length(PyTypeObject *type, Py_ssize_t len, Py_ssize_t min_len,
           Py_ssize_t max_len)
{
    if (min_len == max_len) {
        PyErr_Format(PyExc_TypeError,
                     "%.500s() takes a %zd-sequence (%zd-sequence given)",
                     type->tp_name, min_len, len);
    }
    else if (len < min_len) {
        PyErr_Format(PyExc_TypeError,
                     "%.500s() takes an at least %zd-sequence "
                     "(%zd-sequence given)", type->tp_name, min_len, len);
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "%.500s() takes an at most %zd-sequence "
                     "(%zd-sequence given)", type->tp_name, max_len, len);
    }
}

/* Fills fields LEN.. of RES from DICT by member name (None when absent).
   Field i past the visible ones is named by member i - n_unnamed. */
static int
fill_from_dict(PyObject *res, PyObject *dict, Py_ssize_t len,
               Py_ssize_t total, Py_ssize_t unnamed)
{
    PyMemberDef *members = Py_TYPE(res)->tp_members;
    for (Py_ssize_t i = len; i < total; i++) {
        PyObject *v = NULL;
        if (dict != NULL) {
            v = _PyDict_GetItemStringWithError(dict,
                                               members[i - unnamed].name);
            if (v == NULL && PyErr_Occurred()) {
                return -1;
            }
        }
        ((PyTupleObject *)res)->ob_item[i] = Py_NewRef(v ? v : Py_None);
    }
    return 0;
}

/* New reference: the instance made from the items of the sequence FAST
   and the optional DICT of attribute-only fields. */
static PyObject *
structseq_from_fast(PyTypeObject *type, PyObject *fast, PyObject *dict)
{
    Py_ssize_t visible = type_count(type, "n_sequence_fields");
    Py_ssize_t total = type_count(type, "n_fields");
    Py_ssize_t unnamed = type_count(type, "n_unnamed_fields");
    if (visible < 0 || total < 0 || unnamed < 0) {
        return NULL;
    }
    Py_ssize_t len = PySequence_Fast_GET_SIZE(fast);
    if (len < visible || len > total) {
        bad_length(type, len, visible, total);
        return NULL;
    }
    PyObject *res = type->tp_alloc(type, visible);
    if (res == NULL) {
        return NULL;
    }
    PyObject **src = PySequence_Fast_ITEMS(fast);
    for (Py_ssize_t i = 0; i < len; i++) {
        ((PyTupleObject *)res)->ob_item[i] = Py_NewRef(src[i]);
    }
    if (fill_from_dict(res, dict, len, total, unnamed) < 0) {
        Py_DECREF(res);
        return NULL;
    }
    return res;
}

/* structseq(sequence, dict=None): the 3.11 constructor. */
static PyObject *
structseq_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"sequence", "dict", NULL};
    PyObject *arg, *dict = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O:structseq", kwlist,
                                     &arg, &dict)) {
        return NULL;
    }
    if (dict != NULL && !PyDict_Check(dict)) {
        PyErr_Format(PyExc_TypeError,
                     "%.500s() takes a dict as second arg, if any",
                     type->tp_name);
        return NULL;
    }
    PyObject *fast = PySequence_Fast(arg, "constructor requires a sequence");
    if (fast == NULL) {
        return NULL;
    }
    PyObject *res = structseq_from_fast(type, fast, dict);
    Py_DECREF(fast);
    return res;
}

/* repr: "module.name(f0=v0, f1=v1, ...)" over the visible fields, each
   named by the member of the same index. */
static PyObject *
structseq_repr(PyObject *op)
{
    PyTypeObject *type = Py_TYPE(op);
    PyMemberDef *members = type->tp_members;
    Py_ssize_t nmembers = member_count(type);
    Py_ssize_t n = Py_SIZE(op);
    PyObject *parts = PyList_New(0);
    if (parts == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        const char *name = i < nmembers ? members[i].name : "?";
        PyObject *item = ((PyTupleObject *)op)->ob_item[i];
        PyObject *s = PyUnicode_FromFormat("%s=%R", name,
                                           item ? item : Py_None);
        if (s == NULL || PyList_Append(parts, s) < 0) {
            Py_XDECREF(s);
            Py_DECREF(parts);
            return NULL;
        }
        Py_DECREF(s);
    }
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *body = sep ? PyUnicode_Join(sep, parts) : NULL;
    Py_XDECREF(sep);
    Py_DECREF(parts);
    if (body == NULL) {
        return NULL;
    }
    PyObject *res = PyUnicode_FromFormat("%s(%U)", type->tp_name, body);
    Py_DECREF(body);
    return res;
}

/* __reduce__: (type, (visible tuple, {name: value of each attribute-only
   field})), which the constructor accepts back. */
static PyObject *
structseq_reduce(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    PyTypeObject *type = Py_TYPE(op);
    Py_ssize_t unnamed = type_count(type, "n_unnamed_fields");
    if (unnamed < 0) {
        return NULL;
    }
    Py_ssize_t visible = Py_SIZE(op);
    Py_ssize_t total = field_count(op);
    PyObject **items = ((PyTupleObject *)op)->ob_item;
    PyObject *tup = _PyTuple_FromArray(items, visible);
    PyObject *dict = PyDict_New();
    if (tup == NULL || dict == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = visible; i < total; i++) {
        const char *name = type->tp_members[i - unnamed].name;
        if (PyDict_SetItemString(dict, name,
                                 items[i] ? items[i] : Py_None) < 0) {
            goto fail;
        }
    }
    PyObject *res = Py_BuildValue("(O(OO))", type, tup, dict);
    Py_DECREF(tup);
    Py_DECREF(dict);
    return res;
fail:
    Py_XDECREF(tup);
    Py_XDECREF(dict);
    return NULL;
}

static PyMethodDef structseq_methods[] = {
    {"__reduce__", structseq_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

/* ================================================================ types */

/* Counts the fields of DESC: all, and those without a name. */
static void
count_fields(PyStructSequence_Desc *desc, Py_ssize_t *total,
             Py_ssize_t *unnamed)
{
    *total = 0;
    *unnamed = 0;
    for (PyStructSequence_Field *f = desc->fields; f->name != NULL; f++) {
        (*total)++;
        if (f->name == PyStructSequence_UnnamedField) {
            (*unnamed)++;
        }
    }
}

/* New PyMem block: one read-only member per named field of DESC, at its
   item offset, NULL-terminated. */
static PyMemberDef *
make_members(PyStructSequence_Desc *desc, Py_ssize_t total,
             Py_ssize_t unnamed)
{
    PyMemberDef *members = PyMem_Calloc((size_t)(total - unnamed + 1),
                                        sizeof(PyMemberDef));
    if (members == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < total; i++) {
        PyStructSequence_Field *f = &desc->fields[i];
        if (f->name == PyStructSequence_UnnamedField) {
            continue;
        }
        members[k].name = f->name;
        members[k].type = T_OBJECT;
        members[k].offset = (Py_ssize_t)(ITEMS_OFFSET
                                         + i * sizeof(PyObject *));
        members[k].flags = READONLY;
        members[k].doc = f->doc;
        k++;
    }
    return members;
}

/* Stores one integer class attribute in DICT. */
static int
set_count(PyObject *dict, const char *name, Py_ssize_t value)
{
    PyObject *v = PyLong_FromSsize_t(value);
    if (v == NULL) {
        return -1;
    }
    int r = PyDict_SetItemString(dict, name, v);
    Py_DECREF(v);
    return r;
}

/* Publishes the counts and __match_args__ (the visible named fields) in
   the dict of the freshly readied TYPE. */
static int
add_class_attributes(PyTypeObject *type, PyStructSequence_Desc *desc,
                     Py_ssize_t total, Py_ssize_t unnamed)
{
    PyObject *dict = _PyType_GetDict(type);
    Py_ssize_t visible = desc->n_in_sequence;
    if (set_count(dict, "n_sequence_fields", visible) < 0 ||
        set_count(dict, "n_fields", total) < 0 ||
        set_count(dict, "n_unnamed_fields", unnamed) < 0) {
        return -1;
    }
    Py_ssize_t nmatch = visible - unnamed;
    PyObject *names = PyTuple_New(nmatch > 0 ? nmatch : 0);
    if (names == NULL) {
        return -1;
    }
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < visible && k < nmatch; i++) {
        const char *name = desc->fields[i].name;
        if (name == PyStructSequence_UnnamedField) {
            continue;
        }
        PyObject *s = PyUnicode_InternFromString(name);
        if (s == NULL) {
            Py_DECREF(names);
            return -1;
        }
        PyTuple_SET_ITEM(names, k++, s);
    }
    int r = PyDict_SetItemString(dict, "__match_args__", names);
    Py_DECREF(names);
    return r;
}

/* Checks DESC and counts its fields; -1 with an exception when bad. */
static int
check_desc(PyStructSequence_Desc *desc, Py_ssize_t *total,
           Py_ssize_t *unnamed)
{
    count_fields(desc, total, unnamed);
    if (desc->n_in_sequence < 0 || desc->n_in_sequence > *total) {
        PyErr_Format(PyExc_SystemError,
                     "struct sequence %s: n_in_sequence out of range",
                     desc->name);
        return -1;
    }
    return 0;
}

int
PyStructSequence_InitType2(PyTypeObject *type, PyStructSequence_Desc *desc)
{
    Py_ssize_t total, unnamed;
    if (check_desc(desc, &total, &unnamed) < 0) {
        return -1;
    }
    if (type->tp_name != NULL && type->tp_dict != NULL) {
        return 0;   /* already initialised */
    }
    PyMemberDef *members = make_members(desc, total, unnamed);
    if (members == NULL) {
        return -1;
    }
    Py_ssize_t hidden = total - desc->n_in_sequence;
    type->tp_name = desc->name;
    type->tp_doc = desc->doc;
    type->tp_base = &PyTuple_Type;
    type->tp_basicsize = (Py_ssize_t)(ITEMS_OFFSET
                                      + hidden * sizeof(PyObject *));
    type->tp_itemsize = sizeof(PyObject *);
    type->tp_dealloc = structseq_dealloc;
    type->tp_repr = structseq_repr;
    type->tp_traverse = structseq_traverse;
    type->tp_methods = structseq_methods;
    type->tp_members = members;
    type->tp_new = structseq_new;
    type->tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                     Py_TPFLAGS_TUPLE_SUBCLASS;
    if (PyType_Ready(type) < 0 ||
        add_class_attributes(type, desc, total, unnamed) < 0) {
        return -1;
    }
    return 0;
}

void
PyStructSequence_InitType(PyTypeObject *type, PyStructSequence_Desc *desc)
{
    (void)PyStructSequence_InitType2(type, desc);
}

PyTypeObject *
PyStructSequence_NewType(PyStructSequence_Desc *desc)
{
    Py_ssize_t total, unnamed;
    if (check_desc(desc, &total, &unnamed) < 0) {
        return NULL;
    }
    PyMemberDef *members = make_members(desc, total, unnamed);
    if (members == NULL) {
        return NULL;
    }
    Py_ssize_t hidden = total - desc->n_in_sequence;
    PyType_Slot slots[8] = {
        {Py_tp_dealloc, structseq_dealloc},
        {Py_tp_repr, structseq_repr},
        {Py_tp_methods, structseq_methods},
        {Py_tp_new, structseq_new},
        {Py_tp_traverse, structseq_traverse},
        {Py_tp_members, members},
        {0, NULL},
        {0, NULL},
    };
    if (desc->doc != NULL) {
        slots[6].slot = Py_tp_doc;
        slots[6].pfunc = (void *)desc->doc;
    }
    PyType_Spec spec = {
        .name = desc->name,
        .basicsize = (int)(ITEMS_OFFSET + hidden * sizeof(PyObject *)),
        .itemsize = sizeof(PyObject *),
        .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                 Py_TPFLAGS_TUPLE_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
        .slots = slots,
    };
    PyObject *bases = PyTuple_Pack(1, (PyObject *)&PyTuple_Type);
    if (bases == NULL) {
        PyMem_Free(members);
        return NULL;
    }
    PyObject *type = PyType_FromSpecWithBases(&spec, bases);
    Py_DECREF(bases);
    PyMem_Free(members);    /* the heap type keeps its own copy */
    if (type == NULL) {
        return NULL;
    }
    if (add_class_attributes((PyTypeObject *)type, desc, total,
                             unnamed) < 0) {
        Py_DECREF(type);
        return NULL;
    }
    return (PyTypeObject *)type;
}
