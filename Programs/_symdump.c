/* _symdump: print the symbol table of a Python file.
 *
 *     _symdump FILE
 *
 * The output is the canonical form that Tools/test/host/
 * test_symtable_stdlib.py also computes with CPython's `symtable` module:
 * one line per scope ("TYPE NAME line=N optimized=0|1 nested=0|1"), then
 * one line per symbol sorted by name ("  NAME scope=SCOPE FLAG|FLAG..."),
 * then the child scopes in order, indented by four more spaces.  On an
 * error it prints "ErrorName: message (lineno, offset, end_lineno,
 * end_offset)" and exits with status 1.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pycore_compile.h"
#include "pycore_symtable.h"

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

static const char *const scope_names[] = {
    "NONE", "LOCAL", "GLOBAL_EXPLICIT", "GLOBAL_IMPLICIT", "FREE", "CELL",
};

static const struct {
    long flag;
    const char *name;
} flag_names[] = {
    {DEF_GLOBAL, "GLOBAL"}, {DEF_LOCAL, "LOCAL"}, {DEF_PARAM, "PARAM"},
    {DEF_NONLOCAL, "NONLOCAL"}, {USE, "USE"}, {DEF_FREE, "FREE"},
    {DEF_FREE_CLASS, "FREE_CLASS"}, {DEF_IMPORT, "IMPORT"},
    {DEF_ANNOT, "ANNOT"}, {DEF_COMP_ITER, "COMP_ITER"},
};

/* The block type as the symtable module spells it. */
static const char *
type_name(_PySymBlockType type)
{
    switch (type) {
    case _PySym_FunctionBlock:
        return "function";
    case _PySym_ClassBlock:
        return "class";
    case _PySym_ModuleBlock:
        return "module";
    default:
        return "annotation";
    }
}

/* qsort comparator for symbol names (the canonical form sorts them). */
static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One symbol line: name, resolved scope and DEF_* flags (the test derives
   the symtable module's is_*() predicates from these). */
static void
print_symbol(const _PySymEntry *ste, const char *name, const char *indent)
{
    long flags = _PySymEntry_GetSymbol(ste, name);
    int scope = (int)((flags >> SCOPE_OFF) & SCOPE_MASK);
    printf("%s  %s scope=%s flags=", indent, name,
           scope <= CELL ? scope_names[scope] : "?");
    int first = 1;
    for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
        if (flags & flag_names[i].flag) {
            printf("%s%s", first ? "" : "|", flag_names[i].name);
            first = 0;
        }
    }
    printf("%s\n", first ? "0" : "");
}

/* One block and, recursively, its children in source order, in the
   canonical form the test also computes with python3.11's symtable module. */
static void
dump(const _PySymEntry *ste, int level)
{
    char indent[256];
    int n = level * 4 < 250 ? level * 4 : 250;
    memset(indent, ' ', (size_t)n);
    indent[n] = '\0';
    printf("%s%s %s line=%d optimized=%d nested=%d\n", indent,
           type_name(ste->type), ste->name, ste->lineno,
           ste->type == _PySym_FunctionBlock, ste->nested ? 1 : 0);
    Py_ssize_t count = ste->symbols.size;
    const char **names = malloc(sizeof(*names) * (size_t)(count + 1));
    if (names == NULL) {
        exit(2);
    }
    if (count > 0) {
        memcpy(names, ste->symbols.names, sizeof(*names) * (size_t)count);
    }
    qsort(names, (size_t)count, sizeof(*names), compare_names);
    for (Py_ssize_t i = 0; i < count; i++) {
        print_symbol(ste, names[i], indent);
    }
    free(names);
    for (int i = 0; i < ste->nchildren; i++) {
        dump(ste->children[i], level + 1);
    }
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

/* _symdump FILE: parse FILE, build its symbol table and print it
   canonically (or the error). */
int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    size_t len;
    char *src = read_file(argv[1], &len);
    if (src == NULL) {
        perror(argv[1]);
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
    mod_ty mod = _PyParser_ParseString(src, len, argv[1],
                                       _PyParser_MODE_EXEC, arena, &err);
    int features = 0, future_line;
    if (mod != NULL
        && _PyFuture_FromAST(mod, &features, &future_line, &err) == 0) {
        _PySymtable *st = _PySymtable_Build(mod, features, &err);
        if (st != NULL) {
            dump(st->top, 0);
            _PySymtable_Free(st);
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
