/* The instruction bodies of the eval loop, included by Python/ceval.c
 * inside _PyEval_EvalFrame.  One TARGET per row of _PY_OPCODES
 * (Include/internal/pycore_opcode.h); TARGET skips the instruction's
 * cache units first, so relative jumps count from next_instr.
 *
 * Conventions: stack slots are _PyStackRefs.  A body that consumes a
 * value either CLOSEs it (tag-aware decref) or STEALs it (a counted
 * reference).  `goto error` with an exception set unwinds; values still
 * on the stack are released by the unwinder. */

TARGET(CACHE) {
    goto _unknown_opcode;
}

TARGET(NOP) {
    DISPATCH();
}

TARGET(RESUME) {
    CHECK_EVAL_BREAKER();
    DISPATCH();
}

TARGET(EXTENDED_ARG) {
    int prev = oparg;
    _PyCodeUnitWord w = *next_instr++;
    opcode = _PyCode_OPCODE(w);
    oparg = (prev << 8) | _PyCode_OPARG(w);
    frame->prev_instr = next_instr - 1;
#if USE_COMPUTED_GOTOS
    DISPATCH_SAME_OPARG();
#else
    goto dispatch_same_oparg;
#endif
}

TARGET(POP_TOP) {
    CLOSE(POP());
    DISPATCH();
}

TARGET(PUSH_NULL) {
    PUSH(_PyStackRef_NULL);
    DISPATCH();
}

TARGET(LOAD_CONST) {
    PUSH(_PyStackRef_FromPyObjectNew(GETITEM(consts, oparg)));
    DISPATCH();
}

TARGET(LOAD_FAST) {
    PUSH(_PyStackRef_Dup(GETLOCAL(oparg)));
    DISPATCH();
}

TARGET(LOAD_FAST_CHECK) {
    _PyStackRef v = GETLOCAL(oparg);
    if (_PyStackRef_IsNull(v)) {
        _PyEval_FormatUnbound(tstate, frame->f_code, oparg);
        goto error;
    }
    PUSH(_PyStackRef_Dup(v));
    DISPATCH();
}

TARGET(STORE_FAST) {
    _PyStackRef old = GETLOCAL(oparg);
    GETLOCAL(oparg) = POP();
    XCLOSE(old);
    DISPATCH();
}

TARGET(DELETE_FAST) {
    _PyStackRef old = GETLOCAL(oparg);
    if (_PyStackRef_IsNull(old)) {
        _PyEval_FormatUnbound(tstate, frame->f_code, oparg);
        goto error;
    }
    GETLOCAL(oparg) = _PyStackRef_NULL;
    CLOSE(old);
    DISPATCH();
}

TARGET(SWAP) {
    _PyStackRef top = TOP();
    SET_TOP(PEEK(oparg));
    POKE(oparg, top);
    DISPATCH();
}

TARGET(COPY) {
    _PyStackRef v = _PyStackRef_Dup(PEEK(oparg));
    PUSH(v);
    DISPATCH();
}

TARGET(UNARY_POSITIVE) {
    PyObject *v = BORROW(TOP());
    PyObject *res = PyNumber_Positive(v);
    if (res == NULL) {
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(res));
    DISPATCH();
}

TARGET(UNARY_NEGATIVE) {
    PyObject *res = PyNumber_Negative(BORROW(TOP()));
    if (res == NULL) {
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(res));
    DISPATCH();
}

TARGET(UNARY_INVERT) {
    PyObject *res = PyNumber_Invert(BORROW(TOP()));
    if (res == NULL) {
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(res));
    DISPATCH();
}

TARGET(UNARY_NOT) {
    int err = PyObject_IsTrue(BORROW(TOP()));
    if (err < 0) {
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(err ? Py_False : Py_True));
    DISPATCH();
}

TARGET(BINARY_OP) {
    PyObject *lhs = BORROW(SECOND());
    PyObject *rhs = BORROW(TOP());
    PyObject *res = _PyEval_BinaryOp(lhs, rhs, oparg);
    if (res == NULL) {
        goto error;
    }
    CLOSE(POP());
    CLOSE(TOP());
    SET_TOP(NEWREF(res));
    DISPATCH();
}

TARGET(COMPARE_OP) {
    PyObject *res = PyObject_RichCompare(BORROW(SECOND()), BORROW(TOP()),
                                         oparg);
    if (res == NULL) {
        goto error;
    }
    CLOSE(POP());
    CLOSE(TOP());
    SET_TOP(NEWREF(res));
    DISPATCH();
}

TARGET(IS_OP) {
    int res = BORROW(SECOND()) == BORROW(TOP());
    CLOSE(POP());
    CLOSE(TOP());
    SET_TOP(NEWREF((res ^ oparg) ? Py_True : Py_False));
    DISPATCH();
}

TARGET(CONTAINS_OP) {
    int res = PySequence_Contains(BORROW(TOP()), BORROW(SECOND()));
    if (res < 0) {
        goto error;
    }
    CLOSE(POP());
    CLOSE(TOP());
    SET_TOP(NEWREF((res ^ oparg) ? Py_True : Py_False));
    DISPATCH();
}

TARGET(BINARY_SUBSCR) {
    PyObject *res = PyObject_GetItem(BORROW(SECOND()), BORROW(TOP()));
    if (res == NULL) {
        goto error;
    }
    CLOSE(POP());
    CLOSE(TOP());
    SET_TOP(NEWREF(res));
    DISPATCH();
}

TARGET(STORE_SUBSCR) {
    /* [value, container, sub] */
    int err = PyObject_SetItem(BORROW(SECOND()), BORROW(TOP()),
                               BORROW(THIRD()));
    if (err < 0) {
        goto error;
    }
    CLOSE(POP());
    CLOSE(POP());
    CLOSE(POP());
    DISPATCH();
}

TARGET(DELETE_SUBSCR) {
    int err = PyObject_DelItem(BORROW(SECOND()), BORROW(TOP()));
    if (err < 0) {
        goto error;
    }
    CLOSE(POP());
    CLOSE(POP());
    DISPATCH();
}

TARGET(BUILD_SLICE) {
    PyObject *step = oparg == 3 ? BORROW(TOP()) : NULL;
    PyObject *stop = BORROW(PEEK(oparg == 3 ? 2 : 1));
    PyObject *start = BORROW(PEEK(oparg == 3 ? 3 : 2));
    PyObject *slice = PySlice_New(start, stop, step);
    if (slice == NULL) {
        goto error;
    }
    for (int i = 0; i < oparg; i++) {
        CLOSE(POP());
    }
    PUSH_OBJ(slice);
    DISPATCH();
}

TARGET(GET_LEN) {
    Py_ssize_t n = PyObject_Length(BORROW(TOP()));
    if (n < 0) {
        goto error;
    }
    PyObject *len = PyLong_FromSsize_t(n);
    if (len == NULL) {
        goto error;
    }
    PUSH_OBJ(len);
    DISPATCH();
}

TARGET(MATCH_MAPPING) {
    PyObject *subject = BORROW(TOP());
    int match = (Py_TYPE(subject)->tp_flags & Py_TPFLAGS_MAPPING) != 0;
    PUSH_OBJ(match ? Py_True : Py_False);
    DISPATCH();
}

