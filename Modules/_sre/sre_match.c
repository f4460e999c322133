/* re.Match: the result of a successful match or search.
 *
 * Thread safety: a Match is immutable once built (the spans are copied
 * out of the matching state), so it is read from any thread with no
 * lock.  Group texts are sliced from the subject when asked for; for a
 * buffer subject the buffer is taken again then and the spans are clamped
 * to its current length, so a bytearray resized meanwhile cannot make us
 * read out of bounds. */

#include "sre.h"
#include "structmember.h"
#include <string.h>

#define MATCH(op) ((SreMatchObject *)(op))

PyObject *
_PySRE_MatchNew(SrePatternObject *pattern, PyObject *string,
                Py_ssize_t pos, Py_ssize_t endpos, const SreState *st)
{
    Py_ssize_t ngroups = pattern->groups + 1;
    SreMatchObject *m = PyObject_NewVar(SreMatchObject, &_PySRE_MatchType,
                                        2 * ngroups);
    if (m == NULL) {
        return NULL;
    }
    m->string = Py_NewRef(string);
    m->pattern = (SrePatternObject *)Py_NewRef(pattern);
    m->pos = pos;
    m->endpos = endpos;
    m->ngroups = ngroups;
    m->lastindex = st->lastindex;
    m->marks[0] = st->match_start;
    m->marks[1] = st->match_end;
    for (Py_ssize_t g = 1; g < ngroups; g++) {
        _PySRE_GroupSpan(st, g, &m->marks[2 * g], &m->marks[2 * g + 1]);
    }
    return (PyObject *)m;
}

/* The group number named or numbered by index, or -1 with IndexError
   ("no such group") or the error of looking the name up. */
static Py_ssize_t
match_index(SreMatchObject *m, PyObject *index)
{
    Py_ssize_t i = -1;
    if (PyIndex_Check(index)) {
        i = PyNumber_AsSsize_t(index, NULL);
        if (i == -1 && PyErr_Occurred()) {
            return -1;
        }
    }
    else if (m->pattern->groupindex != NULL) {
        PyObject *v = PyDict_GetItemWithError(m->pattern->groupindex, index);
        if (v != NULL && PyLong_Check(v)) {
            i = PyLong_AsSsize_t(v);
        }
        else if (v == NULL) {
            /* unhashable keys are just not group names */
            PyErr_Clear();
        }
    }
    if (i < 0 || i >= m->ngroups) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_IndexError, "no such group");
        }
        return -1;
    }
    return i;
}

/* Text of group i, or dflt when it did not take part.  New reference. */
static PyObject *
match_slice(SreMatchObject *m, Py_ssize_t i, PyObject *dflt)
{
    Py_ssize_t s = m->marks[2 * i], e = m->marks[2 * i + 1];
    if (s < 0) {
        return Py_NewRef(dflt);
    }
    return _PySRE_Slice(m->string, m->pattern->isbytes == 1 ||
                        !PyUnicode_Check(m->string), s, e);
}

/* Text of the one group named or numbered by index (new reference). */
static PyObject *
match_group_one(SreMatchObject *m, PyObject *index)
{
    Py_ssize_t i = match_index(m, index);
    if (i < 0) {
        return NULL;
    }
    return match_slice(m, i, Py_None);
}

/* Match.group([group1, ...]).  New reference. */
static PyObject *
match_group(PyObject *self, PyObject *args)
{
    SreMatchObject *m = MATCH(self);
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n == 0) {
        return match_slice(m, 0, Py_None);
    }
    if (n == 1) {
        return match_group_one(m, PyTuple_GET_ITEM(args, 0));
    }
    PyObject *res = PyTuple_New(n);
    if (res == NULL) {
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *item = match_group_one(m, PyTuple_GET_ITEM(args, k));
        if (item == NULL) {
            Py_DECREF(res);
            return NULL;
        }
        PyTuple_SET_ITEM(res, k, item);
    }
    return res;
}

/* m[g] is m.group(g) (new reference). */
static PyObject *
match_getitem(PyObject *self, PyObject *index)
{
    return match_group_one(MATCH(self), index);
}

/* Match.groups(default=None).  New reference. */
static PyObject *
match_groups(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"default", NULL};
    PyObject *dflt = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:groups", kwlist,
                                     &dflt)) {
        return NULL;
    }
    SreMatchObject *m = MATCH(self);
    PyObject *res = PyTuple_New(m->ngroups - 1);
    if (res == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 1; i < m->ngroups; i++) {
        PyObject *item = match_slice(m, i, dflt);
        if (item == NULL) {
            Py_DECREF(res);
            return NULL;
        }
        PyTuple_SET_ITEM(res, i - 1, item);
    }
    return res;
}

