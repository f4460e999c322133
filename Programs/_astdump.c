/* _astdump: the parser's test oracle.
 *
 *     _astdump [--no-attributes] [--full-errors] [--mode=MODE]
 *              [--allow-incomplete] FILE
 *     _astdump --bench FILE...
 *     _astdump --batch FILE
 *
 * MODE is exec (the default), eval, single or func_type.
 * Prints what `print(ast.dump(ast.parse(open(FILE, 'rb').read()),
 * include_attributes=True))` prints under CPython 3.11.  On a syntax error
 * prints "ErrorName: message (lineno, offset)" (with --full-errors also the
 * end line and offset) and exits with status 1.
 *
 * --bench reads every FILE, then times parsing them all (no dump) and
 * prints "parsed N files (M errors) in S seconds" (Tools/bench/).
 */

#define _POSIX_C_SOURCE 200809L   /* clock_gettime */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
bench(int n, char **paths)
{
    char **srcs = calloc(n, sizeof(char *));
    size_t *lens = calloc(n, sizeof(size_t));
    if (srcs == NULL || lens == NULL) {
        return 2;
    }
    for (int i = 0; i < n; i++) {
        srcs[i] = read_file(paths[i], &lens[i]);
        if (srcs[i] == NULL) {
            perror(paths[i]);
            return 2;
        }
    }
    int errors = 0;
    double t0 = now();
    for (int i = 0; i < n; i++) {
        _PyArena *arena = _PyArena_New();
        _PySyntaxErrorInfo err;
        if (arena == NULL) {
            return 2;
        }
        if (_PyParser_ParseString(srcs[i], lens[i], paths[i],
                                  _PyParser_MODE_EXEC, arena, &err) == NULL) {
            errors++;
        }
        _PySyntaxErrorInfo_Clear(&err);
        _PyArena_Free(arena);
    }
    double t1 = now();
    printf("parsed %d files (%d errors) in %.6f seconds\n", n, errors,
           t1 - t0);
    for (int i = 0; i < n; i++) {
        free(srcs[i]);
    }
    free(srcs);
    free(lens);
    return 0;
}

/* --batch FILE: FILE holds records "LENGTH\nSOURCE"; print one line per
   record, its dump or its error with end positions (the test drivers'
   way of checking many snippets with one process). */
static int
batch(const char *path, int attrs)
{
    size_t len;
    char *data = read_file(path, &len);
    if (data == NULL) {
        perror(path);
        return 2;
    }
    size_t pos = 0;
    while (pos < len) {
        char *nl = memchr(data + pos, '\n', len - pos);
        if (nl == NULL) {
            break;
        }
        size_t n = strtoul(data + pos, NULL, 10);
        pos = (size_t)(nl - data) + 1;
        if (n > len - pos) {
            break;
        }
        _PyArena *arena = _PyArena_New();
        if (arena == NULL) {
            return 2;
        }
        _PySyntaxErrorInfo err;
        mod_ty mod = _PyParser_ParseString(data + pos, n, path,
                                           _PyParser_MODE_EXEC, arena, &err);
        char *text = mod != NULL ? _PyAST_Dump(mod, attrs, &err) : NULL;
        if (text != NULL) {
            fputs(text, stdout);
            fputc('\n', stdout);
            free(text);
        }
        else {
            print_error(&err, 1);
        }
        _PySyntaxErrorInfo_Clear(&err);
        _PyArena_Free(arena);
        pos += n;
    }
    free(data);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--bench") == 0) {
        return bench(argc - 2, argv + 2);
    }
    if (argc > 2 && strcmp(argv[1], "--batch") == 0) {
        return batch(argv[2], 1);
    }
    int attrs = 1, full = 0, mode = _PyParser_MODE_EXEC, flags = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-attributes") == 0) {
            attrs = 0;
        }
        else if (strcmp(argv[i], "--full-errors") == 0) {
            full = 1;
        }
        else if (strcmp(argv[i], "--allow-incomplete") == 0) {
            flags |= _PyParser_FLAG_ALLOW_INCOMPLETE;
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
    mod_ty mod = _PyParser_ParseStringEx(src, len, path, mode, flags, arena,
                                         &err);
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
