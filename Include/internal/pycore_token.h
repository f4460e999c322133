/* Token types of the Python 3.11 tokenizer, numbered like the `token`
   module, and the keywords the parser recognises. */

#ifndef Py_INTERNAL_TOKEN_H
#define Py_INTERNAL_TOKEN_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

/* X(name, text): the order gives the number. */
#define _PyTOKEN_LIST(X) \
    X(ENDMARKER, NULL) \
    X(NAME, NULL) \
    X(NUMBER, NULL) \
    X(STRING, NULL) \
    X(NEWLINE, NULL) \
    X(INDENT, NULL) \
    X(DEDENT, NULL) \
    X(LPAR, "(") \
    X(RPAR, ")") \
    X(LSQB, "[") \
    X(RSQB, "]") \
    X(COLON, ":") \
    X(COMMA, ",") \
    X(SEMI, ";") \
    X(PLUS, "+") \
    X(MINUS, "-") \
    X(STAR, "*") \
    X(SLASH, "/") \
    X(VBAR, "|") \
    X(AMPER, "&") \
    X(LESS, "<") \
    X(GREATER, ">") \
    X(EQUAL, "=") \
    X(DOT, ".") \
    X(PERCENT, "%") \
    X(LBRACE, "{") \
    X(RBRACE, "}") \
    X(EQEQUAL, "==") \
    X(NOTEQUAL, "!=") \
    X(LESSEQUAL, "<=") \
    X(GREATEREQUAL, ">=") \
    X(TILDE, "~") \
    X(CIRCUMFLEX, "^") \
    X(LEFTSHIFT, "<<") \
    X(RIGHTSHIFT, ">>") \
    X(DOUBLESTAR, "**") \
    X(PLUSEQUAL, "+=") \
    X(MINEQUAL, "-=") \
    X(STAREQUAL, "*=") \
    X(SLASHEQUAL, "/=") \
    X(PERCENTEQUAL, "%=") \
    X(AMPEREQUAL, "&=") \
    X(VBAREQUAL, "|=") \
    X(CIRCUMFLEXEQUAL, "^=") \
    X(LEFTSHIFTEQUAL, "<<=") \
    X(RIGHTSHIFTEQUAL, ">>=") \
    X(DOUBLESTAREQUAL, "**=") \
    X(DOUBLESLASH, "//") \
    X(DOUBLESLASHEQUAL, "//=") \
    X(AT, "@") \
    X(ATEQUAL, "@=") \
    X(RARROW, "->") \
    X(ELLIPSIS, "...") \
    X(COLONEQUAL, ":=") \
    X(OP, NULL) \
    X(AWAIT, NULL) \
    X(ASYNC, NULL) \
    X(TYPE_IGNORE, NULL) \
    X(TYPE_COMMENT, NULL) \
    X(SOFT_KEYWORD, NULL) \
    X(ERRORTOKEN, NULL)

enum _PyTokenType {
#define _PyTOKEN_ENUM(name, text) TOK_##name,
    _PyTOKEN_LIST(_PyTOKEN_ENUM)
#undef _PyTOKEN_ENUM
    TOK_N_TYPES
};

/* Hard keywords, then the soft keywords of 3.11.  A NAME token carries its
   keyword id (0: an ordinary name). */
#define _PyKEYWORD_LIST(X) \
    X(FALSE, "False") \
    X(NONE, "None") \
    X(TRUE, "True") \
    X(AND, "and") \
    X(AS, "as") \
    X(ASSERT, "assert") \
    X(ASYNC, "async") \
    X(AWAIT, "await") \
    X(BREAK, "break") \
    X(CLASS, "class") \
    X(CONTINUE, "continue") \
    X(DEF, "def") \
    X(DEL, "del") \
    X(ELIF, "elif") \
    X(ELSE, "else") \
    X(EXCEPT, "except") \
    X(FINALLY, "finally") \
    X(FOR, "for") \
    X(FROM, "from") \
    X(GLOBAL, "global") \
    X(IF, "if") \
    X(IMPORT, "import") \
    X(IN, "in") \
    X(IS, "is") \
    X(LAMBDA, "lambda") \
    X(NONLOCAL, "nonlocal") \
    X(NOT, "not") \
    X(OR, "or") \
    X(PASS, "pass") \
    X(RAISE, "raise") \
    X(RETURN, "return") \
    X(TRY, "try") \
    X(WHILE, "while") \
    X(WITH, "with") \
    X(YIELD, "yield") \
    X(MATCH, "match") \
    X(CASE, "case") \
    X(UNDERSCORE, "_")

enum _PyKeyword {
    KW_NONE_ = 0,
#define _PyKEYWORD_ENUM(name, text) KW_##name,
    _PyKEYWORD_LIST(_PyKEYWORD_ENUM)
#undef _PyKEYWORD_ENUM
    KW_N_KEYWORDS
};

/* Keywords from KW_MATCH on are soft: they stay usable as names. */
#define KW_FIRST_SOFT KW_MATCH

/* Spelling of a token type ("(" for LPAR) or NULL, and its name. */
extern const char *_PyToken_Text(int type);
extern const char *_PyToken_Name(int type);
extern const char *_PyKeyword_Text(int kw);

#endif /* !Py_INTERNAL_TOKEN_H */