TARGET(MATCH_SEQUENCE) {
    PyObject *subject = BORROW(TOP());
    int match = (Py_TYPE(subject)->tp_flags & Py_TPFLAGS_SEQUENCE) != 0;
    PUSH_OBJ(match ? Py_True : Py_False);
    DISPATCH();
}

TARGET(MATCH_KEYS) {
    PyObject *values = _PyEval_MatchKeys(tstate, BORROW(SECOND()),
                                         BORROW(TOP()));
    if (values == NULL) {
        if (_PyErr_Occurred(tstate)) {
            goto error;
        }
        values = Py_None;
    }
    PUSH_OBJ(values);
    DISPATCH();
}

TARGET(MATCH_CLASS) {
    /* [subject, type, names] -> [attrs or None] */
    PyObject *names_ = BORROW(TOP());
    PyObject *type = BORROW(SECOND());
    PyObject *subject = BORROW(THIRD());
    PyObject *attrs = _PyEval_MatchClass(tstate, subject, type, oparg,
                                         names_);
    if (attrs == NULL) {
        if (_PyErr_Occurred(tstate)) {
            goto error;
        }
        attrs = Py_None;
    }
    CLOSE(POP());
    CLOSE(POP());
    CLOSE(TOP());
    SET_TOP(NEWREF(attrs));
    DISPATCH();
}

TARGET(GET_ITER) {
    PyObject *iter = PyObject_GetIter(BORROW(TOP()));
    if (iter == NULL) {
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(iter));
    DISPATCH();
}

TARGET(GET_YIELD_FROM_ITER) {
    PyObject *iterable = BORROW(TOP());
    PyObject *iter;
    if (PyCoro_CheckExact(iterable)) {
        if (!(frame->f_code->co_flags
              & (CO_COROUTINE | CO_ITERABLE_COROUTINE))) {
            _PyErr_SetString(tstate, PyExc_TypeError,
                             "cannot 'yield from' a coroutine object "
                             "in a non-coroutine generator");
            goto error;
        }
        DISPATCH();
    }
    if (PyGen_CheckExact(iterable)) {
        DISPATCH();
    }
    iter = PyObject_GetIter(iterable);
    if (iter == NULL) {
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(iter));
    DISPATCH();
}

TARGET(FOR_ITER) {
    PyObject *iter = BORROW(TOP());
    PyObject *next = (*Py_TYPE(iter)->tp_iternext)(iter);
    if (next != NULL) {
        PUSH_OBJ(next);
        DISPATCH();
    }
    if (_PyErr_Occurred(tstate)) {
        if (!_PyErr_ExceptionMatches(tstate, PyExc_StopIteration)) {
            goto error;
        }
        _PyErr_Clear(tstate);
    }
    CLOSE(POP());
    JUMPBY(oparg);
    DISPATCH();
}

TARGET(JUMP_FORWARD) {
    JUMPBY(oparg);
    DISPATCH();
}

TARGET(JUMP_BACKWARD) {
    JUMPBY(-oparg);
    CHECK_EVAL_BREAKER();
    DISPATCH();
}

TARGET(JUMP_BACKWARD_NO_INTERRUPT) {
    JUMPBY(-oparg);
    DISPATCH();
}

TARGET(POP_JUMP_FORWARD_IF_FALSE) {
    _PyStackRef cond = POP();
    PyObject *c = BORROW(cond);
    if (c == Py_True) {
        DISPATCH();
    }
    if (c == Py_False) {
        JUMPBY(oparg);
        DISPATCH();
    }
    int err = PyObject_IsTrue(c);
    CLOSE(cond);
    if (err < 0) {
        goto error;
    }
    if (err == 0) {
        JUMPBY(oparg);
    }
    DISPATCH();
}

TARGET(POP_JUMP_FORWARD_IF_TRUE) {
    _PyStackRef cond = POP();
    PyObject *c = BORROW(cond);
    if (c == Py_False) {
        DISPATCH();
    }
    if (c == Py_True) {
        JUMPBY(oparg);
        DISPATCH();
    }
    int err = PyObject_IsTrue(c);
    CLOSE(cond);
    if (err < 0) {
        goto error;
    }
    if (err > 0) {
        JUMPBY(oparg);
    }
    DISPATCH();
}

TARGET(POP_JUMP_BACKWARD_IF_FALSE) {
    _PyStackRef cond = POP();
    int err = PyObject_IsTrue(BORROW(cond));
    CLOSE(cond);
    if (err < 0) {
        goto error;
    }
    if (err == 0) {
        JUMPBY(-oparg);
        CHECK_EVAL_BREAKER();
    }
    DISPATCH();
}

TARGET(POP_JUMP_BACKWARD_IF_TRUE) {
    _PyStackRef cond = POP();
    int err = PyObject_IsTrue(BORROW(cond));
    CLOSE(cond);
    if (err < 0) {
        goto error;
    }
    if (err > 0) {
        JUMPBY(-oparg);
        CHECK_EVAL_BREAKER();
    }
    DISPATCH();
}

TARGET(POP_JUMP_FORWARD_IF_NONE) {
    _PyStackRef v = POP();
    int is_none = BORROW(v) == Py_None;
    CLOSE(v);
    if (is_none) {
        JUMPBY(oparg);
    }
    DISPATCH();
}

TARGET(POP_JUMP_FORWARD_IF_NOT_NONE) {
    _PyStackRef v = POP();
    int is_none = BORROW(v) == Py_None;
    CLOSE(v);
    if (!is_none) {
        JUMPBY(oparg);
    }
    DISPATCH();
}

TARGET(POP_JUMP_BACKWARD_IF_NONE) {
    _PyStackRef v = POP();
    int is_none = BORROW(v) == Py_None;
    CLOSE(v);
    if (is_none) {
        JUMPBY(-oparg);
        CHECK_EVAL_BREAKER();
    }
    DISPATCH();
}

TARGET(POP_JUMP_BACKWARD_IF_NOT_NONE) {
    _PyStackRef v = POP();
    int is_none = BORROW(v) == Py_None;
    CLOSE(v);
    if (!is_none) {
        JUMPBY(-oparg);
        CHECK_EVAL_BREAKER();
    }
    DISPATCH();
}

TARGET(JUMP_IF_FALSE_OR_POP) {
    int err = PyObject_IsTrue(BORROW(TOP()));
    if (err < 0) {
        goto error;
    }
    if (err == 0) {
        JUMPBY(oparg);
    }
    else {
        CLOSE(POP());
    }
    DISPATCH();
}

TARGET(JUMP_IF_TRUE_OR_POP) {
    int err = PyObject_IsTrue(BORROW(TOP()));
    if (err < 0) {
        goto error;
    }
    if (err > 0) {
        JUMPBY(oparg);
    }
    else {
        CLOSE(POP());
    }
    DISPATCH();
}

/* ---- names ---- */