/* Match.groupdict(default=None).  New reference. */
static PyObject *
match_groupdict(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"default", NULL};
    PyObject *dflt = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:groupdict", kwlist,
                                     &dflt)) {
        return NULL;
    }
    SreMatchObject *m = MATCH(self);
    PyObject *res = PyDict_New();
    PyObject *gi = m->pattern->groupindex;
    if (res == NULL || gi == NULL) {
        return res;
    }
    Py_ssize_t it = 0;
    PyObject *key, *value;
    while (PyDict_Next(gi, &it, &key, &value)) {
        Py_ssize_t i = match_index(m, key);
        PyObject *item = i < 0 ? NULL : match_slice(m, i, dflt);
        if (item == NULL || PyDict_SetItem(res, key, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(res);
            return NULL;
        }
        Py_DECREF(item);
    }
    return res;
}

/* The group named by the optional single argument of start/end/span. */
static Py_ssize_t
span_arg(SreMatchObject *m, PyObject *args, const char *name)
{
    PyObject *index = NULL;
    if (!PyArg_UnpackTuple(args, name, 0, 1, &index)) {
        return -1;
    }
    if (index == NULL) {
        return 0;
    }
    return match_index(m, index);
}

/* Match.start/end/span([group]): positions, -1 for a group that did not
   take part (new references). */
static PyObject *
match_start(PyObject *self, PyObject *args)
{
    Py_ssize_t i = span_arg(MATCH(self), args, "start");
    return i < 0 ? NULL : PyLong_FromSsize_t(MATCH(self)->marks[2 * i]);
}

static PyObject *
match_end(PyObject *self, PyObject *args)
{
    Py_ssize_t i = span_arg(MATCH(self), args, "end");
    return i < 0 ? NULL : PyLong_FromSsize_t(MATCH(self)->marks[2 * i + 1]);
}

static PyObject *
match_span(PyObject *self, PyObject *args)
{
    Py_ssize_t i = span_arg(MATCH(self), args, "span");
    if (i < 0) {
        return NULL;
    }
    return Py_BuildValue("(nn)", MATCH(self)->marks[2 * i],
                         MATCH(self)->marks[2 * i + 1]);
}

/* Match.expand(template): re._expand(pattern, match, template). */
static PyObject *
match_expand(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"template", NULL};
    PyObject *template;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:expand", kwlist,
                                     &template)) {
        return NULL;
    }
    PyObject *re = PyImport_ImportModule("re");
    if (re == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_CallMethod(re, "_expand", "OOO",
                                        MATCH(self)->pattern, self, template);
    Py_DECREF(re);
    return res;
}

/* Match.regs: the span of every group, group 0 first (new reference). */
static PyObject *
match_regs(PyObject *self, void *Py_UNUSED(closure))
{
    SreMatchObject *m = MATCH(self);
    PyObject *res = PyTuple_New(m->ngroups);
    for (Py_ssize_t i = 0; res != NULL && i < m->ngroups; i++) {
        PyObject *span = Py_BuildValue("(nn)", m->marks[2 * i],
                                       m->marks[2 * i + 1]);
        if (span == NULL) {
            Py_CLEAR(res);
            break;
        }
        PyTuple_SET_ITEM(res, i, span);
    }
    return res;
}

/* Match.lastindex / lastgroup: the last group closed, or None (new
   references). */
static PyObject *
match_lastindex(PyObject *self, void *Py_UNUSED(closure))
{
    SreMatchObject *m = MATCH(self);
    if (m->lastindex < 0) {
        Py_RETURN_NONE;
    }
    return PyLong_FromSsize_t(m->lastindex);
}

static PyObject *
match_lastgroup(PyObject *self, void *Py_UNUSED(closure))
{
    SreMatchObject *m = MATCH(self);
    PyObject *ig = m->pattern->indexgroup;
    if (m->lastindex < 0 || ig == NULL || !PyTuple_Check(ig) ||
        m->lastindex >= PyTuple_GET_SIZE(ig)) {
        Py_RETURN_NONE;
    }
    return Py_NewRef(PyTuple_GET_ITEM(ig, m->lastindex));
}

