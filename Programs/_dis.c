/* _dis: compile a Python file with Plait's compiler and disassemble it.
 *
 *     _dis [--json] [--mode=exec|eval|single] [-O|-OO] FILE
 *
 * Prints every code unit (the module first, then nested ones depth first
 * in the order of their constants): its attributes, its instructions with
 * offset (in bytes, as dis shows them), line, stack depth before the
 * instruction, name, argument and what the argument means, its
 * positions, then the exception table and the result of the bytecode
 * verifier.  --json prints the same as one JSON document (what
 * Tools/test/host/test_compile_stdlib.py reads).  On a compile error it
 * prints "ErrorName: message (lineno, offset, end_lineno, end_offset)" and
 * exits with status 1; warnings go to stderr.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pycore_codegen.h"

/* Whole file contents, NUL-terminated, or NULL with a message printed. */
static char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) {
            break;
        }
        cap *= 2;
        char *nb = realloc(buf, cap);
        if (nb == NULL) {
            free(buf);
        }
        buf = nb;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Print an optional int field (None when absent). */
static void
print_value(int v)
{
    if (v == _PyPARSER_NOVALUE) {
        fputs("None", stdout);
    }
    else {
        printf("%d", v);
    }
}

/* Print a compile error in the form the tests compare with python3.11:
   type, message, lineno, offset, end_lineno, end_offset. */
static void
print_error(const _PySyntaxErrorInfo *err)
{
    const char *type = err->type ? err->type : "SystemError";
    if (strcmp(type, "SyntaxError") != 0
        && strcmp(type, "IndentationError") != 0
        && strcmp(type, "TabError") != 0) {
        printf("%s: %s\n", type, err->msg);
        return;
    }
    printf("%s: %s (", type, err->msg);
    print_value(err->lineno);
    fputs(", ", stdout);
    print_value(err->offset);
    fputs(", ", stdout);
    print_value(err->end_lineno);
    fputs(", ", stdout);
    print_value(err->end_offset);
    puts(")");
}

/* ------------------------------------------------------------------ */

/* Name of an opcode, never NULL. */
static const char *
opname(int op)
{
    const char *name = _PyOpcode_GetName(op);
    return name ? name : "<invalid>";
}

/* Print S as a JSON string literal. */
static void
json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            printf("\\%c", *p);
        }
        else if (*p < 0x20) {
            printf("\\u%04x", *p);
        }
        else {
            putchar(*p);
        }
    }
    putchar('"');
}

/* repr() of a constant into B, replacing its previous contents. */
static void
const_repr(const _PyCompiledConst *k, _PyStrBuf *b)
{
    b->len = 0;
    if (b->data) {
        b->data[0] = '\0';
    }
    _PyConst_Repr(b, k);
}

/* What the argument of the instruction means, as dis would show it. */
static void
describe_arg(const _PyCodeUnit *u, int op, int arg, int next, _PyStrBuf *b)
{
    int flags = _PyOpcode_Flags[op];
    b->len = 0;
    if (b->data) {
        b->data[0] = '\0';
    }
    if (flags & _PYOP_CONST) {
        if (arg < u->nconsts) {
            _PyConst_Repr(b, u->consts[arg]);
        }
    }
    else if (op == LOAD_GLOBAL) {
        if ((arg >> 1) < u->nnames) {
            _PyStrBuf_Printf(b, "%s%s", (arg & 1) ? "NULL + " : "",
                             u->names[arg >> 1]);
        }
    }
    else if (flags & _PYOP_NAME) {
        if (arg < u->nnames) {
            _PyStrBuf_Printf(b, "%s", u->names[arg]);
        }
    }
    else if (flags & (_PYOP_LOCAL | _PYOP_FREE)) {
        if (arg < u->nlocalsplus) {
            _PyStrBuf_Printf(b, "%s", u->localsplusnames[arg]);
        }
    }
    else if (flags & _PYOP_JUMP) {
        int target = (flags & _PYOP_BACKWARD) ? next - arg : next + arg;
        _PyStrBuf_Printf(b, "to %d", target * 2);
    }
    else if (op == COMPARE_OP && arg < 6) {
        _PyStrBuf_Printf(b, "%s", _PyOpcode_CompareNames[arg]);
    }
    else if (op == BINARY_OP && arg < _PyBinOp_COUNT) {
        _PyStrBuf_Printf(b, "%s", _PyOpcode_BinOpNames[arg]);
    }
}

typedef struct {
    int json;
    int first_code;
    _PyStrBuf buf;
} printer;

