/* _astdump: the parser's test oracle.
 *
 *     _astdump [--no-attributes] [--full-errors] [--mode=exec|eval|single|func_type] FILE
 *
 * Prints what `print(ast.dump(ast.parse(open(FILE, 'rb').read()),
 * include_attributes=True))` prints under CPython 3.11.  On a syntax error
 * prints "ErrorName: message (lineno, offset)" (with --full-errors also the
 * end line and offset) and exits with status 1.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pycore_parser.h"

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
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap) {
            break;
        }
        cap *= 2;
        char *nb = realloc(buf, cap);
        if (nb == NULL) {
            free(buf);
            buf = NULL;
        }
        buf = nb;
    }
    fclose(f);
    *len = n;
    return buf;
}

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

static void
print_error(const _PySyntaxErrorInfo *err, int full)
{
    const char *type = err->type ? err->type : "SystemError";
    int located = strcmp(type, "SyntaxError") == 0
                  || strcmp(type, "IndentationError") == 0
                  || strcmp(type, "TabError") == 0;
    if (!located) {
        printf("%s: %s\n", type, err->msg);
        return;
    }
    printf("%s: %s (", type, err->msg);
    print_value(err->lineno);
    fputs(", ", stdout);
    print_value(err->offset);
    if (full) {
        fputs(", ", stdout);
        print_value(err->end_lineno);
        fputs(", ", stdout);
        print_value(err->end_offset);
    }
    puts(")");
}

static int
parse_mode(const char *s)
{
    if (strcmp(s, "eval") == 0) {
        return _PyParser_MODE_EVAL;
    }
    if (strcmp(s, "single") == 0) {
        return _PyParser_MODE_SINGLE;
    }
    if (strcmp(s, "func_type") == 0) {
        return _PyParser_MODE_FUNC_TYPE;
    }
    return _PyParser_MODE_EXEC;
}

int
main(int argc, char **argv)
{
    int attrs = 1, full = 0, mode = _PyParser_MODE_EXEC;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-attributes") == 0) {
            attrs = 0;
        }
        else if (strcmp(argv[i], "--full-errors") == 0) {
            full = 1;
        }
        else if (strncmp(argv[i], "--mode=", 7) == 0) {
            mode = parse_mode(argv[i] + 7);
        }
        else {
            path = argv[i];
        }
    }
    if (path == NULL) {
        fprintf(stderr, "usage: %s [--no-attributes] [--full-errors] "
                "[--mode=MODE] FILE\n", argv[0]);
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
        fputs("MemoryError: \n", stdout);
        free(src);
        return 1;
    }
    _PySyntaxErrorInfo err;
    int status = 0;
    mod_ty mod = _PyParser_ParseString(src, len, path, mode, arena, &err);
    if (mod == NULL) {
        print_error(&err, full);
        status = 1;
    }
    else {
        char *text = _PyAST_Dump(mod, attrs, &err);
        if (text == NULL) {
            print_error(&err, full);
            status = 1;
        }
        else {
            fputs(text, stdout);
            fputc('\n', stdout);
            free(text);
        }
    }
    _PySyntaxErrorInfo_Clear(&err);
    _PyArena_Free(arena);
    free(src);
    return status;
}
