# mode: eval
[x * y for x in a if x] + (lambda q: q)(b) + (c if d else e)