TARGET(STORE_NAME) {
    PyObject *name = GETITEM(names, oparg);
    PyObject *ns = frame->f_locals;
    if (ns == NULL) {
        _PyErr_Format(tstate, PyExc_SystemError,
                      "no locals found when storing %R", name);
        goto error;
    }
    int err;
    if (PyDict_CheckExact(ns)) {
        err = PyDict_SetItem(ns, name, BORROW(TOP()));
    }
    else {
        err = PyObject_SetItem(ns, name, BORROW(TOP()));
    }
    if (err < 0) {
        goto error;
    }
    CLOSE(POP());
    DISPATCH();
}

TARGET(DELETE_NAME) {
    PyObject *name = GETITEM(names, oparg);
    PyObject *ns = frame->f_locals;
    if (ns == NULL) {
        _PyErr_Format(tstate, PyExc_SystemError,
                      "no locals when deleting %R", name);
        goto error;
    }
    if (PyObject_DelItem(ns, name) < 0) {
        if (_PyErr_ExceptionMatches(tstate, PyExc_KeyError)) {
            _PyErr_Clear(tstate);
            _PyEval_FormatNameError(tstate, PyExc_NameError,
                                    "name '%.200s' is not defined", name);
        }
        goto error;
    }
    DISPATCH();
}

TARGET(LOAD_NAME) {
    PyObject *name = GETITEM(names, oparg);
    PyObject *ns = frame->f_locals;
    PyObject *v = NULL;
    if (ns == NULL) {
        _PyErr_Format(tstate, PyExc_SystemError,
                      "no locals when loading %R", name);
        goto error;
    }
    if (PyDict_CheckExact(ns)) {
        if (PyDict_GetItemRef(ns, name, &v) < 0) {
            goto error;
        }
    }
    else {
        v = PyObject_GetItem(ns, name);
        if (v == NULL) {
            if (!_PyErr_ExceptionMatches(tstate, PyExc_KeyError)) {
                goto error;
            }
            _PyErr_Clear(tstate);
        }
    }
    if (v == NULL) {
        if (PyDict_GetItemRef(frame->f_globals, name, &v) < 0) {
            goto error;
        }
    }
    if (v == NULL) {
        if (PyDict_CheckExact(frame->f_builtins)) {
            if (PyDict_GetItemRef(frame->f_builtins, name, &v) < 0) {
                goto error;
            }
        }
        else {
            v = PyObject_GetItem(frame->f_builtins, name);
            if (v == NULL) {
                if (!_PyErr_ExceptionMatches(tstate, PyExc_KeyError)) {
                    goto error;
                }
                _PyErr_Clear(tstate);
            }
        }
        if (v == NULL) {
            _PyEval_FormatNameError(tstate, PyExc_NameError,
                                    "name '%.200s' is not defined", name);
            goto error;
        }
    }
    PUSH(_PyStackRef_FromPyObjectStealMaybeDefer(v));
    DISPATCH();
}

TARGET(LOAD_GLOBAL) {
    PyObject *name = GETITEM(names, oparg >> 1);
    PyObject *v = NULL;
    if (PyDict_GetItemRef(frame->f_globals, name, &v) < 0) {
        goto error;
    }
    if (v == NULL) {
        if (PyDict_CheckExact(frame->f_builtins)) {
            if (PyDict_GetItemRef(frame->f_builtins, name, &v) < 0) {
                goto error;
            }
        }
        else {
            v = PyObject_GetItem(frame->f_builtins, name);
            if (v == NULL) {
                if (!_PyErr_ExceptionMatches(tstate, PyExc_KeyError)) {
                    goto error;
                }
                _PyErr_Clear(tstate);
            }
        }
        if (v == NULL) {
            _PyEval_FormatNameError(tstate, PyExc_NameError,
                                    "name '%.200s' is not defined", name);
            goto error;
        }
    }
    if (oparg & 1) {
        PUSH(_PyStackRef_NULL);
    }
    PUSH(_PyStackRef_FromPyObjectStealMaybeDefer(v));
    DISPATCH();
}

TARGET(STORE_GLOBAL) {
    PyObject *name = GETITEM(names, oparg);
    if (PyDict_SetItem(frame->f_globals, name, BORROW(TOP())) < 0) {
        goto error;
    }
    CLOSE(POP());
    DISPATCH();
}

TARGET(DELETE_GLOBAL) {
    PyObject *name = GETITEM(names, oparg);
    PyObject *old = NULL;
    int r = PyDict_Pop(frame->f_globals, name, &old);
    Py_XDECREF(old);
    if (r < 0) {
        goto error;
    }
    if (r == 0) {
        _PyEval_FormatNameError(tstate, PyExc_NameError,
                                "name '%.200s' is not defined", name);
        goto error;
    }
    DISPATCH();
}

/* ---- attributes ---- */