/* Print one name table (co_names, co_varnames...). */
static void
print_names(const char *label, const char **names, int n, int json)
{
    if (json) {
        printf(", \"%s\": [", label);
        for (int i = 0; i < n; i++) {
            if (i) {
                fputs(", ", stdout);
            }
            json_string(names[i]);
        }
        putchar(']');
        return;
    }
    printf("  %s: (", label);
    for (int i = 0; i < n; i++) {
        printf("%s'%s'", i ? ", " : "", names[i]);
    }
    printf(")\n");
}

/* Print a code unit's attributes: names, flags, counts, tables. */
static void
print_header(printer *p, const _PyCodeUnit *u)
{
    if (p->json) {
        printf("%s{\"name\": ", p->first_code ? "" : ",\n");
        p->first_code = 0;
        json_string(u->name);
        fputs(", \"qualname\": ", stdout);
        json_string(u->qualname);
        printf(", \"firstlineno\": %d, \"flags\": %d, \"argcount\": %d, "
               "\"posonlyargcount\": %d, \"kwonlyargcount\": %d, "
               "\"stacksize\": %d", u->firstlineno, u->flags, u->argcount,
               u->posonlyargcount, u->kwonlyargcount, u->stacksize);
    }
    else {
        printf("Disassembly of %s (name=%s, firstlineno=%d, flags=0x%x, "
               "argcount=%d, posonly=%d, kwonly=%d, stacksize=%d):\n",
               u->qualname, u->name, u->firstlineno, u->flags, u->argcount,
               u->posonlyargcount, u->kwonlyargcount, u->stacksize);
    }
    print_names("varnames", u->varnames, u->nlocals, p->json);
    print_names("cellvars", u->cellvars, u->ncellvars, p->json);
    print_names("freevars", u->freevars, u->nfreevars, p->json);
    print_names("names", u->names, u->nnames, p->json);
    if (p->json) {
        fputs(", \"consts\": [", stdout);
    }
    else {
        fputs("  consts: (", stdout);
    }
    for (int i = 0; i < u->nconsts; i++) {
        const_repr(u->consts[i], &p->buf);
        if (i) {
            fputs(", ", stdout);
        }
        if (p->json) {
            json_string(p->buf.data ? p->buf.data : "");
        }
        else {
            fputs(p->buf.data ? p->buf.data : "", stdout);
        }
    }
    fputs(p->json ? "]" : ")\n", stdout);
}

/* Location of every code unit. */
static _PyLocationRun *
unit_locations(const _PyCodeUnit *u)
{
    _PyLocationRun *locs = calloc((size_t)u->ncode + 1, sizeof(*locs));
    if (locs == NULL) {
        exit(2);
    }
    for (int i = 0; i < u->ncode; i++) {
        locs[i].lineno = locs[i].end_lineno = -1;
        locs[i].col = locs[i].end_col = -1;
    }
    _PyLocationIter it;
    _PyLocationRun run;
    _PyLocation_Begin(&it, u->linetable, u->linetable_size, u->firstlineno);
    while (_PyLocation_Next(&it, &run)) {
        for (int i = run.start; i < run.end && i < u->ncode; i++) {
            locs[i] = run;
        }
    }
    return locs;
}

/* Print every instruction with offset, line, opname, argument, resolved
   argument, entry stack depth and full position. */
static void
print_instructions(printer *p, const _PyCodeUnit *u, const int *depths)
{
    _PyLocationRun *locs = unit_locations(u);
    _PyStrBuf argbuf = {0};
    if (p->json) {
        fputs(", \"code\": [", stdout);
    }
    int first = 1;
    for (int pos = 0; pos < u->ncode;) {
        int start = pos;
        unsigned int arg = 0;
        int op;
        do {
            op = _PyCode_OPCODE(u->code[pos]);
            arg = (arg << 8) | (unsigned int)_PyCode_OPARG(u->code[pos]);
            pos++;
        } while (op == EXTENDED_ARG && pos < u->ncode);
        int caches = op < 256 ? _PyOpcode_Caches[op] : 0;
        int next = pos + caches;
        describe_arg(u, op, (int)arg, next, &argbuf);
        _PyLocationRun *l = &locs[pos - 1];
        int depth = depths != NULL ? depths[start] : -1;
        if (p->json) {
            printf("%s[%d, \"%s\", %u, %d, %d, %d, %d, %d, %d, ",
                   first ? "" : ", ", start * 2, opname(op), arg, l->lineno,
                   l->end_lineno, l->col, l->end_col, depth, next - start);
            json_string(argbuf.data ? argbuf.data : "");
            putchar(']');
        }
        else {
            printf("  %6d  ", start * 2);
            if (l->lineno >= 0) {
                printf("%5d", l->lineno);
            }
            else {
                printf("%5s", "-");
            }
            printf("  [%2d]  %-28s", depth, opname(op));
            if (op >= HAVE_ARGUMENT) {
                printf(" %5u", arg);
            }
            else {
                printf(" %5s", "");
            }
            if (argbuf.len > 0) {
                printf("  (%s)", argbuf.data);
            }
            if (l->lineno >= 0) {
                printf("  @%d:%d-%d:%d", l->lineno, l->col, l->end_lineno,
                       l->end_col);
            }
            putchar('\n');
        }
        first = 0;
        pos = next;
    }
    if (p->json) {
        putchar(']');
    }
    _PyStrBuf_Clear(&argbuf);
    free(locs);
}