/* <re.Match object; span=(0, 1), match='a'>, the match's repr cut at 50
   characters.  New reference. */
static PyObject *
match_repr(PyObject *self)
{
    SreMatchObject *m = MATCH(self);
    PyObject *g = match_slice(m, 0, Py_None);
    if (g == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_Repr(g);
    Py_DECREF(g);
    if (r != NULL && PyUnicode_GET_LENGTH(r) > 50) {
        Py_SETREF(r, PyUnicode_Substring(r, 0, 50));
    }
    if (r == NULL) {
        return NULL;
    }
    PyObject *res = PyUnicode_FromFormat("<%s object; span=(%zd, %zd), "
                                         "match=%U>",
                                         Py_TYPE(self)->tp_name, m->marks[0],
                                         m->marks[1], r);
    Py_DECREF(r);
    return res;
}

/* Matches are immutable: copies are the object itself (new reference). */
static PyObject *
match_copy(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(self);
}

static PyObject *
match_deepcopy(PyObject *self, PyObject *memo)
{
    return Py_NewRef(self);
}

/* re.Match[str] (PEP 585; new reference). */
static PyObject *
match_class_getitem(PyObject *cls, PyObject *args)
{
    return Py_GenericAlias(cls, args);
}

/* Matches hold no cycles (subject and pattern only): no GC needed. */
static void
match_dealloc(PyObject *self)
{
    SreMatchObject *m = MATCH(self);
    Py_XDECREF(m->string);
    Py_XDECREF(m->pattern);
    PyObject_Free(self);
}

static PyMethodDef match_methods[] = {
    {"group", match_group, METH_VARARGS,
     "group([group1, ...]) -> str or tuple.\n    Return subgroup(s) of the "
     "match by indices or names.\n    For 0 returns the entire match."},
    {"start", match_start, METH_VARARGS,
     "Return index of the start of the substring matched by group."},
    {"end", match_end, METH_VARARGS,
     "Return index of the end of the substring matched by group."},
    {"span", match_span, METH_VARARGS,
     "For match object m, return the 2-tuple (m.start(group), "
     "m.end(group))."},
    {"groups", (PyCFunction)(void (*)(void))match_groups,
     METH_VARARGS | METH_KEYWORDS,
     "Return a tuple containing all the subgroups of the match, from 1."},
    {"groupdict", (PyCFunction)(void (*)(void))match_groupdict,
     METH_VARARGS | METH_KEYWORDS,
     "Return a dictionary containing all the named subgroups of the match, "
     "keyed by the subgroup name."},
    {"expand", (PyCFunction)(void (*)(void))match_expand,
     METH_VARARGS | METH_KEYWORDS,
     "Return the string obtained by doing backslash substitution on the "
     "string template, as done by the sub() method."},
    {"__copy__", match_copy, METH_NOARGS, NULL},
    {"__deepcopy__", match_deepcopy, METH_O, NULL},
    {"__class_getitem__", match_class_getitem, METH_O | METH_CLASS,
     "See PEP 585"},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef match_members[] = {
    {"string", T_OBJECT, offsetof(SreMatchObject, string), READONLY,
     "The string passed to match() or search()."},
    {"re", T_OBJECT, offsetof(SreMatchObject, pattern), READONLY,
     "The regular expression object."},
    {"pos", T_PYSSIZET, offsetof(SreMatchObject, pos), READONLY,
     "The index into the string at which the RE engine started looking for "
     "a match."},
    {"endpos", T_PYSSIZET, offsetof(SreMatchObject, endpos), READONLY,
     "The index into the string beyond which the RE engine will not go."},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef match_getset[] = {
    {"lastindex", match_lastindex, NULL,
     "The integer index of the last matched capturing group.", NULL},
    {"lastgroup", match_lastgroup, NULL,
     "The name of the last matched capturing group.", NULL},
    {"regs", match_regs, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMappingMethods match_as_mapping = {
    .mp_subscript = match_getitem,
};

PyTypeObject _PySRE_MatchType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "re.Match",
    .tp_basicsize = offsetof(SreMatchObject, marks),
    .tp_itemsize = sizeof(Py_ssize_t),
    .tp_dealloc = match_dealloc,
    .tp_repr = match_repr,
    .tp_as_mapping = &match_as_mapping,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The result of re.match() and re.search().\n"
              "Match objects always have a boolean value of True.",
    .tp_methods = match_methods,
    .tp_members = match_members,
    .tp_getset = match_getset,
};