TARGET(LOAD_ATTR) {
    PyObject *name = GETITEM(names, oparg);
    PyObject *res = PyObject_GetAttr(BORROW(TOP()), name);
    if (res == NULL) {
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(_PyStackRef_FromPyObjectStealMaybeDefer(res));
    DISPATCH();
}

TARGET(LOAD_METHOD) {
    PyObject *name = GETITEM(names, oparg);
    PyObject *obj = BORROW(TOP());
    PyObject *meth = NULL;
    int found = _PyEval_GetMethod(obj, name, &meth);
    if (meth == NULL) {
        goto error;
    }
    if (found) {
        /* [meth, self] */
        _PyStackRef self = TOP();
        SET_TOP(_PyStackRef_FromPyObjectStealMaybeDefer(meth));
        PUSH(self);
    }
    else {
        /* [NULL, attr] */
        CLOSE(TOP());
        SET_TOP(_PyStackRef_NULL);
        PUSH(_PyStackRef_FromPyObjectStealMaybeDefer(meth));
    }
    DISPATCH();
}

TARGET(STORE_ATTR) {
    /* [value, owner] */
    PyObject *name = GETITEM(names, oparg);
    int err = PyObject_SetAttr(BORROW(TOP()), name, BORROW(SECOND()));
    if (err < 0) {
        goto error;
    }
    CLOSE(POP());
    CLOSE(POP());
    DISPATCH();
}

TARGET(DELETE_ATTR) {
    PyObject *name = GETITEM(names, oparg);
    if (PyObject_DelAttr(BORROW(TOP()), name) < 0) {
        goto error;
    }
    CLOSE(POP());
    DISPATCH();
}

/* ---- cells ---- */

TARGET(MAKE_CELL) {
    PyObject *initial = STEAL(GETLOCAL(oparg));
    PyObject *cell = PyCell_New(initial);
    Py_XDECREF(initial);
    GETLOCAL(oparg) = _PyStackRef_NULL;
    if (cell == NULL) {
        goto error;
    }
    GETLOCAL(oparg) = NEWREF(cell);
    DISPATCH();
}

TARGET(COPY_FREE_VARS) {
    PyObject *closure = ((PyFunctionObject *)_PyFrame_GetFunction(frame))
                            ->func_closure;
    int offset = frame->f_code->co_nlocalsplus - oparg;
    for (int i = 0; i < oparg; i++) {
        PyObject *o = PyTuple_GET_ITEM(closure, i);
        GETLOCAL(offset + i) = NEWREF(Py_NewRef(o));
    }
    DISPATCH();
}

TARGET(LOAD_CLOSURE) {
    _PyStackRef cell = GETLOCAL(oparg);
    if (_PyStackRef_IsNull(cell)) {
        _PyEval_FormatUnbound(tstate, frame->f_code, oparg);
        goto error;
    }
    PUSH(_PyStackRef_Dup(cell));
    DISPATCH();
}

TARGET(LOAD_DEREF) {
    PyCellObject *cell = (PyCellObject *)BORROW(GETLOCAL(oparg));
    PyObject *v = _PyCell_GetRef(cell);
    if (v == NULL) {
        _PyEval_FormatUnbound(tstate, frame->f_code, oparg);
        goto error;
    }
    PUSH(_PyStackRef_FromPyObjectStealMaybeDefer(v));
    DISPATCH();
}

TARGET(LOAD_CLASSDEREF) {
    PyObject *name = _PyCode_LocalName(frame->f_code, oparg);
    PyObject *ns = frame->f_locals;
    PyObject *v = NULL;
    if (ns != NULL) {
        if (PyDict_CheckExact(ns)) {
            if (PyDict_GetItemRef(ns, name, &v) < 0) {
                goto error;
            }
        }
        else {
            v = PyObject_GetItem(ns, name);
            if (v == NULL) {
                if (!_PyErr_ExceptionMatches(tstate, PyExc_KeyError)) {
                    goto error;
                }
                _PyErr_Clear(tstate);
            }
        }
    }
    if (v == NULL) {
        PyCellObject *cell = (PyCellObject *)BORROW(GETLOCAL(oparg));
        v = _PyCell_GetRef(cell);
        if (v == NULL) {
            _PyEval_FormatUnbound(tstate, frame->f_code, oparg);
            goto error;
        }
    }
    PUSH(_PyStackRef_FromPyObjectStealMaybeDefer(v));
    DISPATCH();
}

TARGET(STORE_DEREF) {
    PyCellObject *cell = (PyCellObject *)BORROW(GETLOCAL(oparg));
    _PyCell_SetTakeRef(cell, STEAL(POP()));
    DISPATCH();
}

TARGET(DELETE_DEREF) {
    PyCellObject *cell = (PyCellObject *)BORROW(GETLOCAL(oparg));
    PyObject *old = _PyCell_GetRef(cell);
    if (old == NULL) {
        _PyEval_FormatUnbound(tstate, frame->f_code, oparg);
        goto error;
    }
    Py_DECREF(old);
    _PyCell_SetTakeRef(cell, NULL);
    DISPATCH();
}

/* ---- building ---- */

TARGET(BUILD_TUPLE) {
    PyObject *tup = PyTuple_New(oparg);
    if (tup == NULL) {
        goto error;
    }
    for (int i = oparg - 1; i >= 0; i--) {
        PyTuple_SET_ITEM(tup, i, STEAL(POP()));
    }
    PUSH_OBJ(tup);
    DISPATCH();
}

TARGET(BUILD_LIST) {
    PyObject *list = PyList_New(oparg);
    if (list == NULL) {
        goto error;
    }
    for (int i = oparg - 1; i >= 0; i--) {
        PyList_SET_ITEM(list, i, STEAL(POP()));
    }
    PUSH_OBJ(list);
    DISPATCH();
}

TARGET(LIST_TO_TUPLE) {
    PyObject *tup = PyList_AsTuple(BORROW(TOP()));
    if (tup == NULL) {
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(tup));
    DISPATCH();
}

TARGET(BUILD_SET) {
    PyObject *set = PySet_New(NULL);
    if (set == NULL) {
        goto error;
    }
    int err = 0;
    for (int i = oparg; i > 0; i--) {
        if (err == 0) {
            err = PySet_Add(set, BORROW(PEEK(i)));
        }
    }
    for (int i = 0; i < oparg; i++) {
        CLOSE(POP());
    }
    if (err < 0) {
        Py_DECREF(set);
        goto error;
    }
    PUSH_OBJ(set);
    DISPATCH();
}

TARGET(BUILD_MAP) {
    PyObject *map = PyDict_New();
    if (map == NULL) {
        goto error;
    }
    for (int i = oparg; i > 0; i--) {
        if (PyDict_SetItem(map, BORROW(PEEK(2 * i)),
                           BORROW(PEEK(2 * i - 1))) < 0) {
            Py_DECREF(map);
            goto error;
        }
    }
    for (int i = 0; i < 2 * oparg; i++) {
        CLOSE(POP());
    }
    PUSH_OBJ(map);
    DISPATCH();
}

TARGET(BUILD_CONST_KEY_MAP) {
    PyObject *keys = BORROW(TOP());
    if (!PyTuple_CheckExact(keys) || PyTuple_GET_SIZE(keys) != oparg) {
        _PyErr_SetString(tstate, PyExc_SystemError,
                         "bad BUILD_CONST_KEY_MAP keys argument");
        goto error;
    }
    PyObject *map = PyDict_New();
    if (map == NULL) {
        goto error;
    }
    for (int i = 0; i < oparg; i++) {
        if (PyDict_SetItem(map, PyTuple_GET_ITEM(keys, i),
                           BORROW(PEEK(oparg + 1 - i))) < 0) {
            Py_DECREF(map);
            goto error;
        }
    }
    for (int i = 0; i < oparg + 1; i++) {
        CLOSE(POP());
    }
    PUSH_OBJ(map);
    DISPATCH();
}

TARGET(BUILD_STRING) {
    PyObject *items[16];
    PyObject **arr = items;
    if (oparg > 16) {
        arr = PyMem_Malloc(sizeof(PyObject *) * (size_t)oparg);
        if (arr == NULL) {
            PyErr_NoMemory();
            goto error;
        }
    }
    for (int i = 0; i < oparg; i++) {
        arr[i] = BORROW(PEEK(oparg - i));
    }
    PyObject *empty = _PyUnicode_GetEmpty();
    PyObject *str = _PyUnicode_JoinArray(empty, arr, oparg);
    if (arr != items) {
        PyMem_Free(arr);
    }
    if (str == NULL) {
        goto error;
    }
    for (int i = 0; i < oparg; i++) {
        CLOSE(POP());
    }
    PUSH_OBJ(str);
    DISPATCH();
}

TARGET(LIST_APPEND) {
    PyObject *v = STEAL(POP());
    PyObject *list = BORROW(PEEK(oparg));
    int err = PyList_Append(list, v);
    Py_DECREF(v);
    if (err < 0) {
        goto error;
    }
    DISPATCH();
}

TARGET(SET_ADD) {
    _PyStackRef v = POP();
    int err = PySet_Add(BORROW(PEEK(oparg)), BORROW(v));
    CLOSE(v);
    if (err < 0) {
        goto error;
    }
    DISPATCH();
}

TARGET(MAP_ADD) {
    _PyStackRef value = POP();
    _PyStackRef key = POP();
    int err = PyDict_SetItem(BORROW(PEEK(oparg)), BORROW(key),
                             BORROW(value));
    CLOSE(key);
    CLOSE(value);
    if (err < 0) {
        goto error;
    }
    DISPATCH();
}

TARGET(LIST_EXTEND) {
    PyObject *iterable = BORROW(TOP());
    PyObject *list = BORROW(PEEK(oparg + 1));
    PyObject *none = _PyList_Extend((PyListObject *)list, iterable);
    if (none == NULL) {
        if (_PyErr_ExceptionMatches(tstate, PyExc_TypeError)
            && Py_TYPE(iterable)->tp_iter == NULL
            && !PySequence_Check(iterable)) {
            _PyErr_Clear(tstate);
            _PyErr_Format(tstate, PyExc_TypeError,
                          "Value after * must be an iterable, not %.200s",
                          Py_TYPE(iterable)->tp_name);
        }
        goto error;
    }
    Py_DECREF(none);
    CLOSE(POP());
    DISPATCH();
}

TARGET(SET_UPDATE) {
    int err = _PySet_Update(BORROW(PEEK(oparg + 1)), BORROW(TOP()));
    if (err < 0) {
        goto error;
    }
    CLOSE(POP());
    DISPATCH();
}

TARGET(DICT_UPDATE) {
    PyObject *update = BORROW(TOP());
    PyObject *dict = BORROW(PEEK(oparg + 1));
    if (PyDict_Update(dict, update) < 0) {
        if (_PyErr_ExceptionMatches(tstate, PyExc_AttributeError)) {
            _PyErr_Clear(tstate);
            _PyErr_Format(tstate, PyExc_TypeError,
                          "'%.200s' object is not a mapping",
                          Py_TYPE(update)->tp_name);
        }
        goto error;
    }
    CLOSE(POP());
    DISPATCH();
}

TARGET(DICT_MERGE) {
    PyObject *update = BORROW(TOP());
    PyObject *dict = BORROW(PEEK(oparg + 1));
    PyObject *func = BORROW(PEEK(oparg + 3));
    if (_PyEval_DictMerge(tstate, func, dict, update) < 0) {
        goto error;
    }
    CLOSE(POP());
    DISPATCH();
}

TARGET(FORMAT_VALUE) {
    int which = oparg & _PyFormat_CONV_MASK;
    int have_spec = (oparg & _PyFormat_HAVE_SPEC) != 0;
    PyObject *spec = have_spec ? BORROW(TOP()) : NULL;
    PyObject *value = BORROW(PEEK(have_spec ? 2 : 1));
    PyObject *conv = NULL;
    switch (which) {
    case _PyFormat_CONV_STR:
        conv = PyObject_Str(value);
        break;
    case _PyFormat_CONV_REPR:
        conv = PyObject_Repr(value);
        break;
    case _PyFormat_CONV_ASCII:
        conv = PyObject_ASCII(value);
        break;
    default:
        conv = Py_NewRef(value);
        break;
    }
    if (conv == NULL) {
        goto error;
    }
    PyObject *result;
    if (PyUnicode_CheckExact(conv) && spec == NULL) {
        result = conv;
    }
    else {
        result = PyObject_Format(conv, spec);
        Py_DECREF(conv);
        if (result == NULL) {
            goto error;
        }
    }
    if (have_spec) {
        CLOSE(POP());
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(result));
    DISPATCH();
}

TARGET(UNPACK_SEQUENCE) {
    PyObject *seq = BORROW(TOP());
    if (PyTuple_CheckExact(seq) && PyTuple_GET_SIZE(seq) == oparg) {
        _PyStackRef ref = POP();
        for (int i = oparg - 1; i >= 0; i--) {
            PUSH(NEWREF(Py_NewRef(PyTuple_GET_ITEM(seq, i))));
        }
        CLOSE(ref);
        DISPATCH();
    }
    _PyStackRef ref = POP();
    int err = _PyEval_UnpackIterable(tstate, seq, oparg, -1,
                                     stack_pointer + oparg);
    CLOSE(ref);
    if (err < 0) {
        goto error;
    }
    STACK_GROW(oparg);
    DISPATCH();
}

TARGET(UNPACK_EX) {
    int before = oparg & 0xFF;
    int after = oparg >> 8;
    int total = before + 1 + after;
    _PyStackRef ref = POP();
    int err = _PyEval_UnpackIterable(tstate, BORROW(ref), before, after,
                                     stack_pointer + total);
    CLOSE(ref);
    if (err < 0) {
        goto error;
    }
    STACK_GROW(total);
    DISPATCH();
}

/* ---- functions and calls ---- */

TARGET(MAKE_FUNCTION) {
    PyObject *codeobj = BORROW(TOP());
    PyFunctionObject *func = _PyFunction_New(codeobj, frame->f_globals,
                                             frame->f_builtins, NULL);
    if (func == NULL) {
        goto error;
    }
    CLOSE(POP());
    if (oparg & _PyMakeFunction_CLOSURE) {
        func->func_closure = STEAL(POP());
    }
    if (oparg & _PyMakeFunction_ANNOTATIONS) {
        PyObject *ann = STEAL(POP());
        PyObject *d = _PyFunction_AnnotationsFromTuple(ann);
        Py_DECREF(ann);
        if (d == NULL) {
            Py_DECREF(func);
            goto error;
        }
        _PyObject_SetMaybeWeakref(d);
        func->func_annotations = d;
    }
    if (oparg & _PyMakeFunction_KWDEFAULTS) {
        PyObject *kw = STEAL(POP());
        _PyObject_SetMaybeWeakref(kw);
        func->func_kwdefaults = kw;
    }
    if (oparg & _PyMakeFunction_DEFAULTS) {
        PyObject *d = STEAL(POP());
        _PyObject_SetMaybeWeakref(d);
        func->func_defaults = d;
    }
    PUSH(_PyStackRef_FromPyObjectStealMaybeDefer((PyObject *)func));
    DISPATCH();
}

TARGET(KW_NAMES) {
    kwnames = GETITEM(consts, oparg);
    DISPATCH();
}

TARGET(CALL) {
    int is_meth = !_PyStackRef_IsNull(PEEK(oparg + 2));
    int total_args = oparg + is_meth;
    PyObject *kw = kwnames;
    kwnames = NULL;
    Py_ssize_t nkw = kw == NULL ? 0 : PyTuple_GET_SIZE(kw);
    if (!is_meth) {
        PyObject *c = BORROW(PEEK(oparg + 1));
        if (Py_TYPE(c) == &PyMethod_Type) {
            /* Unpack a bound method so the function can be inlined. */
            PyObject *self = PyMethod_GET_SELF(c);
            PyObject *fn = PyMethod_GET_FUNCTION(c);
            POKE(oparg + 2, _PyStackRef_FromPyObjectNew(fn));
            _PyStackRef old = PEEK(oparg + 1);
            POKE(oparg + 1, NEWREF(Py_NewRef(self)));
            CLOSE(old);
            is_meth = 1;
            total_args++;
        }
    }
    _PyStackRef *args = stack_pointer - total_args;
    _PyStackRef callable_ref = is_meth ? PEEK(oparg + 2) : PEEK(oparg + 1);
    PyObject *callable = BORROW(callable_ref);
    Py_ssize_t positional = total_args - nkw;

    if (Py_TYPE(callable) == &PyFunction_Type
        && ((PyFunctionObject *)callable)->vectorcall
               == _PyFunction_Vectorcall) {
        PyFunctionObject *fn = (PyFunctionObject *)callable;
        PyCodeObject *co = (PyCodeObject *)fn->func_code;
        _PyInterpreterFrame *nf = _PyThreadState_PushFrame(
            tstate, (size_t)co->co_framesize);
        if (nf == NULL) {
            goto error;
        }
        /* The callable's slot moves into the new frame. */
        _PyFrame_Initialize(nf, callable_ref, NULL, co, 0);
        int err = 0;
        if (nkw == 0 && positional == co->co_argcount
            && co->co_kwonlyargcount == 0
            && !(co->co_flags & (CO_VARARGS | CO_VARKEYWORDS))) {
            for (int i = 0; i < total_args; i++) {
                nf->localsplus[i] = args[i];
            }
        }
        else {
            err = _PyEval_BindArgs(tstate, fn, nf->localsplus, args,
                                   positional, kw);
        }
        STACK_SHRINK(oparg + 2);
        if (err < 0) {
            _PyFrame_Clear(nf);
            _PyThreadState_PopFrame(tstate, nf);
            goto error;
        }
        SAVE_FRAME_STATE();
        nf->previous = frame;
        frame = nf;
        es->current_frame = frame;
        goto start_frame;
    }

    /* Any other callable: vectorcall with borrowed arguments.  The
       slots are reinterpreted as a PyObject * array when none is tagged;
       otherwise copied (one slot before, for ARGUMENTS_OFFSET). */
    PyObject *small[9];
    PyObject **argv;
    PyObject **buf = NULL;
    int tagged = 0;
    for (int i = 0; i < total_args; i++) {
        tagged |= _PyStackRef_IsDeferred(args[i]);
    }
    if (!tagged) {
        argv = (PyObject **)args;
    }
    else {
        buf = small;
        if (total_args + 1 > (int)Py_ARRAY_LENGTH(small)) {
            buf = PyMem_Malloc(sizeof(PyObject *) * (size_t)(total_args + 1));
            if (buf == NULL) {
                PyErr_NoMemory();
                goto error;
            }
        }
        for (int i = 0; i < total_args; i++) {
            buf[i + 1] = BORROW(args[i]);
        }
        argv = buf + 1;
    }
    SAVE_FRAME_STATE();
    PyObject *res = PyObject_Vectorcall(
        callable, argv, (size_t)positional | PY_VECTORCALL_ARGUMENTS_OFFSET,
        kw);
    if (buf != NULL && buf != small) {
        PyMem_Free(buf);
    }
    for (int i = 0; i < total_args; i++) {
        CLOSE(args[i]);
    }
    STACK_SHRINK(total_args);
    CLOSE(POP());
    if (!is_meth) {
        (void)POP();        /* the NULL */
    }
    if (res == NULL) {
        goto error;
    }
    PUSH_OBJ(res);
    CHECK_EVAL_BREAKER();
    DISPATCH();
}

TARGET(CALL_FUNCTION_EX) {
    PyObject *kwargs = (oparg & 1) ? BORROW(TOP()) : NULL;
    PyObject *callargs = BORROW(PEEK((oparg & 1) ? 2 : 1));
    PyObject *func = BORROW(PEEK((oparg & 1) ? 3 : 2));
    PyObject *targs = NULL;
    PyObject *tkw = NULL;
    if (PyTuple_CheckExact(callargs)) {
        targs = Py_NewRef(callargs);
    }
    else {
        if (Py_TYPE(callargs)->tp_iter == NULL
            && !PySequence_Check(callargs)) {
            PyObject *fs = _PyEval_FunctionStr(func);
            if (fs != NULL) {
                _PyErr_Format(tstate, PyExc_TypeError,
                              "%U argument after * must be an iterable, "
                              "not %.200s", fs,
                              Py_TYPE(callargs)->tp_name);
                Py_DECREF(fs);
            }
            goto error;
        }
        targs = PySequence_Tuple(callargs);
        if (targs == NULL) {
            goto error;
        }
    }
    if (kwargs != NULL && !PyDict_CheckExact(kwargs)) {
        tkw = PyDict_New();
        if (tkw == NULL) {
            Py_DECREF(targs);
            goto error;
        }
        if (_PyEval_DictMerge(tstate, func, tkw, kwargs) < 0) {
            Py_DECREF(tkw);
            Py_DECREF(targs);
            goto error;
        }
    }
    else if (kwargs != NULL) {
        tkw = Py_NewRef(kwargs);
    }
    SAVE_FRAME_STATE();
    PyObject *res = PyObject_Call(func, targs, tkw);
    Py_DECREF(targs);
    Py_XDECREF(tkw);
    if (res == NULL) {
        goto error;
    }
    if (oparg & 1) {
        CLOSE(POP());
    }
    CLOSE(POP());
    CLOSE(POP());
    XCLOSE(POP());          /* the NULL */
    PUSH_OBJ(res);
    CHECK_EVAL_BREAKER();
    DISPATCH();
}

TARGET(RETURN_VALUE) {
    _PyStackRef retval = POP();
    SAVE_FRAME_STATE();
    _Py_LeaveRecursiveCallTstate(tstate);
    _PyInterpreterFrame *prev = frame->previous;
    es->current_frame = prev;
    if (frame->is_entry) {
        clear_and_pop_frame(tstate, frame);
        return STEAL(retval);
    }
    clear_and_pop_frame(tstate, frame);
    frame = prev;
    LOAD_FRAME_STATE();
    PUSH(retval);
    DISPATCH();
}

TARGET(RETURN_GENERATOR) {
    PyFunctionObject *fn = (PyFunctionObject *)_PyFrame_GetFunction(frame);
    SAVE_FRAME_STATE();
    PyObject *gen = _Py_MakeCoro(fn, frame);
    if (gen == NULL) {
        goto error;
    }
    /* The frame now lives in the generator; this copy is dead. */
    _Py_LeaveRecursiveCallTstate(tstate);
    _PyInterpreterFrame *prev = frame->previous;
    es->current_frame = prev;
    int entry = frame->is_entry;
    _PyThreadState_PopFrame(tstate, frame);
    if (entry) {
        return gen;
    }
    frame = prev;
    LOAD_FRAME_STATE();
    PUSH_OBJ(gen);
    DISPATCH();
}

TARGET(YIELD_VALUE) {
    _PyStackRef retval = POP();
    SAVE_FRAME_STATE();
    PyGenObject *gen = _PyGen_FromFrame(frame);
    _Py_atomic_store_int8_release(&gen->gi_frame_state, FRAME_SUSPENDED);
    _Py_LeaveRecursiveCallTstate(tstate);
    es->current_frame = frame->previous;
    return STEAL(retval);
}

TARGET(ASYNC_GEN_WRAP) {
    PyObject *w = _PyAsyncGenValueWrapperNew(BORROW(TOP()));
    if (w == NULL) {
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(w));
    DISPATCH();
}

TARGET(SEND) {
    _PyStackRef vref = POP();
    PyObject *receiver = BORROW(TOP());
    PyObject *retval = NULL;
    SAVE_FRAME_STATE();
    PySendResult status = PyIter_Send(receiver, BORROW(vref), &retval);
    CLOSE(vref);
    if (status == PYGEN_ERROR) {
        goto error;
    }
    if (status == PYGEN_RETURN) {
        CLOSE(TOP());
        SET_TOP(NEWREF(retval));
        JUMPBY(oparg);
        DISPATCH();
    }
    PUSH_OBJ(retval);
    DISPATCH();
}

TARGET(GET_AWAITABLE) {
    PyObject *iterable = BORROW(TOP());
    PyObject *iter = _PyCoro_GetAwaitableIter(iterable);
    if (iter == NULL) {
        _PyEval_FormatAwaitableError(tstate, Py_TYPE(iterable), oparg);
        goto error;
    }
    if (PyCoro_CheckExact(iter)) {
        PyObject *yf = _PyGen_Yf((PyGenObject *)iter);
        if (yf != NULL) {
            Py_DECREF(iter);
            _PyErr_SetString(tstate, PyExc_RuntimeError,
                             "coroutine is being awaited already");
            goto error;
        }
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(iter));
    DISPATCH();
}

TARGET(GET_AITER) {
    PyObject *obj = BORROW(TOP());
    PyTypeObject *type = Py_TYPE(obj);
    unaryfunc getter = type->tp_as_async ? type->tp_as_async->am_aiter
                                         : NULL;
    if (getter == NULL) {
        _PyErr_Format(tstate, PyExc_TypeError,
                      "'async for' requires an object with __aiter__ "
                      "method, got %.100s", type->tp_name);
        goto error;
    }
    PyObject *iter = (*getter)(obj);
    if (iter == NULL) {
        goto error;
    }
    if (Py_TYPE(iter)->tp_as_async == NULL
        || Py_TYPE(iter)->tp_as_async->am_anext == NULL) {
        _PyErr_Format(tstate, PyExc_TypeError,
                      "'async for' received an object from __aiter__ "
                      "that does not implement __anext__: %.100s",
                      Py_TYPE(iter)->tp_name);
        Py_DECREF(iter);
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(iter));
    DISPATCH();
}

TARGET(GET_ANEXT) {
    PyObject *aiter = BORROW(TOP());
    PyTypeObject *type = Py_TYPE(aiter);
    PyObject *awaitable;
    if (PyAsyncGen_CheckExact(aiter)) {
        awaitable = type->tp_as_async->am_anext(aiter);
        if (awaitable == NULL) {
            goto error;
        }
    }
    else {
        unaryfunc getter = type->tp_as_async ? type->tp_as_async->am_anext
                                             : NULL;
        if (getter == NULL) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "'async for' requires an iterator with "
                          "__anext__ method, got %.100s", type->tp_name);
            goto error;
        }
        PyObject *next_iter = (*getter)(aiter);
        if (next_iter == NULL) {
            goto error;
        }
        awaitable = _PyCoro_GetAwaitableIter(next_iter);
        if (awaitable == NULL) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "'async for' received an invalid object from "
                          "__anext__: %.100s", Py_TYPE(next_iter)->tp_name);
            Py_DECREF(next_iter);
            goto error;
        }
        Py_DECREF(next_iter);
    }
    PUSH_OBJ(awaitable);
    DISPATCH();
}