/* Print the decoded exception table. */
static void
print_exception_table(printer *p, const _PyCodeUnit *u)
{
    int pos = 0;
    _PyExceptionEntry e;
    if (p->json) {
        fputs(", \"exceptiontable\": [", stdout);
    }
    else if (u->exctable_size > 0) {
        puts("  ExceptionTable:");
    }
    int first = 1;
    while (_PyExceptionTable_Next(u->exctable, u->exctable_size, &pos, &e)) {
        if (p->json) {
            printf("%s[%d, %d, %d, %d, %d]", first ? "" : ", ", e.start * 2,
                   e.end * 2, e.target * 2, e.depth, e.lasti);
        }
        else {
            printf("    %d to %d -> %d [%d]%s\n", e.start * 2,
                   (e.end - 1) * 2, e.target * 2, e.depth,
                   e.lasti ? " lasti" : "");
        }
        first = 0;
    }
    if (p->json) {
        putchar(']');
    }
}

/* Print a code unit and then, recursively, the code units among its
   constants. */
static void
dump_unit(printer *p, const _PyCodeUnit *u)
{
    print_header(p, u);
    int *depths = malloc(sizeof(int) * ((size_t)u->ncode + 1));
    char msg[256];
    int ok = _PyCode_VerifyUnit(u, depths, msg, sizeof(msg)) == 0;
    print_instructions(p, u, depths);
    print_exception_table(p, u);
    if (p->json) {
        fputs(", \"verify\": ", stdout);
        json_string(ok ? "ok" : msg);
        putchar('}');
    }
    else {
        printf("  verify: %s\n\n", ok ? "ok" : msg);
    }
    free(depths);
    for (int i = 0; i < u->nconsts; i++) {
        if (u->consts[i]->kind == _PyCC_CODE) {
            dump_unit(p, u->consts[i]->code);
        }
    }
}

/* _dis [--json] [--mode=exec|eval|single] [-O|-OO] FILE: parse, compile and
   disassemble FILE; warnings go to stderr, errors print like print_error
   and exit 1. */
int
main(int argc, char **argv)
{
    int json = 0, optimize = 0, mode = _PyParser_MODE_EXEC;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        }
        else if (strcmp(argv[i], "-O") == 0) {
            optimize = 1;
        }
        else if (strcmp(argv[i], "-OO") == 0) {
            optimize = 2;
        }
        else if (strcmp(argv[i], "--mode=eval") == 0) {
            mode = _PyParser_MODE_EVAL;
        }
        else if (strcmp(argv[i], "--mode=single") == 0) {
            mode = _PyParser_MODE_SINGLE;
        }
        else if (strcmp(argv[i], "--mode=exec") == 0) {
            mode = _PyParser_MODE_EXEC;
        }
        else {
            path = argv[i];
        }
    }
    if (path == NULL) {
        fprintf(stderr, "usage: %s [--json] [--mode=MODE] [-O|-OO] FILE\n",
                argv[0]);
        return 2;
    }
    size_t len;
    char *src = read_file(path, &len);
    if (src == NULL) {
        perror(path);
        return 2;
    }
    _PyArena *arena = _PyArena_New();
    if (arena == NULL) {
        puts("MemoryError: ");
        return 1;
    }
    _PySyntaxErrorInfo err;
    memset(&err, 0, sizeof(err));
    int status = 1;
    mod_ty mod = _PyParser_ParseString(src, len, path, mode, arena, &err);
    if (mod != NULL) {
        _PyCompileResult *res = _PyCompile_AST(mod, path, 0, optimize, arena,
                                               &err);
        if (res != NULL) {
            for (int i = 0; i < res->nwarnings; i++) {
                _PyCompileWarning *w = &res->warnings[i];
                fprintf(stderr, "%s:%d: %s: %s\n", path, w->lineno,
                        w->category, w->msg);
            }
            printer p = {json, 1, {0}};
            if (json) {
                puts("[");
            }
            dump_unit(&p, res->unit);
            if (json) {
                puts("\n]");
            }
            _PyStrBuf_Clear(&p.buf);
            _PyCompileResult_Free(res);
            status = 0;
        }
    }
    if (status != 0) {
        print_error(&err);
    }
    _PySyntaxErrorInfo_Clear(&err);
    _PyArena_Free(arena);
    free(src);
    return status;
}