TARGET(END_ASYNC_FOR) {
    PyObject *val = BORROW(TOP());
    if (PyErr_GivenExceptionMatches(val, PyExc_StopAsyncIteration)) {
        CLOSE(POP());
        CLOSE(POP());
        DISPATCH();
    }
    _PyErr_SetRaisedException(tstate, STEAL(POP()));
    goto exception_unwind;
}

TARGET(BEFORE_ASYNC_WITH) {
    PyObject *mgr = BORROW(TOP());
    PyObject *enter = _PyEval_LookupSpecial(mgr, _Py_STR(__aenter__));
    if (enter == NULL) {
        if (!_PyErr_Occurred(tstate)) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "'%.200s' object does not support the "
                          "asynchronous context manager protocol",
                          Py_TYPE(mgr)->tp_name);
        }
        goto error;
    }
    PyObject *exit = _PyEval_LookupSpecial(mgr, _Py_STR(__aexit__));
    if (exit == NULL) {
        if (!_PyErr_Occurred(tstate)) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "'%.200s' object does not support the "
                          "asynchronous context manager protocol "
                          "(missed __aexit__ method)",
                          Py_TYPE(mgr)->tp_name);
        }
        Py_DECREF(enter);
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(exit));
    PyObject *res = PyObject_CallNoArgs(enter);
    Py_DECREF(enter);
    if (res == NULL) {
        goto error;
    }
    PUSH_OBJ(res);
    DISPATCH();
}

TARGET(BEFORE_WITH) {
    PyObject *mgr = BORROW(TOP());
    PyObject *enter = _PyEval_LookupSpecial(mgr, _Py_STR(__enter__));
    if (enter == NULL) {
        if (!_PyErr_Occurred(tstate)) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "'%.200s' object does not support the "
                          "context manager protocol",
                          Py_TYPE(mgr)->tp_name);
        }
        goto error;
    }
    PyObject *exit = _PyEval_LookupSpecial(mgr, _Py_STR(__exit__));
    if (exit == NULL) {
        if (!_PyErr_Occurred(tstate)) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "'%.200s' object does not support the "
                          "context manager protocol "
                          "(missed __exit__ method)",
                          Py_TYPE(mgr)->tp_name);
        }
        Py_DECREF(enter);
        goto error;
    }
    CLOSE(TOP());
    SET_TOP(NEWREF(exit));
    PyObject *res = PyObject_CallNoArgs(enter);
    Py_DECREF(enter);
    if (res == NULL) {
        goto error;
    }
    PUSH_OBJ(res);
    DISPATCH();
}

TARGET(WITH_EXCEPT_START) {
    /* [exit_func, lasti, prev_exc, exc] -> [..., res] */
    PyObject *val = BORROW(TOP());
    PyObject *exit_func = BORROW(PEEK(4));
    PyObject *tb = PyException_GetTraceback(val);
    PyObject *stack[4] = {NULL, (PyObject *)Py_TYPE(val), val,
                          tb != NULL ? tb : Py_None};
    PyObject *res = PyObject_Vectorcall(
        exit_func, stack + 1, 3 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    Py_XDECREF(tb);
    if (res == NULL) {
        goto error;
    }
    PUSH_OBJ(res);
    DISPATCH();
}

/* ---- exceptions ---- */

TARGET(PUSH_EXC_INFO) {
    PyObject *value = STEAL(POP());
    _PyErr_StackItem *exc_info = _PyErr_GetState(tstate)->exc_info;
    PyObject *prev = exc_info->exc_value;
    PUSH_OBJ(prev != NULL ? prev : Py_None);
    PUSH_OBJ(Py_NewRef(value));
    exc_info->exc_value = value;
    DISPATCH();
}

TARGET(POP_EXCEPT) {
    _PyErr_StackItem *exc_info = _PyErr_GetState(tstate)->exc_info;
    PyObject *old = exc_info->exc_value;
    PyObject *v = STEAL(POP());
    if (v == Py_None) {
        exc_info->exc_value = NULL;
    }
    else {
        exc_info->exc_value = v;
    }
    Py_XDECREF(old);
    DISPATCH();
}

TARGET(CHECK_EXC_MATCH) {
    PyObject *right = BORROW(TOP());
    PyObject *left = BORROW(SECOND());
    if (_PyEval_CheckExceptTypeValid(tstate, right) < 0) {
        goto error;
    }
    int res = PyErr_GivenExceptionMatches(left, right);
    CLOSE(TOP());
    SET_TOP(NEWREF(res ? Py_True : Py_False));
    DISPATCH();
}

TARGET(CHECK_EG_MATCH) {
    PyObject *match_type = BORROW(TOP());
    if (_PyEval_CheckExceptStarTypeValid(tstate, match_type) < 0) {
        goto error;
    }
    PyObject *exc_value = BORROW(SECOND());
    PyObject *match = NULL;
    PyObject *rest = NULL;
    if (_PyEval_ExceptionGroupMatch(exc_value, match_type, &match,
                                    &rest) < 0) {
        goto error;
    }
    CLOSE(POP());
    CLOSE(POP());
    if (match != Py_None) {
        PyErr_SetHandledException(match);
    }
    PUSH_OBJ(rest);
    PUSH_OBJ(match);
    DISPATCH();
}

TARGET(PREP_RERAISE_STAR) {
    PyObject *res = _PyEval_PrepReraiseStar(BORROW(SECOND()),
                                            BORROW(TOP()));
    if (res == NULL) {
        goto error;
    }
    CLOSE(POP());
    CLOSE(TOP());
    SET_TOP(NEWREF(res));
    DISPATCH();
}

TARGET(RERAISE) {
    if (oparg) {
        /* The lasti pushed by the handler sits below the exception and
           any oparg - 1 values (the exc_info of a with's cleanup). */
        PyObject *lasti = BORROW(PEEK(oparg + 1));
        if (!PyLong_Check(lasti)) {
            _PyErr_SetString(tstate, PyExc_SystemError,
                             "lasti is not an int");
            goto error;
        }
        unwind_from = frame->prev_instr;
        frame->prev_instr = first_instr + PyLong_AsLong(lasti);
    }
    _PyErr_SetRaisedException(tstate, STEAL(POP()));
    goto exception_unwind;
}

TARGET(RAISE_VARARGS) {
    PyObject *cause = NULL;
    PyObject *exc = NULL;
    switch (oparg) {
    case 2:
        cause = STEAL(POP());
        /* fall through */
    case 1:
        exc = STEAL(POP());
        /* fall through */
    case 0:
        if (_PyEval_DoRaise(tstate, exc, cause)) {
            goto exception_unwind;
        }
        break;
    default:
        _PyErr_SetString(tstate, PyExc_SystemError,
                         "bad RAISE_VARARGS oparg");
        break;
    }
    goto error;
}

TARGET(LOAD_ASSERTION_ERROR) {
    PUSH_OBJ(Py_NewRef(PyExc_AssertionError));
    DISPATCH();
}

/* ---- classes, modules, misc ---- */

TARGET(LOAD_BUILD_CLASS) {
    PyObject *bc = NULL;
    PyObject *b = frame->f_builtins;
    if (PyDict_CheckExact(b)) {
        if (PyDict_GetItemRef(b, _Py_STR(__build_class__), &bc) < 0) {
            goto error;
        }
    }
    else {
        bc = PyObject_GetItem(b, _Py_STR(__build_class__));
        if (bc == NULL && _PyErr_ExceptionMatches(tstate,
                                                  PyExc_KeyError)) {
            _PyErr_Clear(tstate);
        }
        else if (bc == NULL) {
            goto error;
        }
    }
    if (bc == NULL) {
        _PyErr_SetString(tstate, PyExc_NameError,
                         "__build_class__ not found");
        goto error;
    }
    PUSH(_PyStackRef_FromPyObjectStealMaybeDefer(bc));
    DISPATCH();
}

TARGET(SETUP_ANNOTATIONS) {
    PyObject *ns = frame->f_locals;
    if (ns == NULL) {
        _PyErr_SetString(tstate, PyExc_SystemError,
                         "no locals found when setting up annotations");
        goto error;
    }
    if (PyDict_CheckExact(ns)) {
        PyObject *d = PyDict_New();
        if (d == NULL) {
            goto error;
        }
        PyObject *res = NULL;
        int r = PyDict_SetDefaultRef(ns, _Py_STR(__annotations__), d, &res);
        Py_DECREF(d);
        Py_XDECREF(res);
        if (r < 0) {
            goto error;
        }
    }
    else {
        PyObject *ann = PyObject_GetItem(ns, _Py_STR(__annotations__));
        if (ann == NULL) {
            if (!_PyErr_ExceptionMatches(tstate, PyExc_KeyError)) {
                goto error;
            }
            _PyErr_Clear(tstate);
            PyObject *d = PyDict_New();
            if (d == NULL) {
                goto error;
            }
            int err = PyObject_SetItem(ns, _Py_STR(__annotations__), d);
            Py_DECREF(d);
            if (err < 0) {
                goto error;
            }
        }
        else {
            Py_DECREF(ann);
        }
    }
    DISPATCH();
}

TARGET(IMPORT_NAME) {
    PyObject *name = GETITEM(names, oparg);
    PyObject *fromlist = BORROW(TOP());
    PyObject *level = BORROW(SECOND());
    SAVE_FRAME_STATE();
    PyObject *res = _PyEval_ImportName(tstate, frame, name, fromlist,
                                       level);
    if (res == NULL) {
        goto error;
    }
    CLOSE(POP());
    CLOSE(TOP());
    SET_TOP(NEWREF(res));
    DISPATCH();
}

TARGET(IMPORT_FROM) {
    PyObject *name = GETITEM(names, oparg);
    PyObject *res = _PyEval_ImportFrom(tstate, BORROW(TOP()), name);
    if (res == NULL) {
        goto error;
    }
    PUSH(_PyStackRef_FromPyObjectStealMaybeDefer(res));
    DISPATCH();
}

TARGET(IMPORT_STAR) {
    PyObject *ns = frame->f_locals;
    if (ns == NULL) {
        _PyErr_SetString(tstate, PyExc_SystemError,
                         "no locals found during 'import *'");
        goto error;
    }
    int err = _PyEval_ImportAllFrom(tstate, ns, BORROW(TOP()));
    if (err < 0) {
        goto error;
    }
    CLOSE(POP());
    DISPATCH();
}

TARGET(PRINT_EXPR) {
    PyObject *hook = _PySys_GetAttr(_Py_STR(displayhook));
    if (hook == NULL) {
        _PyErr_SetString(tstate, PyExc_RuntimeError,
                         "lost sys.displayhook");
        goto error;
    }
    PyObject *res = PyObject_CallOneArg(hook, BORROW(TOP()));
    if (res == NULL) {
        goto error;
    }
    Py_DECREF(res);
    CLOSE(POP());
    DISPATCH();
}
